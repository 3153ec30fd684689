/** Makes sure a build of the admin UI exists for the browser tests: web/dist when fresh, else a private build. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = resolve(import.meta.dirname, '../../..');
const webDir = join(repoRoot, 'web');
const distIndex = join(webDir, 'dist', 'index.html');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when web/dist was built after the last change to the UI's sources. */
export function distIsFresh(): boolean {
  if (!existsSync(distIndex)) return false;
  const sources = Math.max(
    newestMtime(join(webDir, 'src')),
    newestMtime(join(webDir, 'index.html')),
    newestMtime(join(webDir, 'vite.config.ts')),
  );
  return statSync(distIndex).mtimeMs >= sources;
}

/**
 * The folder of a current UI build. `npm test` builds web/dist first, so normally that one is used;
 * otherwise this test file builds into its own temp folder (test files run in parallel and must not
 * overwrite each other's web/dist).
 */
export async function uiBuild(): Promise<string> {
  if (distIsFresh()) return join(webDir, 'dist');
  const outDir = mkdtempSync(join(tmpdir(), 'rostersync-ui-build-'));
  await run(
    process.execPath,
    [
      join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(webDir, 'vite.config.ts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: repoRoot },
  );
  return outDir;
}
