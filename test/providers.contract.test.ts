/**
 * Contract tests of every HR connector against its emulator, through the real engine and store:
 * first sync, no-op re-sync, HR changes, leavers, rehires, reference lists, managers, dirty records,
 * and faults (nothing applied). Runs on SQLite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, runSync, type EngineDeps } from '../src/engine/index.js';
import { generateRoster, type HrPerson } from '../src/sources/_shared/generator.js';
import type { RunningEmulator } from '../src/sources/_shared/emulator-kit.js';
import { startKiwihrEmulator } from '../src/sources/kiwihr/emulator.js';
import { startNmbrsEmulator } from '../src/sources/nmbrs/emulator.js';
import { startPeopleHrEmulator } from '../src/sources/peoplehr/emulator.js';
import { startPersonioEmulator } from '../src/sources/personio/emulator.js';
import type { Store } from '../src/store/index.js';
import { describeEachDialect } from './db.js';
import { testDeps } from './support/engine.js';

const TODAY = '2026-11-23';

interface ProviderCase {
  readonly provider: 'personio' | 'kiwihr' | 'nmbrs' | 'peoplehr';
  start(people: HrPerson[]): Promise<RunningEmulator>;
  config(emu: RunningEmulator): Record<string, string>;
  /** Reference lists the source fills (departments, positions, locations). */
  readonly references: readonly ('departments' | 'positions' | 'locations')[];
  readonly groups: boolean;
}

const cases: readonly ProviderCase[] = [
  {
    provider: 'personio',
    start: (people) => startPersonioEmulator({ people }),
    config: (emu) => ({ ...emu.state.credentials, apiUrl: emu.url }),
    references: ['departments', 'positions'],
    groups: false,
  },
  {
    provider: 'kiwihr',
    start: (people) => startKiwihrEmulator({ people }),
    config: (emu) => ({ ...emu.state.credentials, url: emu.url }),
    references: ['positions'],
    groups: true,
  },
  {
    provider: 'nmbrs',
    start: (people) => startNmbrsEmulator({ people }),
    config: (emu) => ({ ...emu.state.credentials, baseUrl: emu.url }),
    references: ['positions'],
    groups: false,
  },
  {
    provider: 'peoplehr',
    start: (people) => startPeopleHrEmulator({ people }),
    config: (emu) => ({ ...emu.state.credentials, baseUrl: emu.url }),
    references: ['departments', 'positions', 'locations'],
    groups: false,
  },
];

/** People the directory should hold as active users: active, not left, with a unique valid email. */
function expectedActive(people: readonly HrPerson[]): string[] {
  const counts = new Map<string, number>();
  for (const p of people)
    counts.set(p.email.trim().toLowerCase(), (counts.get(p.email.trim().toLowerCase()) ?? 0) + 1);
  return people
    .filter((p) => p.status === 'active' && (p.leavingDate === null || p.leavingDate >= TODAY))
    .filter((p) => p.email.includes('@') && counts.get(p.email.trim().toLowerCase()) === 1)
    .map((p) => p.email.trim().toLowerCase())
    .sort();
}

async function activeEmails(store: Store, tenantId: string): Promise<string[]> {
  const { items } = await store.directory.listUsers(tenantId, { limit: 10_000, active: true });
  return items.map((u) => (u.attributes.email ?? '').toLowerCase()).sort();
}

