/**
 * Case 10, webhooks: wrong, regenerated or disconnected URLs are 404 and queue nothing; replayed and
 * concurrent duplicate deliveries apply each distinct change exactly once (duplicates coalesce into at
 * most one no-op run); a change whose webhook was lost is caught by the periodic full sync.
 */
import { afterEach, expect, it } from 'vitest';
import {
  connect,
  disconnect,
  DISCONNECT_CONFIRMATION,
  regenerateWebhook,
  runSync,
} from '../../src/engine/index.js';
import type { Store } from '../../src/store/index.js';
import { describeEachDialect, newTenant } from '../db.js';
import { testDeps } from '../support/engine.js';
import { fakeSource, people, type FakeSourceControl } from '../support/fake-source.js';
import { startApp, type App } from './support/service.js';
import { allUsers } from './support/world.js';

let open: App | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function setup(store: Store) {
  const control: FakeSourceControl = { people: people(10), pageSize: 5, failPage: null, reads: 0 };
  const deps = testDeps(store, { source: fakeSource(control) });
  const tenant = await newTenant(store);
  const connected = await connect(deps, {
    tenantId: tenant.id,
    provider: 'personio',
    config: { token: 'good' },
  });
  if (!connected.ok) throw connected.error;
  const path = connected.value.webhookPath;
  if (path === null) throw new Error('the fake source sends webhooks');
  open = await startApp({ deps });
  return { control, deps, tenant, path, app: open };
}

const deliver = (app: App, path: string, employeeId: string) =>
  app.app.inject({ method: 'POST', url: path, payload: { employeeId } });

/** Runs that applied a change (a webhook partial run that found nothing to do writes nothing). */
async function changeRuns(store: Store, tenantId: string) {
  const runs = await store.runs.list(tenantId, { limit: 100 });
  return runs.filter((r) => r.trigger === 'webhook');
}

describeEachDialect('reliability 10: webhooks', (getStore) => {
  it('a wrong, regenerated or disconnected URL is 404 and queues nothing', async () => {
    const store = getStore();
    const { deps, tenant, path, app } = await setup(store);
    const stats = app.inProcess?.stats;
    const wrong = path.replace(/[^/]+$/, 'not-the-token');
    expect((await deliver(app, wrong, 'p1')).statusCode).toBe(404);
    expect((await deliver(app, path.replace('/personio/', '/peoplehr/'), 'p1')).statusCode).toBe(404);
    const regenerated = await regenerateWebhook(deps, { tenantId: tenant.id });
    expect(regenerated.ok).toBe(true);
    expect((await deliver(app, path, 'p1')).statusCode).toBe(404);
    const fresh = regenerated.ok ? regenerated.value.webhookPath : '';
    expect((await deliver(app, fresh, 'p1')).statusCode).toBe(202);
    await app.inProcess?.idle();
    await disconnect(deps, { tenantId: tenant.id, confirm: DISCONNECT_CONFIRMATION });
    expect((await deliver(app, fresh, 'p1')).statusCode).toBe(404);
    expect(stats?.enqueued).toBe(1);
  });

  it('a replayed delivery and 10 concurrent duplicates apply the change exactly once', async () => {
    const store = getStore();
    const { control, tenant, path, app } = await setup(store);
    control.people[0] = { ...control.people[0]!, jobTitle: 'CEO' };
    const first = await deliver(app, path, 'p1');
    expect(first.statusCode).toBe(202);
    await app.inProcess?.idle();
    expect((await deliver(app, path, 'p1')).statusCode).toBe(202); // replay
    const burst = await Promise.all(Array.from({ length: 10 }, () => deliver(app, path, 'p1')));
    expect(burst.map((r) => r.statusCode)).toEqual(Array.from({ length: 10 }, () => 202));
    await app.inProcess?.idle();

    const runs = await changeRuns(store, tenant.id);
    expect(runs.every((r) => r.mode === 'partial' && r.status === 'succeeded')).toBe(true);
    expect(runs.filter((r) => r.counts.updated > 0)).toHaveLength(1);
    expect(runs.reduce((n, r) => n + r.counts.updated + r.counts.created + r.counts.deactivated, 0)).toBe(1);
    // Duplicates coalesce in the queue or run as no-ops; never more runs than deliveries.
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThanOrEqual(12);
    const ceo = (await allUsers(store, tenant.id)).find((u) => u.sourceId === 'p1');
    const audit = await store.audit.list(tenant.id, { userId: ceo?.id ?? '', limit: 50 });
    expect(
      audit.filter((a) => a.changes.some((c) => c.field === 'jobTitle' && c.after === 'CEO')),
    ).toHaveLength(1);
  });

  it('two distinct changes delivered together give one applied change each', async () => {
    const store = getStore();
    const { control, tenant, path, app } = await setup(store);
    control.people[1] = { ...control.people[1]!, lastName: 'Two' };
    control.people[2] = { ...control.people[2]!, lastName: 'Three' };
    await Promise.all([
      deliver(app, path, 'p2'),
      deliver(app, path, 'p3'),
      deliver(app, path, 'p2'),
      deliver(app, path, 'p3'),
    ]);
    await app.inProcess?.idle();
    const runs = await changeRuns(store, tenant.id);
    expect(runs.reduce((n, r) => n + r.counts.updated, 0)).toBe(2);
    const users = await allUsers(store, tenant.id);
    expect(users.find((u) => u.sourceId === 'p2')?.attributes.lastName).toBe('Two');
    expect(users.find((u) => u.sourceId === 'p3')?.attributes.lastName).toBe('Three');
  });

  it('a change whose webhook was lost is caught by the periodic full sync', async () => {
    const store = getStore();
    const { control, deps, tenant } = await setup(store);
    control.people[4] = { ...control.people[4]!, department: 'Lost & Found' };
    control.people = control.people.filter((p) => p.id !== 'p9'); // a leaver nobody told us about
    const scheduled = await runSync(deps, { tenantId: tenant.id, trigger: 'schedule' });
    expect(scheduled.ok && scheduled.value.counts).toMatchObject({ updated: 1, deactivated: 1 });
    const users = await allUsers(store, tenant.id);
    expect(users.find((u) => u.sourceId === 'p5')?.attributes.department).toBe('Lost & Found');
    expect(users.find((u) => u.sourceId === 'p9')?.active).toBe(false);
  });
});
