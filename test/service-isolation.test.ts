/** Tenant isolation: company A's session and keys, aimed at company B's ids on every route, get 404 and change nothing. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSync } from '../src/engine/index.js';
import { describeEachDialect } from './db.js';
import { asBrowser, asKey, company, startService, type Company, type Service } from './service-helpers.js';
import { fakeSource, people, type FakeSourceControl } from './support/fake-source.js';

describeEachDialect('service: tenant isolation', (getStore) => {
  let svc: Service;
  let a: Company;
  let b: Company;
  const ids = { user: '', run: '', blockedRun: '', key: '', group: '', integration: '', webhook: '' };
  const control: FakeSourceControl = { people: people(12), pageSize: 20, failPage: null, reads: 0 };

  /** Everything of B that A must not change, as stored. */
  const stateOfB = async () => {
    const s = svc.deps.store;
    return JSON.stringify({
      users: await s.directory.listUsers(b.tenant.id, { limit: 100 }),
      groups: await s.directory.listGroups(b.tenant.id),
      runs: await s.runs.list(b.tenant.id, { limit: 100 }),
      keys: await s.apiKeys.list(b.tenant.id),
      integrations: await s.integrations.list(b.tenant.id),
      tenant: await s.tenants.get(b.tenant.id),
      genders: await s.directory.listGenderChoices(b.tenant.id),
    });
  };

  beforeAll(async () => {
    svc = await startService(getStore(), { source: fakeSource(control) });
    a = await company(svc, 'A');
    b = await company(svc, 'B');
    const connected = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration',
      headers: asBrowser(b.admin),
      payload: { provider: 'personio', config: { token: 'good' } },
    });
    const body = connected.json<{ run: { id: string }; integration: { id: string }; webhookUrl: string }>();
    ids.run = body.run.id;
    ids.integration = body.integration.id;
    ids.webhook = new URL(body.webhookUrl).pathname;
    control.people = people(5);
    const blocked = await runSync(svc.deps, { tenantId: b.tenant.id, trigger: 'manual' });
    control.people = people(12);
    if (!blocked.ok || blocked.value.status !== 'blocked') throw new Error('expected a blocked run');
    ids.blockedRun = blocked.value.id;
    const users = await svc.deps.store.directory.listUsers(b.tenant.id, { limit: 1 });
    ids.user = users.items[0]?.id ?? '';
    ids.group = (await svc.deps.store.directory.listGroups(b.tenant.id))[0]?.id ?? '';
    ids.key = (await svc.deps.store.apiKeys.list(b.tenant.id))[0]?.id ?? '';
    // A has its own manual user, to aim relations at B's ids.
    await svc.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: asBrowser(a.admin),
      payload: { email: 'own@a.example', firstName: 'Own', lastName: 'User' },
    });
  });
  afterAll(async () => {
    await svc.app.close();
  });

  it('every route given B ids answers 404 to A (session and admin key), and B is unchanged', async () => {
    const before = await stateOfB();
    const routes: { method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: object }[] = [
      { method: 'GET', url: `/api/v1/users/${ids.user}` },
      { method: 'PATCH', url: `/api/v1/users/${ids.user}`, payload: { birthDate: '1999-09-09' } },
      { method: 'GET', url: `/api/v1/runs/${ids.run}` },
      { method: 'GET', url: `/api/v1/runs/${ids.run}/errors.csv` },
      { method: 'POST', url: `/api/v1/runs/${ids.blockedRun}/confirm` },
      { method: 'DELETE', url: `/api/v1/api-keys/${ids.key}` },
      { method: 'POST', url: '/api/v1/integration/disconnect', payload: { confirm: 'OK, I understand' } },
      { method: 'POST', url: '/api/v1/integration/sync' },
      { method: 'POST', url: '/api/v1/integration/webhook-url' },
      { method: 'PUT', url: '/api/v1/integration/credentials', payload: { config: { token: 'good' } } },
    ];
    const seen: string[] = [];
    for (const headers of [asBrowser(a.admin), asKey(a.keys.admin)]) {
      for (const r of routes) {
        const res = await svc.app.inject({
          method: r.method,
          url: r.url,
          headers,
          ...(r.payload ? { payload: r.payload } : {}),
        });
        seen.push(`${r.method} ${r.url.replace(/\/[^/]*$/, '/…')} ${res.statusCode}`);
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(404);
      }
    }
    // The upload key follows runs: B's are not A's.
    for (const url of [`/api/v1/runs/${ids.run}`, `/api/v1/runs/${ids.run}/errors.csv`]) {
      expect((await svc.app.inject({ method: 'GET', url, headers: asKey(a.keys.upload) })).statusCode).toBe(
        404,
      );
    }
    expect(seen).toHaveLength(routes.length * 2);
    expect(await stateOfB()).toBe(before);
    expect(svc.queue.jobs.filter((j) => j.tenantId === b.tenant.id)).toEqual([]);
  });

  it('lists and filters never show B, and A cannot point its users at B (manager, groups)', async () => {
    const before = await stateOfB();
    const bIds = [ids.user, ids.run, ids.blockedRun, ids.key, ids.group, ids.integration, b.tenant.id];
    for (const url of [
      '/api/v1/users',
      `/api/v1/users?groupId=${ids.group}`,
      `/api/v1/users?integrationId=${ids.integration}`,
      '/api/v1/groups',
      '/api/v1/runs',
      `/api/v1/runs?integrationId=${ids.integration}`,
      '/api/v1/api-keys',
      '/api/v1/notifications',
      '/api/v1/departments',
      '/api/v1/positions',
      '/api/v1/integration',
      '/api/v1/settings',
      '/api/v1/session',
    ]) {
      const res = await svc.app.inject({ method: 'GET', url, headers: asBrowser(a.viewer) });
      expect(res.statusCode, url).toBe(200);
      for (const id of bIds) expect(res.body, `${url} leaks ${id}`).not.toContain(id);
    }
    expect(
      (
        await svc.app.inject({ method: 'GET', url: '/api/v1/departments', headers: asBrowser(a.viewer) })
      ).json(),
    ).toEqual({ items: [] });
    const own = (await svc.deps.store.directory.listUsers(a.tenant.id, { limit: 10 })).items[0]?.id ?? '';
    for (const payload of [{ managerId: ids.user }, { groupIds: [ids.group] }]) {
      const res = await svc.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${own}`,
        headers: asBrowser(a.admin),
        payload,
      });
      expect(res.statusCode).toBe(422);
    }
    // B's webhook URL works for B only; A's keys do not make it A's.
    expect(
      (
        await svc.app.inject({
          method: 'POST',
          url: ids.webhook,
          headers: asKey(a.keys.admin),
          payload: { employeeId: 'p1' },
        })
      ).statusCode,
    ).toBe(202);
    expect(svc.queue.jobs.at(-1)?.tenantId).toBe(b.tenant.id);
    expect(await stateOfB()).toBe(before);
  });
});
