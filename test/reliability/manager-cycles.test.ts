/** Case 5, manager cycles: self, 2- and 3-cycles, a missing manager and a 10 000-long chain; the stored graph never has a cycle. */
import { expect, it } from 'vitest';
import type { UserRecord } from '../../src/store/index.js';
import type { FakePerson } from '../support/fake-source.js';
import { describeEachRawDb, usersInCycles } from './support/dialects.js';
import { allUsers, fakeWorld, sync } from './support/world.js';

const p = (id: string, manager: string | null, jobTitle = 'Clerk'): FakePerson => ({
  id,
  email: `${id}@acme.example`,
  firstName: id.toUpperCase(),
  lastName: 'Test',
  manager,
  jobTitle,
});

/** Users on or leading into a cycle, walking up from each user once (linear; the CTE needs an index on big graphs). */
const cycleMembersOf = (users: readonly UserRecord[]): number => {
  const manager = new Map(users.map((u) => [u.id, u.managerId]));
  const state = new Map<string, 'walking' | 'ok' | 'cycle'>();
  for (const start of manager.keys()) {
    const path: string[] = [];
    let node: string | null | undefined = start;
    while (node !== null && node !== undefined && !state.has(node)) {
      state.set(node, 'walking');
      path.push(node);
      node = manager.get(node);
    }
    const verdict = node === null || node === undefined || state.get(node) === 'ok' ? 'ok' : 'cycle';
    for (const id of path) state.set(id, verdict);
  }
  return [...state.values()].filter((s) => s === 'cycle').length;
};

describeEachRawDb('reliability 5: manager cycles', (get) => {
  it('breaks every cycle with a warning naming it; cycle members keep their other fields', async () => {
    const db = get();
    const roster = [
      p('self', 'self', 'Selfie'),
      p('a2', 'b2'),
      p('b2', 'a2'),
      p('a3', 'b3'),
      p('b3', 'c3'),
      p('c3', 'a3', 'Loop Lead'),
      p('lost', 'ghost'),
      p('boss', null),
      p('report', 'boss'),
    ];
    const w = await fakeWorld(db.store, { roster });
    expect(w.first?.status).toBe('succeeded');
    const users = await allUsers(db.store, w.tenant.id);
    const bySource = new Map(users.map((u) => [u.sourceId, u]));
    for (const id of ['self', 'a2', 'b2', 'a3', 'b3', 'c3', 'lost'])
      expect(bySource.get(id)?.managerId, id).toBeNull();
    expect(bySource.get('report')?.managerId).toBe(bySource.get('boss')?.id);
    expect(bySource.get('self')?.attributes.jobTitle).toBe('Selfie');
    expect(bySource.get('c3')?.attributes.jobTitle).toBe('Loop Lead');
    expect(users).toHaveLength(9);

    const warnings = await db.store.runs.listItems(w.tenant.id, w.first!.id, {
      action: 'warning',
      limit: 50,
    });
    const cycles = warnings.items.filter((i) => i.code === 'manager_cycle').map((i) => i.message ?? '');
    expect(cycles).toHaveLength(3);
    expect(cycles.some((m) => m.includes('self@acme.example -> self@acme.example'))).toBe(true);
    expect(cycles.some((m) => m.includes('a2@acme.example -> b2@acme.example -> a2@acme.example'))).toBe(
      true,
    );
    expect(
      cycles.some((m) =>
        m.includes('a3@acme.example -> b3@acme.example -> c3@acme.example -> a3@acme.example'),
      ),
    ).toBe(true);
    expect(warnings.items.filter((i) => i.code === 'unknown_manager').map((i) => i.sourceId)).toEqual([
      'lost',
    ]);
    expect(await usersInCycles(db, w.tenant.id)).toBe(0);
    expect(cycleMembersOf(users)).toBe(0);

    // The next run finds nothing to change: the broken cycles stay broken, nothing flaps.
    const again = await sync(w.deps, w.tenant.id);
    expect(again.counts.updated).toBe(0);
    expect(await usersInCycles(db, w.tenant.id)).toBe(0);
  });

  it('a cycle closed through a user synced earlier is still broken', async () => {
    const db = get();
    const w = await fakeWorld(db.store, { roster: [p('x', null), p('y', 'x'), p('z', 'y')] });
    w.control.people = [p('x', 'z'), p('y', 'x'), p('z', 'y')];
    const run = await sync(w.deps, w.tenant.id);
    expect(run.counts.warnings).toBeGreaterThan(0);
    expect(await usersInCycles(db, w.tenant.id)).toBe(0);
  });

  it('a 10 000-long chain syncs, keeps every link and has no cycle; closing it into a ring breaks it', async () => {
    const db = get();
    const n = 10_000;
    const chain = Array.from({ length: n }, (_, i) => p(`c${i}`, i === 0 ? null : `c${i - 1}`));
    const w = await fakeWorld(db.store, { roster: chain, pageSize: 1000, deps: { batchSize: 1000 } });
    expect(w.first?.counts.created).toBe(n);
    const users = await allUsers(db.store, w.tenant.id);
    expect(users.filter((u) => u.managerId !== null)).toHaveLength(n - 1);
    expect(cycleMembersOf(users)).toBe(0);

    w.control.people = chain.map((x, i) => (i === 0 ? { ...x, manager: `c${n - 1}` } : x));
    const ring = await sync(w.deps, w.tenant.id);
    expect(ring.status).toBe('succeeded');
    const warnings = await db.store.runs.listItems(w.tenant.id, ring.id, { action: 'warning', limit: 10 });
    const [cycle] = warnings.items.filter((i) => i.code === 'manager_cycle');
    expect(cycle?.message).toContain(`(${n} members)`);
    // A huge cycle makes a bounded message, not a 10 000-name one.
    expect(cycle?.message?.length ?? 0).toBeLessThan(2_000);
    const after = await allUsers(db.store, w.tenant.id);
    expect(cycleMembersOf(after)).toBe(0);
    expect(after.filter((u) => u.managerId === null)).toHaveLength(n);
  });
});
