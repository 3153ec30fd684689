// The KiwiHR URL rule: exactly the two real endpoints, loopback only for the emulator; and the config schema.
import { describe, expect, it } from 'vitest';
import { parseKiwihrUrl } from './endpoint.js';
import { kiwihrConfigSchema, kiwihrSpec } from './spec.js';

describe('parseKiwihrUrl', () => {
  it.each([
    ['https://acme.kiwihr.com/api/graphql', 'acme.kiwihr.com', '/api/graphql', 'company'],
    ['  https://ACME.kiwihr.com/api/graphql/  ', 'acme.kiwihr.com', '/api/graphql', 'company'],
    ['https://my-company-2.kiwihr.com/api/graphql', 'my-company-2.kiwihr.com', '/api/graphql', 'company'],
    ['https://api.kiwihr.com/api/graphql/public', 'api.kiwihr.com', '/api/graphql/public', 'public'],
  ])('accepts %s', (url, host, path, kind) => {
    const r = parseKiwihrUrl(url, { allowLoopback: false });
    expect(r.ok && r.value).toEqual({ origin: `https://${host}`, host, path, kind });
  });

  it.each([
    [
      'https://acme.kiwihr.com',
      'Append /api/graphql to your KiwiHR address: https://acme.kiwihr.com/api/graphql',
    ],
    ['https://acme.kiwihr.com/', 'Append /api/graphql'],
    ['https://acme.kiwihr.com/dashboard', 'append'],
    ['http://acme.kiwihr.com/api/graphql', 'https://'],
    ['https://acme.kiwihr.com:8443/api/graphql', 'port'],
    ['https://a.b.kiwihr.com/api/graphql', 'is not a KiwiHR address'],
    ['https://kiwihr.com/api/graphql', 'is not a KiwiHR address'],
    ['https://acme.kiwihr.com.evil.test/api/graphql', 'is not a KiwiHR address'],
    ['https://evil.test#.kiwihr.com/api/graphql', 'fragment'],
    ['https://user:pw@acme.kiwihr.com/api/graphql', 'user name or password'],
    ['https://acme.kiwihr.com/api/graphql?key=1', 'query'],
    ['https://-acme.kiwihr.com/api/graphql', 'is not a KiwiHR address'],
    ['https://api.kiwihr.com/api/graphql', 'https://api.kiwihr.com/api/graphql/public'],
    ['https://acme.kiwihr.com/api/graphql/public', 'not KiwiHR'],
    ['https://169.254.169.254/api/graphql', 'is not a KiwiHR address'],
    ['acme.kiwihr.com/api/graphql', 'not a valid web address'],
    ['', 'not a valid web address'],
  ])('refuses %s with an actionable message', (url, words) => {
    const r = parseKiwihrUrl(url, { allowLoopback: false });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_config');
    expect(r.error.kind).toBe('config');
    expect(r.error.message).toContain(words);
    expect(r.error.message).not.toContain('pw@');
  });

  it('allows a loopback emulator only when allowLoopback is set', () => {
    const url = 'http://127.0.0.1:4010/api/graphql';
    const refused = parseKiwihrUrl(url, { allowLoopback: false });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toContain('only allowed for the local emulator');
    const allowed = parseKiwihrUrl(url, { allowLoopback: true });
    expect(allowed.ok && allowed.value).toEqual({
      origin: 'http://127.0.0.1:4010',
      host: '127.0.0.1:4010',
      path: '/api/graphql',
      kind: 'loopback',
    });
    expect(parseKiwihrUrl('http://localhost:1/api/graphql/public', { allowLoopback: true }).ok).toBe(true);
    expect(parseKiwihrUrl('http://127.0.0.1:4010/graphql', { allowLoopback: true }).ok).toBe(false);
    expect(parseKiwihrUrl('http://10.0.0.5/api/graphql', { allowLoopback: true }).ok).toBe(false);
  });
});

describe('kiwihrConfigSchema', () => {
  it('parses a valid config and trims it', () => {
    expect(kiwihrConfigSchema.parse({ apiKey: ' k ', url: ' https://acme.kiwihr.com/api/graphql ' })).toEqual(
      {
        apiKey: 'k',
        url: 'https://acme.kiwihr.com/api/graphql',
      },
    );
  });

  it('reports an empty key and the URL format', () => {
    const r = kiwihrConfigSchema.safeParse({ apiKey: '', url: 'https://acme.kiwihr.com' });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages.some((m) => m.startsWith('apiKey: Enter the API key'))).toBe(true);
    expect(messages.some((m) => m.startsWith('url: Append /api/graphql'))).toBe(true);
  });

  it('marks the API key secret and manages exactly the seed fields plus status, teams, manager, end date', () => {
    expect(kiwihrSpec.secretFields).toEqual(['apiKey']);
    expect(kiwihrSpec.configFields.filter((f) => f.secret).map((f) => f.key)).toEqual(['apiKey']);
    expect([...kiwihrSpec.managedFields].sort()).toEqual(
      [
        'active',
        'birthDate',
        'currentHiredOn',
        'email',
        'employeeNumber',
        'firstName',
        'groups',
        'jobTitle',
        'lastName',
        'leavingDate',
        'manager',
      ].sort(),
    );
    expect(kiwihrSpec.webhooks).toBe(false);
  });
});
