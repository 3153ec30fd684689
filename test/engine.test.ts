/** The sync run end to end on both databases, with a scriptable source: every pipeline rule of issue 3. */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { AppError } from '../src/core/errors.js';
import {
  confirmRun,
  connect,
  disconnect,
  DISCONNECT_CONFIRMATION,
  errorFileCsv,
  runSync,
  type EngineDeps,
} from '../src/engine/index.js';
import { QUARANTINE_AFTER } from '../src/engine/notify.js';
import type { Store } from '../src/store/index.js';
import { describeEachDialect } from './db.js';
import { fakeSource, people, type FakeSourceControl } from './support/fake-source.js';
import { testDeps } from './support/engine.js';

async function setup(store: Store, n = 20) {
  const control: FakeSourceControl = { people: people(n), pageSize: 7, failPage: null, reads: 0 };
  const deps = testDeps(store, { source: fakeSource(control) });
  const tenant = await store.tenants.create({
    id: randomUUID(),
    slug: `t-${randomUUID().slice(0, 8)}`,
    name: 'Acme',
  });
  await store.admins.create({
    id: randomUUID(),
    tenantId: tenant.id,
    email: 'boss@acme.example',
    passwordHash: 'x',
    role: 'admin',
  });
  const connected = await connect(deps, {
    tenantId: tenant.id,
    provider: 'personio',
    config: { token: 'good' },
  });
  if (!connected.ok) throw connected.error;
  return { control, deps, tenant, first: connected.value.run };
}

async function sync(deps: EngineDeps, tenantId: string, extra: Partial<Parameters<typeof runSync>[1]> = {}) {
  const result = await runSync(deps, { tenantId, trigger: 'manual', ...extra });
  if (!result.ok) throw result.error;
  return result.value;
}

async function activeEmails(store: Store, tenantId: string): Promise<string[]> {
  const { items } = await store.directory.listUsers(tenantId, { limit: 10_000, active: true });
  return items.map((u) => u.attributes.email ?? '').sort();
}

