// GraphQL `errors` (HTTP 200) → AppError kind: auth, config, transient or system; secrets redacted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphqlFailure, type GraphqlError } from './graphql-errors.js';

const fixture = (name: string): GraphqlError[] =>
  (
    JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as {
      errors: GraphqlError[];
    }
  ).errors;
const fail = (errors: GraphqlError[]) =>
  graphqlFailure({ errors, provider: 'KiwiHR', label: 'POST /api/graphql', secrets: ['s3cret-key'] });

describe('graphqlFailure', () => {
  it.each([
    ['error-unauthenticated.json', 'source_auth', 'auth', 'Settings → API keys'],
    ['error-validation.json', 'invalid_config', 'config', 'https://<company>.kiwihr.com/api/graphql'],
  ])('%s → %s/%s', (file, code, kind, words) => {
    const e = fail(fixture(file));
    expect([e.code, e.kind]).toEqual([code, kind]);
    expect(e.message).toContain(words);
    expect(e.details).toMatchObject({
      provider: 'KiwiHR',
      method: 'POST',
      path: '/api/graphql',
      graphql: true,
    });
  });

  it.each([
    [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }, 'source_auth', 'auth', 'administrator'],
    [{ message: 'You do not have permission to list users' }, 'source_auth', 'auth', 'administrator'],
    [{ message: 'Unauthorized' }, 'source_auth', 'auth', 'refused the API key'],
    [
      { message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      'source_unavailable',
      'transient',
      'unavailable',
    ],
    [{ message: 'Request timed out, try again' }, 'source_unavailable', 'transient', 'unavailable'],
    [
      { message: 'Unknown argument "offset" on field "Query.users".' },
      'invalid_config',
      'config',
      'users query',
    ],
    [{ message: 'Something odd', extensions: { code: 'WEIRD' } }, 'source_bad_response', 'system', '[WEIRD]'],
    [{}, 'source_bad_response', 'system', '(no message)'],
  ])('%j → %s/%s', (error, code, kind, words) => {
    const e = fail([error]);
    expect([e.code, e.kind]).toEqual([code, kind]);
    expect(e.message).toContain(words);
  });

  it('an extension code wins over the wording of the message', () => {
    const e = fail([{ message: 'Invalid API key format in filter', extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(e.kind).toBe('config');
  });

  it('redacts the key when the provider echoes it, and counts further errors', () => {
    const e = fail([{ message: 'API key s3cret-key is not valid' }, { message: 'second' }]);
    expect(e.message).not.toContain('s3cret-key');
    expect(e.message).toContain('***');
    const v = fail([
      { message: 'Cannot query field "x" on type "User".' },
      { message: 'a' },
      { message: 'b' },
    ]);
    expect(v.message).toContain('and 2 more errors');
  });
});
