/** Admin API, integration side: providers, connect, credentials, webhook URL, disconnect, sync now, preview, confirm. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './db.js';
import {
  asBrowser,
  asKey,
  company,
  errorOf,
  startService,
  type Company,
  type Service,
} from './service-helpers.js';
import { fakeSource, people, type FakeSourceControl } from './support/fake-source.js';

interface RunSummary {
  id: string;
  status: string;
  counts: Record<string, number>;
  trigger: string;
}

describeEachDialect('service: integration admin API', (getStore) => {
  let svc: Service;
  const control: FakeSourceControl = { people: people(12), pageSize: 5, failPage: null, reads: 0 };
  beforeAll(async () => {
    svc = await startService(getStore(), {
      source: fakeSource(control),
      env: { PUBLIC_URL: 'https://rs.example.com/' },
    });
  });
  afterAll(async () => {
    await svc.app.close();
  });

  const connect = (c: Company, config: Record<string, unknown> = { token: 'good' }) =>
    svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration',
      headers: asBrowser(c.admin),
      payload: { provider: 'personio', config },
    });

  it('lists providers with config fields, secret flags, JSON Schema, setup steps and managed fields', async () => {
    const c = await company(svc);
    const res = await svc.app.inject({
      method: 'GET',
      url: '/api/v1/providers',
      headers: asBrowser(c.viewer),
    });
    expect(res.statusCode).toBe(200);
    const items = res.json<{
      items: {
        id: string;
        secretFields: string[];
        configSchema: { properties: object };
        setupSteps: string[];
        managedFields: string[];
      }[];
    }>().items;
    expect(items.map((p) => p.id)).toEqual(['personio', 'kiwihr', 'nmbrs', 'peoplehr', 'file']);
    const peoplehr = items.find((p) => p.id === 'peoplehr');
    expect(peoplehr?.secretFields).toEqual(['apiKey']);
    expect(Object.keys(peoplehr?.configSchema.properties ?? {})).toContain('apiKey');
    expect(peoplehr?.setupSteps.length).toBeGreaterThan(2);
    expect(peoplehr?.managedFields).toContain('department');
  });

  it('connects: preflight, first full sync (201), webhook URL on PUBLIC_URL shown once; never the credentials', async () => {
    const c = await company(svc);
    expect(
      (
        await svc.app.inject({ method: 'GET', url: '/api/v1/integration', headers: asBrowser(c.viewer) })
      ).json(),
    ).toEqual({ integration: null });
    const res = await connect(c);
    expect(res.statusCode).toBe(201);
    const body = res.json<{
      run: RunSummary;
      webhookUrl: string;
      integration: { status: string; configuredFields: string[] };
    }>();
    expect(body.run).toMatchObject({ status: 'succeeded', trigger: 'connect' });
    expect(body.run.counts.created).toBe(12);
    expect(body.webhookUrl).toMatch(/^https:\/\/rs\.example\.com\/webhooks\/personio\/[A-Za-z0-9_-]{43}$/);
    expect(body.integration).toMatchObject({ status: 'active', configuredFields: ['token'] });
    const got = await svc.app.inject({
      method: 'GET',
      url: '/api/v1/integration',
      headers: asBrowser(c.viewer),
    });
    const view = got.json<{
      integration: { lastRun: RunSummary; nextRunAt: string; failureStreak: number; title: string };
    }>().integration;
    expect(view.lastRun.id).toBe(body.run.id);
    expect(view.nextRunAt).toBe('2026-11-24T06:00:00.000Z');
    expect(view.title).toBe('FakeHR');
    expect(got.body).not.toContain('good');
    expect(got.body).not.toContain(body.webhookUrl.split('/').pop());
    // One source at a time.
    const again = await connect(c);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('conflict');
  });

  it('refuses bad settings (422 naming the field) and refused credentials (502 source_auth); nothing stored', async () => {
    const c = await company(svc);
    const invalid = await connect(c, {});
    expect(invalid.statusCode).toBe(422);
    expect(errorOf(invalid).code).toBe('invalid_config');
    expect(JSON.stringify(errorOf(invalid).details)).toContain('token');
    const refused = await connect(c, { token: 'bad' });
    expect(refused.statusCode).toBe(502);
    expect(errorOf(refused).code).toBe('source_auth');
    const unknown = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration',
      headers: asBrowser(c.admin),
      payload: { provider: 'workday', config: {} },
    });
    expect(unknown.statusCode).toBe(422);
    expect(await svc.deps.store.integrations.list(c.tenant.id)).toEqual([]);
  });

  it('updates credentials (verify, then a full sync), regenerates the webhook URL, and syncs now through the queue (202)', async () => {
    const c = await company(svc);
    expect(
      (
        await svc.app.inject({
          method: 'PUT',
          url: '/api/v1/integration/credentials',
          headers: asBrowser(c.admin),
          payload: { config: { token: 'good' } },
        })
      ).statusCode,
    ).toBe(404);
    const first = (await connect(c)).json<{ webhookUrl: string }>().webhookUrl;
    const refused = await svc.app.inject({
      method: 'PUT',
      url: '/api/v1/integration/credentials',
      headers: asBrowser(c.admin),
      payload: { config: { token: 'bad' } },
    });
    expect(refused.statusCode).toBe(502);
    const updated = await svc.app.inject({
      method: 'PUT',
      url: '/api/v1/integration/credentials',
      headers: asBrowser(c.admin),
      payload: { config: { token: 'good' } },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json<{ run: RunSummary }>().run.status).toBe('succeeded');

    const regenerated = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration/webhook-url',
      headers: asBrowser(c.admin),
    });
    expect(regenerated.statusCode).toBe(200);
    const second = regenerated.json<{ webhookUrl: string }>().webhookUrl;
    expect(second).not.toBe(first);
    const before = svc.queue.jobs.length;
    expect(
      (await svc.app.inject({ method: 'POST', url: new URL(first).pathname, payload: { employeeId: 'p1' } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await svc.app.inject({ method: 'POST', url: new URL(second).pathname, payload: { employeeId: 'p1' } }))
        .statusCode,
    ).toBe(202);

    const sync = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration/sync',
      headers: asKey(c.keys.admin),
    });
    expect(sync.statusCode).toBe(202);
    expect(sync.json()).toEqual({ queued: true });
    const jobs = svc.queue.jobs.slice(before);
    expect(jobs.map((j) => [j.tenantId, j.trigger, j.input])).toEqual([
      [c.tenant.id, 'webhook', { kind: 'ids', ids: ['p1'] }],
      [c.tenant.id, 'manual', { kind: 'pull' }],
    ]);
    const integration = await svc.deps.store.integrations.getActive(c.tenant.id);
    expect(jobs.every((j) => j.integrationId === integration?.id)).toBe(true);
  });

  it('previews a dry run with its items and applies nothing', async () => {
    const c = await company(svc);
    await connect(c);
    const saved = control.people;
    control.people = saved.map((p, i) => (i < 2 ? { ...p, jobTitle: 'Director' } : p));
    try {
      const before = svc.deps.store.stats.directoryRows;
      const res = await svc.app.inject({
        method: 'POST',
        url: '/api/v1/integration/preview',
        headers: asBrowser(c.admin),
      });
      expect(res.statusCode).toBe(200);
      const run = res.json<{
        run: RunSummary & {
          dryRun: boolean;
          items: { total: number; items: { action: string; changes: { field: string; after: string }[] }[] };
        };
      }>().run;
      expect(run).toMatchObject({ status: 'dry_run', dryRun: true });
      expect(run.counts.updated).toBe(2);
      expect(run.items.items.filter((i) => i.action === 'update').map((i) => i.changes[0])).toEqual([
        expect.objectContaining({ field: 'jobTitle', after: 'Director' }),
        expect.objectContaining({ field: 'jobTitle', after: 'Director' }),
      ]);
      expect(svc.deps.store.stats.directoryRows).toBe(before);
    } finally {
      control.people = saved;
    }
  });

  it('a blocked run is confirmed through the API (409 when not blocked)', async () => {
    const c = await company(svc);
    await connect(c);
    const saved = control.people;
    control.people = saved.slice(0, 6);
    try {
      const { runSync } = await import('../src/engine/index.js');
      const blocked = await runSync(svc.deps, { tenantId: c.tenant.id, trigger: 'manual' });
      if (!blocked.ok) throw blocked.error;
      expect(blocked.value.status).toBe('blocked');
      const shown = await svc.app.inject({
        method: 'GET',
        url: `/api/v1/runs/${blocked.value.id}`,
        headers: asBrowser(c.viewer),
      });
      expect(shown.json<{ guard: { reason: string } }>().guard.reason).toBe('threshold');
      expect(
        (
          await svc.app.inject({
            method: 'POST',
            url: `/api/v1/runs/${blocked.value.id}/confirm`,
            headers: asBrowser(c.viewer),
          })
        ).statusCode,
      ).toBe(403);
      const confirmed = await svc.app.inject({
        method: 'POST',
        url: `/api/v1/runs/${blocked.value.id}/confirm`,
        headers: asBrowser(c.admin),
      });
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.json<{ run: RunSummary }>().run).toMatchObject({ status: 'succeeded' });
      expect(confirmed.json<{ run: RunSummary }>().run.counts.deactivated).toBe(6);
      const twice = await svc.app.inject({
        method: 'POST',
        url: `/api/v1/runs/${blocked.value.id}/confirm`,
        headers: asBrowser(c.admin),
      });
      expect(twice.statusCode).toBe(409);
      expect(
        (
          await svc.app.inject({
            method: 'POST',
            url: '/api/v1/runs/nope/confirm',
            headers: asBrowser(c.admin),
          })
        ).statusCode,
      ).toBe(404);
    } finally {
      control.people = saved;
    }
  });

  it('disconnects only with the confirmation text; users stay, links drop, the webhook URL dies', async () => {
    const c = await company(svc);
    const url = (await connect(c)).json<{ webhookUrl: string }>().webhookUrl;
    const wrong = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration/disconnect',
      headers: asBrowser(c.admin),
      payload: { confirm: 'ok' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(errorOf(wrong).message).toContain('OK, I understand');
    const missing = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration/disconnect',
      headers: asBrowser(c.admin),
      payload: {},
    });
    expect(missing.statusCode).toBe(422);
    const done = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration/disconnect',
      headers: asBrowser(c.admin),
      payload: { confirm: 'OK, I understand' },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json<{ unlinkedUsers: number }>().unlinkedUsers).toBe(12);
    const users = await svc.deps.store.directory.listUsers(c.tenant.id, { limit: 100 });
    expect(users.total).toBe(12);
    expect(users.items.every((u) => u.integrationId === null && u.active)).toBe(true);
    expect(
      (await svc.app.inject({ method: 'POST', url: new URL(url).pathname, payload: {} })).statusCode,
    ).toBe(404);
    expect(
      (await svc.app.inject({ method: 'POST', url: '/api/v1/integration/sync', headers: asBrowser(c.admin) }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await svc.app.inject({
          method: 'POST',
          url: '/api/v1/integration/disconnect',
          headers: asBrowser(c.admin),
          payload: { confirm: 'OK, I understand' },
        })
      ).statusCode,
    ).toBe(404);
  });
});