for (const c of cases) {
  describeEachDialect(`${c.provider} against its emulator`, (getStore) => {
    let emu: RunningEmulator;
    let deps: EngineDeps;
    let tenantId: string;
    const sync = async () => {
      const r = await runSync(deps, { tenantId, trigger: 'manual' });
      if (!r.ok) throw r.error;
      return r.value;
    };

    beforeAll(async () => {
      emu = await c.start(generateRoster({ count: 60, seed: 11, today: TODAY, dirty: true }));
      const store = getStore();
      deps = testDeps(store);
      const tenant = await store.tenants.create({
        id: randomUUID(),
        slug: `${c.provider}-${randomUUID().slice(0, 6)}`,
        name: c.provider,
      });
      tenantId = tenant.id;
      for (const g of ['diverse', 'undefined']) await store.directory.addGenderChoice(tenantId, g);
    });
    afterAll(async () => emu.close());

    it('refuses wrong credentials at connect, before storing anything', async () => {
      const bad = await connect(deps, {
        tenantId,
        provider: c.provider,
        config: {
          ...c.config(emu),
          ...Object.fromEntries(
            Object.keys(emu.state.credentials).map((k) => [k, `${emu.state.credentials[k]}x`]),
          ),
        },
      });
      expect(bad.ok).toBe(false);
      expect(await getStore().integrations.getActive(tenantId)).toBeUndefined();
    });

    it('the first full sync creates the roster; dirty records are reported while the rest syncs', async () => {
      const result = await connect(deps, { tenantId, provider: c.provider, config: c.config(emu) });
      if (!result.ok) throw result.error;
      expect(result.value.run?.status).toBe('partial');
      expect(result.value.run?.counts.errors).toBeGreaterThan(0);
      expect(await activeEmails(getStore(), tenantId)).toEqual(expectedActive(emu.state.people));
    });

    it('creates reference lists, groups and managers', async () => {
      const store = getStore();
      for (const kind of c.references)
        expect((await store.directory.listReferences(tenantId, kind)).length).toBeGreaterThan(0);
      if (c.groups) expect((await store.directory.listGroups(tenantId)).length).toBeGreaterThan(0);
      const { items } = await store.directory.listUsers(tenantId, { limit: 1000 });
      expect(items.filter((u) => u.managerId !== null).length).toBeGreaterThan(items.length / 2);
    });

    it('a second sync writes nothing', async () => {
      const before = getStore().stats.directoryRows;
      const run = await sync();
      expect(run.counts.created + run.counts.updated + run.counts.deactivated + run.counts.reactivated).toBe(
        0,
      );
      expect(getStore().stats.directoryRows).toBe(before);
    });

    it('an HR change, a leaver, a rehire and a hire show up after the next sync', async () => {
      const active = emu.state.people.filter((p) => expectedActive([p]).length === 1);
      const [changed, leaver] = active.slice(-2);
      await emu.control.update(changed!.id, { lastName: 'Renamed' });
      await emu.control.terminate(leaver!.id, '2026-01-31');
      await emu.control.hire({ email: 'new.hire@acme.example', firstName: 'New', lastName: 'Hire' });
      const run = await sync();
      expect(run.counts).toMatchObject({ created: 1, updated: 1, deactivated: 1 });
      await emu.control.rehire(leaver!.id);
      const again = await sync();
      expect(again.counts.reactivated).toBe(1);
      expect(await activeEmails(getStore(), tenantId)).toEqual(expectedActive(emu.state.people));
    });

    it('revoked credentials fail the run with an auth error and apply nothing', async () => {
      const before = getStore().stats.directoryRows;
      emu.control.setFaults({ revoked: true });
      const run = await sync();
      emu.control.resetFaults();
      expect(run.status).toBe('failed');
      expect(run.errorCode).toBe('source_auth');
      expect(getStore().stats.directoryRows).toBe(before);
    });

    it('a page that keeps failing fails the run and applies nothing; the next run converges', async () => {
      const before = getStore().stats.directoryRows;
      await emu.control.update(emu.state.people[1]!.id, { lastName: 'Pending' });
      emu.control.setFaults({ failPages: { 1: { status: 503, times: Number.POSITIVE_INFINITY } } });
      const run = await sync();
      emu.control.resetFaults();
      expect(run.status).toBe('failed');
      expect(run.errorCode).toBe('source_unavailable');
      expect(getStore().stats.directoryRows).toBe(before);
      expect((await sync()).status).toBe('partial');
    });
  });
}
