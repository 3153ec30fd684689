// ESLint: type-aware typescript-eslint, plus the dependency direction of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [{ group: patterns, message: 'Dependencies point inwards (ARCHITECTURE.md, STYLE.md).' }],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'web/dist', 'data', 'coverage', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  // core is pure: nothing of ours, no node: modules.
  {
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([
      'node:*',
      '../sources/*',
      '../store/*',
      '../engine/*',
      '../jobs/*',
      '../server/*',
      '../cli/*',
      '../config*',
    ]),
  },
  // sources see only core and their shared helpers; a provider never imports another provider.
  {
    files: ['src/sources/**/*.ts'],
    rules: restrict(['**/store/*', '**/engine/*', '**/jobs/*', '**/server/*', '**/cli/*', '**/config*']),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict(['**/sources/*', '**/engine/*', '**/jobs/*', '**/server/*', '**/cli/*']),
  },
  { files: ['src/engine/**/*.ts'], rules: restrict(['**/jobs/*', '**/server/*', '**/cli/*']) },
  { files: ['src/server/**/*.ts'], rules: restrict(['**/cli/*']) },
  { files: ['src/jobs/**/*.ts'], rules: restrict(['**/server/*', '**/cli/*']) },
);
