/**
 * Case 13, tenant isolation: tenants with identical emails and source ids; tenant A's keys and session
 * hit every route holding an id with B's ids → 404 every time; lists show only A; B is unchanged by
 * A's syncs, and a forged job naming B's integration under A's tenant changes nothing of B.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { hashPassword } from '../../src/engine/index.js';
import type { Store } from '../../src/store/index.js';
import { describeEachDialect } from '../db.js';
import { apiKey, bearer, routesOf, startApp, type App } from './support/service.js';
import { allUsers, directoryFingerprint, fakeWorld, people, sync, type World } from './support/world.js';

let open: App | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** Everything of a tenant a sync or a request could change, as one string. */
async function tenantState(store: Store, w: World): Promise<string> {
  const runs = await store.runs.list(w.tenant.id, { limit: 1000 });
  const items = await Promise.all(
    runs.map((r) => store.runs.listItems(w.tenant.id, r.id, { limit: 10_000 })),
  );
  const state = JSON.stringify({
    directory: await directoryFingerprint(store, w.tenant.id),
    runs,
    items,
    audit: await store.audit.list(w.tenant.id, { limit: 10_000 }),
    outbox: await store.outbox.list(w.tenant.id, { limit: 1000 }),
    keys: await store.apiKeys.list(w.tenant.id),
    integrations: await store.integrations.list(w.tenant.id),
    tenant: await store.tenants.get(w.tenant.id),
    gender: await store.directory.listGenderChoices(w.tenant.id),
  });
  // A hash: equal states compare in one line, and a failure does not print both tenants.
  return createHash('sha256').update(state).digest('hex');
}

describeEachDialect('reliability 13: tenant isolation', (getStore) => {
  it("A's credentials against every route with B's ids: 404 every time, and B unchanged", async () => {
    const store = getStore();
    const roster = people(12);
    roster.push({ id: 'bad', email: 'not-an-email', firstName: 'X', lastName: 'Y' }); // B gets an error file too
    const a = await fakeWorld(store, { roster: roster.map((p) => ({ ...p })), name: 'A' });
    const b = await fakeWorld(store, { roster: roster.map((p) => ({ ...p })), name: 'B' });
    // Same emails and source ids in both tenants, each linked to its own integration.
    const [ua, ub] = [await allUsers(store, a.tenant.id), await allUsers(store, b.tenant.id)];
    expect(ua.map((u) => [u.attributes.email, u.sourceId]).sort()).toEqual(
      ub.map((u) => [u.attributes.email, u.sourceId]).sort(),
    );
    // B has a blocked run waiting for confirmation, groups and a key of its own.
    b.control.people = [];
    const blocked = await sync(b.deps, b.tenant.id);
    expect(blocked.status).toBe('blocked');
    const bKey = await apiKey(b.deps, b.tenant.id, ['admin'], 'b admin');
    const bKeyId = (await store.apiKeys.list(b.tenant.id))[0]?.id ?? '';
    const bGroup = (await store.directory.listGroups(b.tenant.id))[0]?.id ?? '';
    const bIds = [blocked.id, b.first?.id ?? '', ub[0]?.id ?? '', ub[5]?.id ?? '', bKeyId, bGroup];

    open = await startApp({ deps: a.deps });
    const aAdmin = await apiKey(
      a.deps,
      a.tenant.id,
      ['admin', 'directory:read', 'hr-data:write'],
      'a everything',
    );
    const adminId = randomUUID();
    await store.admins.create({
      id: adminId,
      tenantId: a.tenant.id,
      email: 'a-admin@a.example',
      passwordHash: await hashPassword('correct horse battery'),
      role: 'admin',
    });
    const signIn = await open.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'a-admin@a.example', password: 'correct horse battery' },
    });
    expect(signIn.statusCode).toBe(200);
    const session = {
      cookie: `rs_session=${signIn.cookies.find((c) => c.name === 'rs_session')?.value ?? ''}`,
      'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken,
    };

    // B's own key sees B's run (and is touched now, before the snapshot).
    expect(
      (await open.app.inject({ method: 'GET', url: '/api/v1/runs', headers: bearer(bKey) })).body,
    ).toContain(blocked.id);
    const before = await tenantState(store, b);
    const routes = (await routesOf(open.app)).filter((r) => /\{(id|userId|groupId|runId)\}/.test(r.path));
    expect(routes.length).toBeGreaterThanOrEqual(6);
    // B's id must answer exactly what an id that exists nowhere answers (404, or a refusal that does not
    // depend on the id, like SCIM's read-only 501), and never a success.
    const leaks: string[] = [];
    let notFound = 0;
    let apiCalls = 0;
    for (const route of routes) {
      for (const headers of [bearer(aAdmin), session]) {
        const call = async (id: string) =>
          (
            await open!.app.inject({
              method: route.method as 'GET',
              url: route.path.replace(/\{[^}]+\}/g, id),
              ...(route.method === 'GET' || route.method === 'DELETE'
                ? { headers }
                : {
                    headers: { ...headers, 'content-type': 'application/json' },
                    payload: JSON.stringify({ firstName: 'Hacked', active: false }),
                  }),
            })
          ).statusCode;
        const nowhere = await call(randomUUID());
        for (const id of bIds) {
          const status = await call(id);
          if (route.path.startsWith('/api/v1/')) {
            apiCalls += 1;
            if (status === 404) notFound += 1;
          }
          if (status !== nowhere || status < 300)
            leaks.push(`${status} (nowhere: ${nowhere}) ${route.method} ${route.path} ${id}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    // The admin API answers 404 to every one of them (never 403, which would confirm the object exists).
    expect(apiCalls).toBeGreaterThan(30);
    expect(notFound).toBe(apiCalls);

    // Lists show A's own objects only: none of B's ids appear.
    for (const url of [
      '/api/v1/users?limit=500',
      '/api/v1/runs',
      '/api/v1/groups',
      '/api/v1/api-keys',
      '/api/v1/directory/users',
      '/scim/v2/Users',
    ]) {
      const res = await open.app.inject({ method: 'GET', url, headers: bearer(aAdmin) });
      expect(res.statusCode, url).toBe(200);
      for (const id of bIds) expect(res.body.includes(id), `${url} shows B's ${id}`).toBe(false);
    }

    // A syncs (with changes and leavers) and a forged job names B's integration under A's tenant.
    a.control.people = a.control.people.slice(0, 11).map((p) => ({ ...p, jobTitle: 'Changed in A' }));
    await store.tenants.update(a.tenant.id, { deletionThreshold: 0.5 });
    expect((await sync(a.deps, a.tenant.id)).counts).toMatchObject({ updated: 11, deactivated: 1 });
    await open.queue.enqueueSync({
      tenantId: a.tenant.id,
      integrationId: b.integrationId,
      trigger: 'manual',
      input: { kind: 'pull' },
    });
    await open.inProcess?.idle();
    expect(await tenantState(store, b)).toBe(before);
    expect(
      (await allUsers(store, a.tenant.id)).filter((u) => u.attributes.jobTitle === 'Changed in A'),
    ).toHaveLength(11);
  });
});
