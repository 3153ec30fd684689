/** planToBatches: new users are inserted with their manager when it exists by then (one write, not two). */
import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../core/model.js';
import type { Plan, UserChange } from '../core/model.js';
import { emptyAttributes } from '../core/plan-fields.js';
import { managersFirst, planToBatches } from './apply.js';

const create = (userId: string, managerId?: string | null): UserChange => ({
  action: 'create',
  userId,
  sourceId: userId,
  email: `${userId}@acme.example`,
  changes: [],
  after: { ...emptyAttributes(), email: `${userId}@acme.example` },
  ...(managerId === undefined ? {} : { managerId }),
  link: { integrationId: 'i1', sourceId: userId },
});

const update = (userId: string, managerId?: string | null): UserChange => ({
  action: 'update',
  userId,
  sourceId: userId,
  email: `${userId}@acme.example`,
  changes: [{ field: 'manager', before: null, after: managerId ?? null }],
  ...(managerId === undefined ? {} : { managerId }),
});

const planOf = (users: UserChange[]): Plan => ({
  users,
  groupsToCreate: [],
  membershipsToAdd: [],
  membershipsToRemove: [],
  referencesToCreate: { departments: [], positions: [], locations: [] },
  issues: [],
  counts: emptyCounts,
});

const batches = (users: UserChange[], batchSize = 2) =>
  planToBatches(planOf(users), {
    tenantId: 't1',
    integrationId: 'i1',
    runId: 'r1',
    batchSize,
    actor: 'run',
    items: true,
  });

describe('managersFirst', () => {
  it('moves new reports after their new manager and keeps the plan order otherwise', () => {
    const order = managersFirst([
      create('a', 'c'),
      update('b'),
      create('c', 'd'),
      create('d'),
      create('e', 'x'),
    ]);
    expect(order.map((u) => u.userId)).toEqual(['b', 'd', 'c', 'a', 'e']);
  });

  it('keeps every write exactly once, even around a cycle the planner did not break', () => {
    const order = managersFirst([create('a', 'b'), create('b', 'a'), create('c')]);
    expect(order.map((u) => u.userId).sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('planToBatches', () => {
  it('inserts new users with an existing or earlier-created manager and skips the managers pass for them', () => {
    const out = batches([create('r1', 'boss'), create('r2', 'new-boss'), create('new-boss', 'boss')]);
    const created = out.flatMap((b) => b.createUsers ?? []);
    expect(created.map((u) => [u.id, u.managerId])).toEqual([
      ['r1', 'boss'],
      ['new-boss', 'boss'],
      ['r2', 'new-boss'],
    ]);
    expect(out.flatMap((b) => b.setManagers ?? [])).toEqual([]);
  });

  it('still sets managers of updated users, and of a remaining cycle, in the managers pass', () => {
    const out = batches([update('u1', 'boss'), create('a', 'b'), create('b', 'a')]);
    const passed = out.flatMap((b) => b.setManagers ?? []);
    expect(passed).toContainEqual({ userId: 'u1', managerId: 'boss' });
    const inlined = out.flatMap((b) => b.createUsers ?? []).filter((u) => u.managerId !== undefined);
    // One of the two must wait for the other: it is set after both exist.
    expect(inlined).toHaveLength(1);
    expect(passed).toHaveLength(2);
  });

  it('writes run items and audit entries in the same (reordered) batches as the users', () => {
    const out = batches([create('a', 'b'), create('b')], 1);
    expect(out.map((b) => b.createUsers?.map((u) => u.id))).toEqual([['b'], ['a']]);
    expect(out.map((b) => b.runItems?.map((i) => i.userId))).toEqual([['b'], ['a']]);
    expect(out.map((b) => b.audit?.map((a) => a.userId))).toEqual([['b'], ['a']]);
  });
});
