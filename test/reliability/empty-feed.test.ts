/** Case 1, empty feed: an empty HR answer, a header-only CSV and a root-only XML block the run; confirming applies exactly the stored plan. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Plan } from '../../src/core/model.js';
import { confirmRun, connect, uploadEmployees, type EngineDeps } from '../../src/engine/index.js';
import { generateRoster } from '../../src/sources/_shared/generator.js';
import { startPersonioEmulator, type PersonioEmulator } from '../../src/sources/personio/emulator.js';
import type { RunRecord, Store, Tenant } from '../../src/store/index.js';
import { describeEachDialect } from '../db.js';
import { testDeps } from '../support/engine.js';
import { employeeCsv, employeeXml, fileRows, fileWorld } from './support/files.js';
import { activeEmails, ADMIN_EMAIL, sync } from './support/world.js';

/** What every blocked empty feed must show: blocked, nothing written, plan stored, admins told. */
async function expectBlockedAndStored(o: {
  store: Store;
  tenant: Tenant;
  run: RunRecord;
  activeBefore: number;
  rowsBefore: number;
}): Promise<Plan> {
  const { store, tenant, run } = o;
  expect(run.status).toBe('blocked');
  expect(run.guard).toMatchObject({ reason: 'empty_roster', leavers: o.activeBefore });
  expect(store.stats.directoryRows).toBe(o.rowsBefore);
  expect(await activeEmails(store, tenant.id)).toHaveLength(o.activeBefore);
  const json = await store.runs.loadPlan(tenant.id, run.id);
  expect(json).toBeDefined();
  const plan = JSON.parse(json ?? '{}') as Plan;
  expect(plan.counts.deactivated).toBe(o.activeBefore);
  const mails = await store.outbox.list(tenant.id, { limit: 50 });
  expect(mails.filter((m) => m.reason === 'sync_blocked').map((m) => m.to)).toEqual([ADMIN_EMAIL]);
  return plan;
}

/** Confirms the run and checks that exactly the plan's deactivations happened, nothing else. */
async function expectConfirmAppliesExactly(o: {
  deps: EngineDeps;
  tenant: Tenant;
  run: RunRecord;
  plan: Plan;
}) {
  const { deps, tenant } = o;
  const planned = o.plan.users
    .filter((u) => u.action === 'deactivate')
    .map((u) => u.userId)
    .sort();
  const confirmed = await confirmRun(deps, { tenantId: tenant.id, runId: o.run.id });
  expect(confirmed.ok && confirmed.value.status).toBe('succeeded');
  const { items } = await deps.store.directory.listUsers(tenant.id, { limit: 10_000 });
  expect(
    items
      .filter((u) => !u.active)
      .map((u) => u.id)
      .sort(),
  ).toEqual(planned);
  expect(items.filter((u) => u.active)).toHaveLength(0);
  // The stored plan is consumed: confirming twice cannot apply it again.
  const again = await confirmRun(deps, { tenantId: tenant.id, runId: o.run.id });
  expect(!again.ok && again.error.code).toBe('conflict');
}

describeEachDialect('reliability 1: empty feed', (getStore) => {
  let emu: PersonioEmulator;
  beforeAll(async () => {
    emu = await startPersonioEmulator({
      people: generateRoster({ count: 40, seed: 101, today: '2026-11-23' }).map((p) => ({
        ...p,
        status: 'active' as const,
        leavingDate: null,
      })),
    });
  });
  afterAll(async () => emu.close());

  it('the HR API answers an empty list: blocked, 0 deactivations, plan stored, admins notified; confirm applies it', async () => {
    const store = getStore();
    const deps = testDeps(store);
    const tenant = await store.tenants.create({
      id: randomUUID(),
      slug: `e-${randomUUID().slice(0, 10)}`,
      name: 'Empty',
    });
    await store.admins.create({
      id: randomUUID(),
      tenantId: tenant.id,
      email: ADMIN_EMAIL,
      passwordHash: 'x',
      role: 'admin',
    });
    const connected = await connect(deps, {
      tenantId: tenant.id,
      provider: 'personio',
      config: { ...emu.state.credentials, apiUrl: emu.url },
    });
    if (!connected.ok) throw connected.error;
    const activeBefore = (await activeEmails(store, tenant.id)).length;
    expect(activeBefore).toBeGreaterThan(30);

    const saved = emu.state.people;
    emu.control.setPeople([]);
    const rowsBefore = store.stats.directoryRows;
    const run = await sync(deps, tenant.id);
    const plan = await expectBlockedAndStored({ store, tenant, run, activeBefore, rowsBefore });
    // The roster comes back before the admin confirms: confirming still applies the stored plan, not a new fetch.
    emu.control.setPeople(saved);
    await expectConfirmAppliesExactly({ deps, tenant, run, plan });
  });

  it('a CSV with a header only is blocked the same way', async () => {
    const store = getStore();
    const { deps, tenant, first } = await fileWorld(store, { rows: fileRows(12) });
    expect(first.counts.created).toBe(12);
    const rowsBefore = store.stats.directoryRows;
    const uploaded = await uploadEmployees(deps, {
      tenantId: tenant.id,
      content: employeeCsv([]),
      format: 'csv',
    });
    if (!uploaded.ok) throw uploaded.error;
    const plan = await expectBlockedAndStored({
      store,
      tenant,
      run: uploaded.value,
      activeBefore: 12,
      rowsBefore,
    });
    await expectConfirmAppliesExactly({ deps, tenant, run: uploaded.value, plan });
  });

  it('an XML file with the root element only is blocked the same way', async () => {
    const store = getStore();
    const { deps, tenant } = await fileWorld(store, { rows: fileRows(9), format: 'xml' });
    expect(await activeEmails(store, tenant.id)).toHaveLength(9);
    for (const content of ['<employees/>', employeeXml([])]) {
      const rowsBefore = store.stats.directoryRows;
      const uploaded = await uploadEmployees(deps, { tenantId: tenant.id, content, format: 'xml' });
      if (!uploaded.ok) throw uploaded.error;
      expect(uploaded.value.status).toBe('blocked');
      expect(store.stats.directoryRows).toBe(rowsBefore);
    }
    const runs = await store.runs.list(tenant.id, { limit: 10 });
    // The second upload superseded the first blocked run; only the newest plan can be confirmed.
    const [newest, superseded] = runs;
    expect(superseded?.status).toBe('cancelled');
    expect(await store.runs.loadPlan(tenant.id, superseded?.id ?? '')).toBeUndefined();
    const plan = JSON.parse((await store.runs.loadPlan(tenant.id, newest?.id ?? '')) ?? '{}') as Plan;
    expect(plan.counts.deactivated).toBe(9);
    await expectConfirmAppliesExactly({ deps, tenant, run: newest!, plan });
  });
});
