// Table tests of manager resolution and cycle breaking, plus the O(n) walk on long chains.
import { describe, it, expect } from 'vitest';
import { findCycles } from './managers.js';
import type { SourcePerson } from './model.js';
import { plan } from './plan.js';
import { changeFor, linkedUser, makeInput, makePerson, makeUser } from './plan-fixtures.js';

const chain = (n: number, close: boolean): SourcePerson[] =>
  Array.from({ length: n }, (_, i) =>
    makePerson({
      sourceId: `p${String(i).padStart(5, '0')}`,
      managerSourceId: i + 1 < n ? `p${String(i + 1).padStart(5, '0')}` : close ? 'p00000' : null,
    }),
  );

describe('managers', () => {
  it('resolves a manager to the user planned for that roster person, new users included', () => {
    const roster = [makePerson({ sourceId: 's1', managerSourceId: 's2' }), makePerson({ sourceId: 's2' })];
    const result = plan(makeInput({ roster }));
    expect(changeFor(result.users, 's1')).toMatchObject({ userId: 'new-1', managerId: 'new-2' });
    expect(changeFor(result.users, 's2')?.managerId).toBeUndefined();
  });

  it('partial: finds a manager absent from the roster among users linked to this integration', () => {
    const boss = linkedUser(makePerson({ sourceId: 'boss' }), { id: 'u-boss' });
    const person = makePerson({ sourceId: 's1', managerSourceId: 'boss' });
    const result = plan(
      makeInput({ mode: 'partial', roster: [person], users: [boss, linkedUser(person, { id: 'u1' })] }),
    );
    expect(result.users).toEqual([
      expect.objectContaining({
        userId: 'u1',
        managerId: 'u-boss',
        changes: [{ field: 'manager', before: null, after: 'u-boss' }],
      }),
    ]);
  });

  it('removes the manager when the source says null', () => {
    const person = makePerson({ sourceId: 's1', managerSourceId: null });
    const result = plan(
      makeInput({ roster: [person], users: [linkedUser(person, { id: 'u1', managerId: 'u-old' })] }),
    );
    expect(result.users[0]).toMatchObject({ action: 'update', managerId: null });
  });

  it('warns about an unknown manager: a new user gets none, an existing user keeps hers', () => {
    const known = makePerson({ sourceId: 's1', managerSourceId: 'ghost' });
    const fresh = makePerson({ sourceId: 's2', managerSourceId: 'ghost' });
    const result = plan(
      makeInput({ roster: [known, fresh], users: [linkedUser(known, { id: 'u1', managerId: 'u-old' })] }),
    );
    expect(changeFor(result.users, 's1')).toMatchObject({ action: 'unchanged' });
    expect(changeFor(result.users, 's2')?.managerId).toBeUndefined();
    expect(result.issues.map((i) => [i.code, i.sourceId])).toEqual([
      ['unknown_manager', 's1'],
      ['unknown_manager', 's2'],
    ]);
    expect(result.issues[0]?.message).toContain('the current manager was kept');
  });

  it('gives no manager, silently, when the manager is an inactive person with no user', () => {
    const roster = [
      makePerson({ sourceId: 's1', managerSourceId: 's2' }),
      makePerson({ sourceId: 's2', active: false }),
    ];
    const result = plan(makeInput({ roster }));
    expect(result.users.map((u) => u.sourceId)).toEqual(['s1']);
    expect(result.issues).toEqual([]);
  });

  it('breaks self-management: no manager and one manager_cycle warning', () => {
    const result = plan(makeInput({ roster: [makePerson({ sourceId: 's1', managerSourceId: 's1' })] }));
    expect(result.users[0]?.managerId).toBeUndefined();
    expect(result.issues).toEqual([expect.objectContaining({ code: 'manager_cycle', sourceId: 's1' })]);
  });

  it('breaks a cycle: every member loses the manager, ONE warning naming the members by email', () => {
    const roster = [
      makePerson({ sourceId: 'a', managerSourceId: 'b' }),
      makePerson({ sourceId: 'b', managerSourceId: 'c' }),
      makePerson({ sourceId: 'c', managerSourceId: 'a' }),
      makePerson({ sourceId: 'd', managerSourceId: 'a' }),
    ];
    const result = plan(makeInput({ roster }));
    expect(result.users.map((u) => [u.sourceId, u.managerId ?? null])).toEqual([
      ['a', null],
      ['b', null],
      ['c', null],
      ['d', 'new-1'],
    ]);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.message).toContain('(a@acme.test -> b@acme.test -> c@acme.test -> a@acme.test)');
  });

  it('cuts only the kept edge when an unknown manager closes the cycle, so the next run changes nothing', () => {
    const a = makePerson({ sourceId: 'a', managerSourceId: 'ghost' });
    const b = makePerson({ sourceId: 'b', managerSourceId: 'a' });
    const users = [
      linkedUser(a, { id: 'ua', managerId: 'ub' }),
      linkedUser(b, { id: 'ub', managerId: 'ua' }),
    ];
    const result = plan(makeInput({ roster: [a, b], users }));
    expect(result.users.map((u) => [u.sourceId, u.action, u.managerId])).toEqual([
      ['a', 'update', null],
      ['b', 'unchanged', undefined],
    ]);
    expect(result.issues.map((i) => i.code)).toEqual(['manager_cycle', 'unknown_manager']);
  });

  it('does not resolve managers when the source does not manage them', () => {
    const person = makePerson({ sourceId: 's1', managerSourceId: 's1' });
    const input = makeInput({
      roster: [person],
      users: [linkedUser(person, { id: 'u1', managerId: 'u1' })],
      managedFields: ['email', 'firstName', 'lastName'],
    });
    expect(plan(input).issues).toEqual([]);
  });

  it('drops the manager of a report whose manager is deleted as a leaver', () => {
    const boss = makePerson({ sourceId: 'boss', active: false });
    const report = makePerson({ sourceId: 's1', managerSourceId: 'boss' });
    const users = [linkedUser(boss, { id: 'u-boss' }), linkedUser(report, { id: 'u1', managerId: 'u-boss' })];
    const result = plan(makeInput({ roster: [boss, report], users, leaverPolicy: 'delete' }));
    expect(changeFor(result.users, 's1')).toMatchObject({ action: 'update', managerId: null });
  });

  it('resolves a 10 000-long chain without recursion and finds no cycle', () => {
    const result = plan(makeInput({ roster: chain(10_000, false) }));
    expect(result.counts.created).toBe(10_000);
    expect(result.issues).toEqual([]);
  });

  it('breaks a 10 000-long cycle with one warning', () => {
    const result = plan(makeInput({ roster: chain(10_000, true) }));
    expect(result.issues.map((i) => i.code)).toEqual(['manager_cycle']);
    expect(result.users.every((u) => u.managerId === undefined)).toBe(true);
  });

  it('findCycles walks each node once (O(n)), however the starts are ordered', () => {
    const n = 10_000;
    const next = (id: string): string | null => {
      calls += 1;
      const i = Number(id);
      return i === 0 ? String(n - 1) : String(i - 1); // one ring of n nodes
    };
    let calls = 0;
    const starts = Array.from({ length: n }, (_, i) => String(i));
    const cycles = findCycles({ starts, next });
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n);
    expect(calls).toBe(n);
  });

  it('leaves alone a cycle no synced user belongs to', () => {
    const users = [
      makeUser({ id: 'x', managerId: 'y', integrationId: 'int-other', sourceId: 'x' }),
      makeUser({ id: 'y', managerId: 'x', integrationId: 'int-other', sourceId: 'y' }),
    ];
    const person = makePerson({ sourceId: 's1', managerSourceId: null });
    const result = plan(makeInput({ roster: [person], users }));
    expect(result.issues).toEqual([]);
    expect(result.users.map((u) => u.sourceId)).toEqual(['s1']);
  });
});