describeEachDialect('engine', (getStore) => {
  it('connect verifies the credentials first and stores nothing when they are wrong', async () => {
    const store = getStore();
    const control: FakeSourceControl = { people: people(3), pageSize: 10, failPage: null, reads: 0 };
    const deps = testDeps(store, { source: fakeSource(control) });
    const tenant = await store.tenants.create({
      id: randomUUID(),
      slug: `t-${randomUUID().slice(0, 8)}`,
      name: 'X',
    });
    const bad = await connect(deps, { tenantId: tenant.id, provider: 'personio', config: { token: 'bad' } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('source_auth');
    expect(await store.integrations.getActive(tenant.id)).toBeUndefined();
    expect(control.reads).toBe(0);
  });

  it('stores credentials encrypted, bound to the integration', async () => {
    const store = getStore();
    const { tenant } = await setup(store, 2);
    const integration = await store.integrations.getActive(tenant.id);
    expect(integration?.credentialsCiphertext).toMatch(/^v1\./);
    expect(integration?.credentialsCiphertext).not.toContain('good');
    expect(integration?.configuredFields).toEqual(['token']);
  });

  it('the first full sync creates every user, group, department and manager', async () => {
    const store = getStore();
    const { tenant, first } = await setup(store, 20);
    expect(first?.status).toBe('succeeded');
    expect(first?.counts.created).toBe(20);
    const { items } = await store.directory.listUsers(tenant.id, { limit: 100 });
    expect(items).toHaveLength(20);
    const boss = items.find((u) => u.sourceId === 'p1');
    expect(items.filter((u) => u.managerId === boss?.id)).toHaveLength(19);
    expect((await store.directory.listGroups(tenant.id)).map((g) => g.name).sort()).toEqual([
      'Team A',
      'Team B',
    ]);
    expect((await store.directory.listReferences(tenant.id, 'departments')).sort()).toEqual([
      'Engineering',
      'Sales',
    ]);
  });

  it('a second sync of the same roster writes nothing (counted, not timed)', async () => {
    const store = getStore();
    const { deps, tenant } = await setup(store, 20);
    const before = store.stats.directoryRows;
    const run = await sync(deps, tenant.id);
    expect(run.status).toBe('succeeded');
    expect(run.counts.unchanged).toBe(20);
    expect(run.counts.updated + run.counts.created + run.counts.deactivated).toBe(0);
    expect(store.stats.directoryRows).toBe(before);
  });

  it('a dry run returns the plan and writes nothing to the directory', async () => {
    const store = getStore();
    const { deps, tenant, control } = await setup(store, 10);
    control.people[2] = { ...control.people[2]!, jobTitle: 'Manager' };
    const before = store.stats.directoryRows;
    const run = await sync(deps, tenant.id, { dryRun: true });
    expect(run.status).toBe('dry_run');
    expect(run.counts.updated).toBe(1);
    expect(store.stats.directoryRows).toBe(before);
    const items = await store.runs.listItems(tenant.id, run.id, { limit: 10 });
    expect(items.items[0]?.changes).toEqual([{ field: 'jobTitle', before: 'Clerk', after: 'Manager' }]);
  });

  it('a failed page applies nothing and the next run converges', async () => {
    const store = getStore();
    const { deps, tenant, control } = await setup(store, 20);
    control.people = control.people.slice(0, 19).map((p) => ({ ...p, jobTitle: 'Changed' }));
    control.failPage = 2;
    const before = store.stats.directoryRows;
    const failed = await sync(deps, tenant.id);
    expect(failed.status).toBe('failed');
    expect(failed.message).toContain('page 2');
    expect(store.stats.directoryRows).toBe(before);
    control.failPage = null;
    const next = await sync(deps, tenant.id);
    expect(next.status).toBe('succeeded');
    expect(next.counts.updated).toBe(19);
    expect(next.counts.deactivated).toBe(1);
  });

  it('notifies admins once per failure streak and once on recovery', async () => {
    const store = getStore();
    const { deps, tenant, control } = await setup(store, 5);
    control.failPage = 1;
    for (let i = 0; i < QUARANTINE_AFTER - 1; i += 1) await sync(deps, tenant.id);
    expect((await store.integrations.getActive(tenant.id))?.quarantinedUntil).toBeNull();
    await sync(deps, tenant.id);
    let mails = await store.outbox.list(tenant.id, { limit: 50 });
    expect(mails.filter((m) => m.reason === 'sync_failed').map((m) => m.to)).toEqual(['boss@acme.example']);
    expect((await store.integrations.getActive(tenant.id))?.quarantinedUntil).not.toBeNull();
    control.failPage = null;
    await sync(deps, tenant.id);
    await sync(deps, tenant.id);
    mails = await store.outbox.list(tenant.id, { limit: 50 });
    expect(mails.filter((m) => m.reason === 'sync_recovered')).toHaveLength(1);
    expect((await store.integrations.getActive(tenant.id))?.failureStreak).toBe(0);
  });

  it('an empty roster is blocked, nothing is deactivated, and confirming applies exactly that plan', async () => {
    const store = getStore();
    const { deps, tenant, control } = await setup(store, 10);
    control.people = [];
    const before = store.stats.directoryRows;
    const blocked = await sync(deps, tenant.id);
    expect(blocked.status).toBe('blocked');
    expect(blocked.guard).toMatchObject({ reason: 'empty_roster' });
    expect(store.stats.directoryRows).toBe(before);
    expect(await activeEmails(store, tenant.id)).toHaveLength(10);
    const mails = await store.outbox.list(tenant.id, { limit: 10 });
    expect(mails.some((m) => m.reason === 'sync_blocked')).toBe(true);
    const confirmed = await confirmRun(deps, { tenantId: tenant.id, runId: blocked.id });
    expect(confirmed.ok && confirmed.value.status).toBe('succeeded');
    expect(await activeEmails(store, tenant.id)).toEqual([]);
  });

  it('deactivates leavers under the threshold and blocks above it', async () => {
    const store = getStore();
    const { deps, tenant, control } = await setup(store, 20);
    await store.tenants.update(tenant.id, { deletionThreshold: 0.2 });
    const all = control.people;
    control.people = all.slice(0, 15); // 25% gone
    expect((await sync(deps, tenant.id)).status).toBe('blocked');
    control.people = all.slice(0, 17); // 15% gone
    const run = await sync(deps, tenant.id);
    expect(run.status).toBe('succeeded');
    expect(run.counts.deactivated).toBe(3);
    expect(await activeEmails(store, tenant.id)).toHaveLength(17);
  });

  it('only one run per integration at a time', async () => {
    const store = getStore();
    const { deps, tenant } = await setup(store, 3);
    const integration = await store.integrations.getActive(tenant.id);
    const held = await store.leases.acquire({
      integrationId: integration!.id,
      owner: 'someone-else',
      ttlMs: 60_000,
      now: deps.clock.now(),
    });
    expect(held).not.toBeNull();
    const busy = await runSync(deps, { tenantId: tenant.id, trigger: 'manual' });
    expect(!busy.ok && busy.error.code).toBe('run_in_progress');
  });

  it('a crash mid-apply leaves a consistent directory and the next run converges', async () => {
    const store = getStore();
    const { deps, tenant, control } = await setup(store, 5);
    control.people = people(60);
    let calls = 0;
    const crashing: Store = {
      ...store,
      apply: async (ops, opts) => {
        calls += 1;
        if (calls === 3) throw new Error('simulated crash');
        return store.apply(ops, opts);
      },
    };
    const crashed = await runSync({ ...deps, store: crashing }, { tenantId: tenant.id, trigger: 'manual' });
    expect(crashed.ok && crashed.value.status).toBe('failed');
    const next = await sync(deps, tenant.id);
    expect(next.status).toBe('succeeded');
    expect(await activeEmails(store, tenant.id)).toEqual(
      people(60)
        .map((p) => p.email)
        .sort(),
    );
    const again = await sync(deps, tenant.id);
    expect(again.counts.unchanged).toBe(60);
  });

  it('a run that loses its lease stops writing and is marked interrupted', async () => {
    const store = getStore();
    const { deps, tenant, control } = await setup(store, 5);
    control.people = people(40);
    const integration = await store.integrations.getActive(tenant.id);
    let calls = 0;
    const stealing: Store = {
      ...store,
      apply: async (ops, opts) => {
        calls += 1;
        if (calls === 2) {
          // Another worker takes the lease over (ours "expired"): our next write must be fenced off.
          await store.leases.acquire({
            integrationId: integration!.id,
            owner: 'other',
            ttlMs: 60_000,
            now: new Date(deps.clock.now().getTime() + 3_600_000),
          });
        }
        return store.apply(ops, opts);
      },
    };
    const run = await runSync({ ...deps, store: stealing }, { tenantId: tenant.id, trigger: 'manual' });
    expect(run.ok && run.value.status).toBe('interrupted');
    expect(calls).toBe(2);
  });

  it('disconnect keeps users, drops links; reconnecting matches by email again', async () => {
    const store = getStore();
    const { deps, tenant } = await setup(store, 6);
    const refused = await disconnect(deps, { tenantId: tenant.id, confirm: 'yes' });
    expect(!refused.ok && refused.error.code).toBe('invalid_input');
    const done = await disconnect(deps, { tenantId: tenant.id, confirm: DISCONNECT_CONFIRMATION });
    expect(done.ok && done.value.unlinkedUsers).toBe(6);
    const { items } = await store.directory.listUsers(tenant.id, { limit: 100 });
    expect(items.every((u) => u.sourceId === null && u.active)).toBe(true);
    const again = await connect(deps, {
      tenantId: tenant.id,
      provider: 'personio',
      config: { token: 'good' },
    });
    expect(again.ok && again.value.run?.counts.created).toBe(0);
    const relinked = await store.directory.listUsers(tenant.id, { limit: 100 });
    expect(relinked.items.every((u) => u.sourceId !== null)).toBe(true);
  });

  it('a record error is reported with record and field while the others sync', async () => {
    const store = getStore();
    const { deps, tenant, control } = await setup(store, 4);
    control.people.push({ id: 'bad', email: 'not-an-email', firstName: 'B', lastName: 'C' });
    const run = await sync(deps, tenant.id);
    expect(run.status).toBe('partial');
    expect(run.counts.errors).toBe(1);
    const csv = await errorFileCsv(deps, run);
    expect(csv).toContain('employee bad');
    expect(csv).toContain('invalid_email');
  });

  it('a webhook-style partial run changes only the named person and deactivates nobody', async () => {
    const store = getStore();
    const { deps, tenant, control } = await setup(store, 10);
    control.people = control.people.slice(0, 5);
    control.people[0] = { ...control.people[0]!, jobTitle: 'CEO' };
    const run = await sync(deps, tenant.id, { input: { kind: 'ids', ids: ['p1'] }, trigger: 'webhook' });
    expect(run.status).toBe('succeeded');
    expect(run.counts.updated).toBe(1);
    expect(run.counts.deactivated).toBe(0);
    expect(await activeEmails(store, tenant.id)).toHaveLength(10);
  });

  it('never reads or changes another tenant', async () => {
    const store = getStore();
    const a = await setup(store, 5);
    const b = await setup(store, 5);
    a.control.people = [];
    await sync(a.deps, a.tenant.id);
    const confirmOther = await confirmRun(a.deps, { tenantId: b.tenant.id, runId: 'nope' });
    expect(!confirmOther.ok && confirmOther.error).toBeInstanceOf(AppError);
    expect(await activeEmails(store, b.tenant.id)).toHaveLength(5);
  });
});
