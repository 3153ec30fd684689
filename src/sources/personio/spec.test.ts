// The Personio config schema and spec: defaults, normalisation, messages, managed fields.
import { describe, expect, it } from 'vitest';
import { personioConfigSchema, personioSpec } from './spec.js';

describe('personioConfigSchema', () => {
  it('defaults the API URL and trims values', () => {
    expect(personioConfigSchema.parse({ clientId: ' id ', clientSecret: ' s ' })).toEqual({
      clientId: 'id',
      clientSecret: 's',
      apiUrl: 'https://api.personio.de',
    });
  });

  it.each([
    ['https://api.personio.de/v1/', 'https://api.personio.de'],
    ['http://127.0.0.1:4100/v1', 'http://127.0.0.1:4100'],
    ['http://127.0.0.1:4100', 'http://127.0.0.1:4100'],
  ])('drops a pasted /v1 from %s', (apiUrl, expected) => {
    expect(personioConfigSchema.parse({ clientId: 'a', clientSecret: 'b', apiUrl }).apiUrl).toBe(expected);
  });

  it('explains what is missing', () => {
    const result = personioConfigSchema.safeParse({ clientId: '', apiUrl: 'api.personio.de' });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        'Enter the client ID of the Personio API credential.',
        'Enter the client secret of the Personio API credential.',
        'The Personio API URL must be a full URL such as https://api.personio.de.',
      ]),
    );
  });
});

describe('personioSpec', () => {
  it('marks the secret and manages exactly the seed fields plus leaving date', () => {
    expect(personioSpec.secretFields).toEqual(['clientSecret']);
    expect(personioSpec.configFields.filter((f) => f.secret).map((f) => f.key)).toEqual(['clientSecret']);
    expect([...personioSpec.managedFields].sort()).toEqual(
      [
        'active',
        'department',
        'email',
        'firstHiredOn',
        'firstName',
        'gender',
        'jobTitle',
        'lastName',
        'leavingDate',
        'manager',
      ].sort(),
    );
    expect(personioSpec.webhooks).toBe(false);
  });
});
