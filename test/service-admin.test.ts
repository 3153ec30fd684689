/** Admin API, directory side: users, groups, reference lists, gender choices, settings, runs, error file, notifications. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSync } from '../src/engine/index.js';
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

interface User {
  id: string;
  email: string;
  jobTitle: string | null;
  birthDate: string | null;
  gender: string | null;
  managerId: string | null;
  managedBy: { title: string } | null;
}

describeEachDialect('service: directory admin API', (getStore) => {
  let svc: Service;
  let c: Company;
  const control: FakeSourceControl = { people: people(12), pageSize: 5, failPage: null, reads: 0 };
  const get = <T>(url: string, headers = asBrowser(c.viewer)) =>
    svc.app
      .inject({ method: 'GET', url, headers })
      .then((r) => ({ status: r.statusCode, body: r.json<T>(), raw: r }));
  const userBySource = async (sourceId: string) => {
    const all = await svc.deps.store.directory.listUsers(c.tenant.id, { limit: 100 });
    const u = all.items.find((x) => x.sourceId === sourceId);
    if (!u) throw new Error(`no user ${sourceId}`);
    return u;
  };

  beforeAll(async () => {
    svc = await startService(getStore(), { source: fakeSource(control) });
    c = await company(svc);
    const res = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/integration',
      headers: asBrowser(c.admin),
      payload: { provider: 'personio', config: { token: 'good' } },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
  });
  afterAll(async () => {
    await svc.app.close();
  });

  it('lists users with search, filters and pagination; synced users are "managed by" the source', async () => {
    const all = await get<{ items: User[]; total: number }>('/api/v1/users?limit=5&offset=10');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(12);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.items[0]?.managedBy?.title).toBe('FakeHR');
    expect((await get<{ total: number }>('/api/v1/users?search=first7')).body.total).toBe(1);
    expect((await get<{ total: number }>('/api/v1/users?department=Sales')).body.total).toBe(6);
    expect((await get<{ total: number }>('/api/v1/users?active=false')).body.total).toBe(0);
    const groups = (
      await get<{ items: { id: string; name: string; memberCount: number }[] }>('/api/v1/groups')
    ).body.items;
    const teamA = groups.find((g) => g.name === 'Team A');
    expect((await get<{ total: number }>(`/api/v1/users?groupId=${teamA?.id ?? ''}`)).body.total).toBe(
      teamA?.memberCount,
    );
    const integrationId = (await svc.deps.store.integrations.getActive(c.tenant.id))?.id ?? '';
    expect((await get<{ total: number }>(`/api/v1/users?integrationId=${integrationId}`)).body.total).toBe(
      12,
    );
    const bad = await get<{ error: { details: { fields: { field: string }[] } } }>(
      '/api/v1/users?limit=0&active=maybe',
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields.map((f) => f.field).sort()).toEqual(['active', 'limit']);
  });

  it('shows a user with manager, reports, groups, managed fields and the run behind each change', async () => {
    const boss = await userBySource('p1');
    const res = await get<{
      manager: null;
      reports: { id: string }[];
      groups: { name: string }[];
      managedFields: string[];
      history: { actor: string; action: string; run: { trigger: string } | null }[];
    }>(`/api/v1/users/${boss.id}`);
    expect(res.status).toBe(200);
    expect(res.body.manager).toBeNull();
    expect(res.body.reports).toHaveLength(11);
    expect(res.body.groups.map((g) => g.name)).toEqual(['Team A']);
    expect(res.body.managedFields).toEqual(
      expect.arrayContaining(['jobTitle', 'manager', 'groups', 'active']),
    );
    expect(res.body.history[0]).toMatchObject({
      actor: 'run',
      action: 'create',
      run: { trigger: 'connect' },
    });
    const report = await get<{ manager: { id: string } }>(`/api/v1/users/${(await userBySource('p2')).id}`);
    expect(report.body.manager.id).toBe(boss.id);
    expect((await get('/api/v1/users/does-not-exist')).status).toBe(404);
  });

  it('PATCH: managed fields answer 409 naming the source; other fields change and are audited with the admin', async () => {
    const u = await userBySource('p3');
    const patch = (payload: object, headers = asBrowser(c.admin)) =>
      svc.app.inject({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers, payload });
    const managed = await patch({ jobTitle: 'Boss', birthDate: '1990-01-02' });
    expect(managed.statusCode).toBe(409);
    expect(errorOf(managed)).toMatchObject({
      code: 'managed_field',
      details: { fields: ['jobTitle'], source: 'FakeHR' },
    });
    expect(errorOf(managed).message).toContain('FakeHR');
    expect((await svc.deps.store.directory.getUser(c.tenant.id, u.id))?.attributes.birthDate).toBeNull();
    // Sending a managed field unchanged is harmless (the UI sends whole forms).
    const ok = await patch({
      jobTitle: u.attributes.jobTitle,
      birthDate: '1990-01-02',
      phoneNumber: '+49 30 1234',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<User>().birthDate).toBe('1990-01-02');
    const history = ok.json<{ history: { actor: string; action: string; changes: { field: string }[] }[] }>()
      .history;
    expect(history[0]).toMatchObject({ actor: `admin:${c.adminEmail}`, action: 'edit' });
    expect(history[0]?.changes.map((ch) => ch.field)).toEqual(['birthDate', 'phoneNumber']);
    expect((await patch({ groupIds: [] })).statusCode).toBe(409);
    expect((await patch({ active: false })).statusCode).toBe(409);
    expect((await patch({ birthDate: '1990-02-30' })).statusCode).toBe(422);
    expect((await patch({ nickname: 'x' })).statusCode).toBe(422);
    const gender = await patch({ gender: 'diverse' });
    expect(gender.statusCode).toBe(422);
    expect(errorOf(gender).details).toMatchObject({ field: 'gender' });
    const added = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/gender-choices',
      headers: asBrowser(c.admin),
      payload: { value: 'diverse' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json<{ items: string[] }>().items).toEqual(['female', 'male', 'diverse']);
    const viaKey = await patch({ gender: 'Diverse' }, asKey(c.keys.admin));
    expect(viaKey.statusCode).toBe(200);
    expect(viaKey.json<User>().gender).toBe('diverse');
    expect(viaKey.json<{ history: { actor: string }[] }>().history[0]?.actor).toBe('api:admin key');
    expect(
      (
        await svc.app.inject({
          method: 'PATCH',
          url: '/api/v1/users/nope',
          headers: asBrowser(c.admin),
          payload: { birthDate: '1990-01-01' },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await svc.app.inject({
          method: 'POST',
          url: '/api/v1/gender-choices',
          headers: asBrowser(c.admin),
          payload: { value: ' ' },
        })
      ).statusCode,
    ).toBe(422);
  });

  it('POST /users is refused while a source is connected unless manual users are allowed', async () => {
    const payload = {
      email: 'manual@acme.example',
      firstName: 'Man',
      lastName: 'Ual',
      jobTitle: 'Contractor',
    };
    const refused = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: asBrowser(c.admin),
      payload,
    });
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused).message).toContain('FakeHR');
    await svc.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: asBrowser(c.admin),
      payload: { allowManualUsers: true },
    });
    const boss = await userBySource('p1');
    const created = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: asBrowser(c.admin),
      payload: { ...payload, managerId: boss.id },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json<User & { history: { action: string }[] }>();
    expect(user).toMatchObject({ email: 'manual@acme.example', managerId: boss.id, managedBy: null });
    expect(user.history[0]?.action).toBe('create');
    expect((await get<{ items: string[] }>('/api/v1/positions')).body.items).toContain('Contractor');
    // A manual user has no managed fields.
    expect(
      (
        await svc.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${user.id}`,
          headers: asBrowser(c.admin),
          payload: { jobTitle: 'Consultant' },
        })
      ).statusCode,
    ).toBe(200);
    const dup = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: asBrowser(c.admin),
      payload: { ...payload, email: 'MANUAL@acme.example' },
    });
    expect(dup.statusCode).toBe(409);
    const missing = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: asBrowser(c.admin),
      payload: { email: 'x@acme.example', firstName: 'X' },
    });
    expect(missing.statusCode).toBe(422);
    expect(errorOf(missing).details).toMatchObject({ field: 'lastName' });
    const cycle = await svc.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: asBrowser(c.admin),
      payload: { managerId: user.id },
    });
    expect(cycle.statusCode).toBe(422);
    await svc.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: asBrowser(c.admin),
      payload: { allowManualUsers: false },
    });
  });

  it('groups carry member counts and flag duplicate names; reference lists are listed', async () => {
    await svc.deps.store.apply(
      { tenantId: c.tenant.id, runId: null, groups: [{ id: `${c.tenant.id}-dup`, name: 'team a' }] },
      { fence: null, now: new Date() },
    );
    const groups = (
      await get<{ items: { name: string; memberCount: number; duplicateName: boolean }[] }>('/api/v1/groups')
    ).body.items;
    expect(groups.map((g) => [g.name, g.memberCount, g.duplicateName])).toEqual([
      ['Team A', 4, true],
      ['Team B', 8, false],
      ['team a', 0, true],
    ]);
    expect((await get<{ items: string[] }>('/api/v1/departments')).body.items).toEqual([
      'Engineering',
      'Sales',
    ]);
    expect((await get<{ items: string[] }>('/api/v1/locations')).body.items).toEqual([]);
    expect((await get<{ items: string[] }>('/api/v1/gender-choices')).body.items).toContain('female');
  });

  it('settings: reads defaults, validates time zone, cron (croner, 15 min), threshold, emails; unknown keys are 422', async () => {
    const read = await get<{
      timezone: string;
      syncCron: string;
      nextRunAt: string;
      deletionThreshold: number;
    }>('/api/v1/settings');
    expect(read.body).toMatchObject({
      timezone: 'UTC',
      syncCron: '0 6 * * *',
      deletionThreshold: 0.1,
      nextRunAt: '2026-11-24T06:00:00.000Z',
    });
    const patch = (payload: object) =>
      svc.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: asBrowser(c.admin), payload });
    const cases: [object, string][] = [
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ syncCron: '61 6 * * *' }, 'syncCron'],
      [{ syncCron: '*/5 * * * *' }, 'syncCron'],
      [{ syncCron: '0 0 6 * * *' }, 'syncCron'],
      [{ technicalUserEmail: 'not-an-email' }, 'technicalUserEmail'],
      [{ notificationRecipients: ['ok@acme.example', 'nope'] }, 'notificationRecipients'],
    ];
    for (const [payload, field] of cases) {
      const res = await patch(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(JSON.stringify(errorOf(res).details)).toContain(field);
    }
    expect((await patch({ deletionThreshold: 1.5 })).statusCode).toBe(422);
    expect((await patch({ colour: 'blue' })).statusCode).toBe(422);
    const ok = await patch({
      timezone: 'Europe/Berlin',
      syncCron: '30 5 * * 1-5',
      leaverPolicy: 'delete',
      deletionThreshold: 0.25,
      technicalUserEmail: 'it@acme.example',
      notificationRecipients: ['hr@acme.example'],
    });
    expect(ok.statusCode).toBe(200);
    // 2026-11-23 is a Monday; 05:30 in Berlin (UTC+1) on Tuesday the 24th.
    expect(ok.json()).toMatchObject({
      timezone: 'Europe/Berlin',
      leaverPolicy: 'delete',
      nextRunAt: '2026-11-24T04:30:00.000Z',
      technicalUserEmail: 'it@acme.example',
    });
    expect((await svc.deps.store.tenants.get(c.tenant.id))?.deletionThreshold).toBe(0.25);
    await patch({
      leaverPolicy: 'deactivate',
      deletionThreshold: 0.1,
      timezone: 'UTC',
      syncCron: '0 6 * * *',
      technicalUserEmail: null,
      notificationRecipients: [],
    });
  });

  it('runs: list, show with items filtered by action, a formula-safe errors.csv', async () => {
    const saved = control.people;
    control.people = [...saved, { id: '=1+1', email: 'not-an-email', firstName: 'Bad', lastName: 'Row' }];
    try {
      const run = await runSync(svc.deps, { tenantId: c.tenant.id, trigger: 'manual' });
      if (!run.ok) throw run.error;
      expect(run.value.status).toBe('partial');
      const list = await get<{ items: { id: string }[]; hasMore: boolean }>('/api/v1/runs?limit=1');
      expect(list.body.items.map((r) => r.id)).toEqual([run.value.id]);
      expect(list.body.hasMore).toBe(true);
      type Items = { items: { total: number; items: { action: string; field: string; code: string }[] } };
      const errors = await get<Items>(`/api/v1/runs/${run.value.id}?action=error`);
      expect(errors.body.items.items).toEqual([expect.objectContaining({ action: 'error', field: 'email' })]);
      // The duplicate group of the previous test is warned about.
      const both = await get<Items>(`/api/v1/runs/${run.value.id}?action=error,warning`);
      expect(both.body.items.items.map((i) => i.code).sort()).toEqual([
        'duplicate_group_name',
        'invalid_email',
      ]);
      expect((await get(`/api/v1/runs/${run.value.id}?action=exploded`)).status).toBe(422);
      const csv = await svc.app.inject({
        method: 'GET',
        url: `/api/v1/runs/${run.value.id}/errors.csv`,
        headers: asBrowser(c.viewer),
      });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toContain('attachment');
      expect(csv.body.split('\n')[0]).toBe('severity,record,source_id,email,field,code,message');
      expect(csv.body).toContain("'=1+1");
      expect(csv.body).not.toMatch(/(^|,)=1\+1/m);
      expect((await get('/api/v1/runs/nope')).status).toBe(404);
      expect((await get('/api/v1/runs/nope/errors.csv')).status).toBe(404);
    } finally {
      control.people = saved;
    }
  });

  it('notifications: a failed sync puts one mail per admin in the outbox, listed newest first', async () => {
    control.failPage = 2;
    try {
      const run = await runSync(svc.deps, { tenantId: c.tenant.id, trigger: 'manual' });
      expect(run.ok && run.value.status).toBe('failed');
    } finally {
      control.failPage = null;
    }
    const res = await get<{ items: { to: string; reason: string; status: string }[] }>(
      '/api/v1/notifications',
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((n) => [n.to, n.reason, n.status])).toEqual([
      [c.adminEmail, 'sync_failed', 'pending'],
    ]);
  });
});
