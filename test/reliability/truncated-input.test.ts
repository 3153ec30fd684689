/**
 * Case 3, truncated input: an upload over the limit, a CSV cut mid-row, page 3 of 5 failing after
 * retries, a list that ends before its announced total. Never a deactivation; a run is all or
 * nothing on fetch: nothing from the pages that did arrive is applied.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, uploadEmployees } from '../../src/engine/index.js';
import { generateRoster, type HrPerson } from '../../src/sources/_shared/generator.js';
import { startPersonioEmulator, type PersonioEmulator } from '../../src/sources/personio/emulator.js';
import type { Store } from '../../src/store/index.js';
import { describeEachDialect } from '../db.js';
import { testDeps } from '../support/engine.js';
import { employeeCsv, fileRows, fileWorld } from './support/files.js';
import { startProxy, type Proxy } from './support/loopback.js';
import { activeEmails, allUsers, sync } from './support/world.js';

const TODAY = '2026-11-23';
const activeRoster = (count: number, seed: number): HrPerson[] =>
  generateRoster({ count, seed, today: TODAY }).map((p) => ({
    ...p,
    status: 'active' as const,
    leavingDate: null,
  }));

async function personioTenant(store: Store, url: string, emu: PersonioEmulator) {
  const deps = testDeps(store);
  const tenant = await store.tenants.create({
    id: randomUUID(),
    slug: `p-${randomUUID().slice(0, 10)}`,
    name: 'Paged',
  });
  const connected = await connect(deps, {
    tenantId: tenant.id,
    provider: 'personio',
    config: { ...emu.state.credentials, apiUrl: url },
  });
  if (!connected.ok) throw connected.error;
  return { deps, tenant, first: connected.value.run };
}

describeEachDialect('reliability 3: truncated input', (getStore) => {
  let emu: PersonioEmulator;
  let proxy: Proxy;
  let lie = false;
  beforeAll(async () => {
    emu = await startPersonioEmulator({ people: activeRoster(450, 303) });
    // Announces 100 more employees than it sends: a list whose cursor ends early.
    proxy = await startProxy({
      target: emu.origin,
      rewrite: (req, reply) => {
        if (!lie || !req.url?.startsWith('/v1/company/employees') || reply.status !== 200) return reply;
        const page = JSON.parse(reply.body) as { metadata: { total_elements: number } };
        page.metadata.total_elements += 100;
        return { ...reply, body: JSON.stringify(page) };
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await emu.close();
  });

  it('an upload over the size limit is refused before parsing: no run, nothing written', async () => {
    const store = getStore();
    const { deps, tenant } = await fileWorld(store, { rows: fileRows(5) });
    const runsBefore = (await store.runs.list(tenant.id, { limit: 100 })).length;
    const rowsBefore = store.stats.directoryRows;
    const big = employeeCsv(fileRows(500));
    const result = await uploadEmployees(deps, { tenantId: tenant.id, content: big, maxBytes: 4096 });
    expect(!result.ok && result.error.code).toBe('payload_too_large');
    expect((await store.runs.list(tenant.id, { limit: 100 })).length).toBe(runsBefore);
    expect(store.stats.directoryRows).toBe(rowsBefore);
  });

  it('a CSV cut mid-row is rejected whole, naming the row; nobody is deactivated', async () => {
    const store = getStore();
    const { deps, tenant } = await fileWorld(store, { rows: fileRows(10) });
    const full = employeeCsv(fileRows(10));
    const cutAt = full.indexOf('e7@acme.example') + 4; // line 8 (header is line 1) ends mid-cell
    const quoted = `${full.split('\n').slice(0, 6).join('\n')}\ne6,e6@acme.example,"Smith, Jr`;
    for (const [content, line] of [
      [full.slice(0, cutAt), 8],
      [quoted, 7],
    ] as const) {
      const rowsBefore = store.stats.directoryRows;
      const result = await uploadEmployees(deps, { tenantId: tenant.id, content, format: 'csv' });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toContain(`Line ${line}`);
      expect(result.error.details).toMatchObject({ line });
      expect(store.stats.directoryRows).toBe(rowsBefore);
    }
    expect(await activeEmails(store, tenant.id)).toHaveLength(10);
  });

  it('page 3 of 5 failing after retries fails the run; nothing from pages 1 and 2 is applied', async () => {
    const store = getStore();
    const { deps, tenant, first } = await personioTenant(store, emu.url, emu);
    expect(first?.counts.created).toBe(450);
    const [onPage1] = emu.state.people;
    await emu.control.update(onPage1!.id, { lastName: 'Changed' });
    await emu.control.terminate(emu.state.people[449]!.id, '2026-01-31');
    emu.control.setFaults({ failPages: { 3: { status: 503, times: Number.POSITIVE_INFINITY } } });
    const rowsBefore = store.stats.directoryRows;
    const requestsBefore = emu.state.requests;
    const run = await sync(deps, tenant.id);
    emu.control.resetFaults();
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('source_unavailable');
    // testDeps retries twice: page 3 is asked 3 times, pages 4 and 5 never.
    expect(run.message).toContain('3 attempts');
    expect(emu.state.requests - requestsBefore).toBeLessThanOrEqual(2 + 3 + 1);
    expect(store.stats.directoryRows).toBe(rowsBefore);
    const users = await allUsers(store, tenant.id);
    expect(users.filter((u) => !u.active)).toHaveLength(0);
    expect(users.find((u) => u.sourceId === onPage1!.id)?.attributes.lastName).not.toBe('Changed');
    const next = await sync(deps, tenant.id);
    expect(next.counts).toMatchObject({ updated: 1, deactivated: 1 });
    await emu.control.rehire(emu.state.people[449]!.id);
    expect((await sync(deps, tenant.id)).counts.reactivated).toBe(1);
  });

  it('a list that ends before its announced total fails the run and applies nothing', async () => {
    const store = getStore();
    const { deps, tenant } = await personioTenant(store, proxy.origin, emu);
    expect(await activeEmails(store, tenant.id)).toHaveLength(450);
    await emu.control.update(emu.state.people[3]!.id, { lastName: 'Early' });
    lie = true;
    const rowsBefore = store.stats.directoryRows;
    const run = await sync(deps, tenant.id);
    lie = false;
    expect(run.status).toBe('failed');
    expect(run.message).toContain('ended early');
    expect(store.stats.directoryRows).toBe(rowsBefore);
    expect(await activeEmails(store, tenant.id)).toHaveLength(450);
    expect((await sync(deps, tenant.id)).counts.updated).toBe(1);
  });
});
