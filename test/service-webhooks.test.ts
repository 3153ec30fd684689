/** Webhooks: People HR connect → secret URL; deliveries queue partial syncs; unknown, old or disconnected URLs are 404. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PEOPLEHR_EMULATOR_API_KEY,
  startPeopleHrEmulator,
  type PeopleHrEmulator,
} from '../src/sources/peoplehr/emulator.js';
import { describeEachDialect } from './db.js';
import { asBrowser, company, errorOf, startService, type Company, type Service } from './service-helpers.js';

describeEachDialect('service: webhooks', (getStore) => {
  let svc: Service;
  let emu: PeopleHrEmulator;
  let c: Company;
  let path: string;
  let integrationId: string;
  beforeAll(async () => {
    emu = await startPeopleHrEmulator({ count: 15, seed: 3, today: '2026-11-23' });
    svc = await startService(getStore(), { limits: { webhookMax: 1000 } });
    c = await company(svc);
    const res = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration',
      headers: asBrowser(c.admin),
      payload: { provider: 'peoplehr', config: { apiKey: PEOPLEHR_EMULATOR_API_KEY, baseUrl: emu.url } },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    const body = res.json<{ webhookUrl: string; integration: { id: string }; run: { status: string } }>();
    expect(body.run.status).toBe('succeeded');
    // No PUBLIC_URL: the URL is built from the origin the admin used.
    expect(body.webhookUrl).toMatch(/^http:\/\/localhost(:80)?\/webhooks\/peoplehr\/[A-Za-z0-9_-]{43}$/);
    path = new URL(body.webhookUrl).pathname;
    integrationId = body.integration.id;
  });
  afterAll(async () => {
    await svc.app.close();
    await emu.close();
  });

  const post = (url: string, payload: string, type = 'application/json') =>
    svc.app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });

  it('a People HR packet queues a partial sync of the named employee (202)', async () => {
    const before = svc.queue.jobs.length;
    const res = await post(
      path,
      JSON.stringify({ ActionId: 2, Action: 'Employee Detail Updated', EmployeeId: 'PW21' }),
    );
    expect(res.statusCode).toBe(202);
    expect(svc.queue.jobs.slice(before)).toEqual([
      { tenantId: c.tenant.id, integrationId, trigger: 'webhook', input: { kind: 'ids', ids: ['PW21'] } },
    ]);
  });

  it('a deleted employee, the text form or an unreadable body ask for a full read', async () => {
    const before = svc.queue.jobs.length;
    expect(
      (await post(path, 'ActionId:18, Action:Employee Deleted, EmployeeId:PW21', 'text/plain')).statusCode,
    ).toBe(202);
    expect((await post(path, '\u0000garbage', 'application/octet-stream')).statusCode).toBe(202);
    expect((await svc.app.inject({ method: 'POST', url: path })).statusCode).toBe(202);
    expect(svc.queue.jobs.slice(before).map((j) => j.input)).toEqual([
      { kind: 'pull' },
      { kind: 'pull' },
      { kind: 'pull' },
    ]);
  });

  it('unknown tokens and the wrong provider are 404; bodies over 256 KB are 413; nothing is queued', async () => {
    const before = svc.queue.jobs.length;
    const unknown = await post('/webhooks/peoplehr/not-a-real-token', '{"EmployeeId":"1"}');
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).code).toBe('not_found');
    expect((await post(path.replace('/peoplehr/', '/personio/'), '{"EmployeeId":"1"}')).statusCode).toBe(404);
    expect((await post(path, JSON.stringify({ EmployeeId: 'x'.repeat(300 * 1024) }))).statusCode).toBe(413);
    expect(svc.queue.jobs.length).toBe(before);
  });

  it('a change in People HR reaches the directory through the webhook (emulator → HTTP → queue → partial run)', async () => {
    svc.queue.execute = svc.deps;
    const address = await svc.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      emu.state.webhookUrl = `${address}${path}`;
      const synced = (await svc.deps.store.directory.listUsers(c.tenant.id, { limit: 100, active: true }))
        .items;
      const target = synced.find((u) => u.sourceId !== null);
      if (!target?.sourceId) throw new Error('no synced user');
      await emu.control.update(target.sourceId, { position: 'Chief Webhook Officer' });
      expect(emu.webhooks).toMatchObject({ sent: 1, failed: 0 });
      await svc.queue.idle();
      const after = await svc.deps.store.directory.getUser(c.tenant.id, target.id);
      expect(after?.attributes.jobTitle).toBe('Chief Webhook Officer');
      const [last] = await svc.deps.store.runs.list(c.tenant.id, { limit: 1 });
      expect(last).toMatchObject({ trigger: 'webhook', mode: 'partial', status: 'succeeded' });
    } finally {
      svc.queue.execute = null;
      emu.state.webhookUrl = null;
    }
  });

  it('regenerating the URL kills the old one; disconnecting kills every one', async () => {
    const regenerated = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration/webhook-url',
      headers: asBrowser(c.admin),
    });
    const fresh = new URL(regenerated.json<{ webhookUrl: string }>().webhookUrl).pathname;
    expect((await post(path, '{"EmployeeId":"1"}')).statusCode).toBe(404);
    expect((await post(fresh, '{"EmployeeId":"1"}')).statusCode).toBe(202);
    const off = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration/disconnect',
      headers: asBrowser(c.admin),
      payload: { confirm: 'OK, I understand' },
    });
    expect(off.statusCode).toBe(200);
    expect((await post(fresh, '{"EmployeeId":"1"}')).statusCode).toBe(404);
  });
});

describeEachDialect('service: webhook rate limit', (getStore) => {
  let svc: Service;
  let emu: PeopleHrEmulator;
  beforeAll(async () => {
    emu = await startPeopleHrEmulator({ count: 3, seed: 1, today: '2026-11-23' });
    svc = await startService(getStore(), { limits: { webhookMax: 2 } });
  });
  afterAll(async () => {
    await svc.app.close();
    await emu.close();
  });

  it('limits deliveries per token (429 with Retry-After), each token apart', async () => {
    const urls: string[] = [];
    for (const name of ['One', 'Two']) {
      const c = await company(svc, name);
      const res = await svc.app.inject({
        method: 'POST',
        url: '/api/v1/integration',
        headers: asBrowser(c.admin),
        payload: { provider: 'peoplehr', config: { apiKey: PEOPLEHR_EMULATOR_API_KEY, baseUrl: emu.url } },
      });
      urls.push(new URL(res.json<{ webhookUrl: string }>().webhookUrl).pathname);
    }
    const send = (url: string) =>
      svc.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: '{"EmployeeId":"1"}',
      });
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await send(urls[0] ?? '')).statusCode);
    expect(codes).toEqual([202, 202, 429]);
    expect(Number((await send(urls[0] ?? '')).headers['retry-after'])).toBeGreaterThan(0);
    expect((await send(urls[1] ?? '')).statusCode).toBe(202);
    expect(svc.queue.jobs).toHaveLength(3);
  });
});

describe('webhook URL shape', () => {
  it('is a path under /webhooks/<provider>/', () => {
    expect('/webhooks/peoplehr/abc').toMatch(/^\/webhooks\/peoplehr\//);
  });
});
