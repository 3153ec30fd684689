/** Secrets never leave: canary credentials, keys, passwords and tokens appear in no GET body and no log line. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPeopleHrEmulator, type PeopleHrEmulator } from '../src/sources/peoplehr/emulator.js';
import { describeEachDialect } from './db.js';
import {
  asBrowser,
  asKey,
  company,
  PASSWORD,
  startService,
  type Company,
  type Service,
} from './service-helpers.js';

const CANARY_CREDENTIAL = 'canary-7f3a-credential-9d1e';

describeEachDialect('service: secrets stay secret', (getStore) => {
  let svc: Service;
  let emu: PeopleHrEmulator;
  let c: Company;
  const log: string[] = [];
  const secrets = {
    credential: '',
    webhookToken: '',
    apiKey: '',
    apiKeySecret: '',
    sessionToken: '',
    csrf: '',
    password: '',
  };

  beforeAll(async () => {
    emu = await startPeopleHrEmulator({
      count: 8,
      seed: 5,
      today: '2026-11-23',
      credentials: { apiKey: CANARY_CREDENTIAL },
    });
    svc = await startService(getStore(), {
      logger: { level: 'debug', stream: { write: (line: string) => log.push(line) } },
    });
    c = await company(svc);
    const connected = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration',
      headers: asBrowser(c.admin),
      payload: { provider: 'peoplehr', config: { apiKey: CANARY_CREDENTIAL, baseUrl: emu.url } },
    });
    const body = connected.json<{ webhookUrl: string; run: { status: string } }>();
    if (body.run.status !== 'succeeded') throw new Error(connected.body);
    secrets.credential = CANARY_CREDENTIAL;
    secrets.webhookToken = body.webhookUrl.split('/').pop() ?? '';
    const key = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: asBrowser(c.admin),
      payload: { name: 'canary', scopes: ['admin', 'hr-data:write'] },
    });
    secrets.apiKey = key.json<{ key: string }>().key;
    secrets.apiKeySecret = secrets.apiKey.slice(17);
    secrets.sessionToken = c.admin.cookie.split('=')[1] ?? '';
    secrets.csrf = c.admin.csrf;
    secrets.password = PASSWORD;
    // Traffic that carries every secret: a webhook delivery, key use, a wrong sign-in, a failing key.
    await svc.app.inject({
      method: 'POST',
      url: body.webhookUrl.replace(/^https?:\/\/[^/]+/, ''),
      payload: { EmployeeId: '1001' },
    });
    await svc.app.inject({ method: 'GET', url: '/api/v1/settings', headers: asKey(secrets.apiKey) });
    await svc.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: c.adminEmail, password: `${PASSWORD}!` },
    });
    await svc.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${secrets.apiKey}x` },
    });
    await svc.app.inject({
      method: 'PUT',
      url: '/api/v1/integration/credentials',
      headers: asBrowser(c.admin),
      payload: { config: { apiKey: CANARY_CREDENTIAL } },
    });
  });
  afterAll(async () => {
    await svc.app.close();
    await emu.close();
  });

  it('no GET endpoint returns a credential, key, password, session token or webhook token', async () => {
    const user = (await svc.deps.store.directory.listUsers(c.tenant.id, { limit: 1 })).items[0]?.id ?? '';
    const run = (await svc.deps.store.runs.list(c.tenant.id, { limit: 1 }))[0]?.id ?? '';
    const doc = (await svc.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const gets = Object.entries(doc.paths)
      .filter(([, ops]) => 'get' in ops)
      .map(([path]) => path.replace('{id}', path.startsWith('/api/v1/users') ? user : run));
    expect(gets.length).toBeGreaterThan(15);
    const { csrf: _csrf, ...mustNotShow } = secrets;
    for (const url of gets) {
      for (const headers of [asBrowser(c.admin), asKey(secrets.apiKey)]) {
        const res = await svc.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode, url).toBeLessThan(500);
        for (const [name, value] of Object.entries(mustNotShow)) {
          expect(value.length).toBeGreaterThan(8);
          expect(res.body.includes(value), `${url} shows the ${name}`).toBe(false);
        }
      }
    }
  });

  it('the log has requests but none of the secrets, and redacts authorization and cookies', () => {
    const text = log.join('');
    expect(text).toContain('/api/v1/settings');
    expect(text).toContain('/webhooks/peoplehr/[redacted]');
    for (const [name, value] of Object.entries(secrets)) {
      expect(text.includes(value), `the log shows the ${name}`).toBe(false);
    }
  });
});
