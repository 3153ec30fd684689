// Table tests of the guard: empty roster, the strict threshold, partial runs, what counts as a leaver.
import { describe, it, expect } from 'vitest';
import { countActiveLinked, countLeavers, guard } from './guard.js';
import type { Plan, UserChange } from './model.js';
import { plan } from './plan.js';
import { linkedUser, makeInput, makePerson, makeUser } from './plan-fixtures.js';

let seq = 0;
const change = (action: UserChange['action'], activeBefore = true): UserChange => ({
  action,
  userId: `u-${(seq += 1)}`,
  sourceId: null,
  email: 'x@acme.test',
  changes:
    action === 'delete' || action === 'deactivate'
      ? [{ field: 'active', before: String(activeBefore), after: null }]
      : [],
});

const planWith = (users: UserChange[], valid = 10): Plan => ({
  users,
  groupsToCreate: [],
  membershipsToAdd: [],
  membershipsToRemove: [],
  referencesToCreate: { departments: [], positions: [], locations: [] },
  issues: [],
  counts: {
    created: 0,
    updated: 0,
    deactivated: 0,
    reactivated: 0,
    deleted: 0,
    unchanged: 0,
    errors: 0,
    warnings: 0,
  },
  roster: { received: valid, valid },
});

const leavers = (n: number): UserChange[] => Array.from({ length: n }, () => change('deactivate'));
const policy = { threshold: 0.2 };

describe('guard', () => {
  it('blocks a full run whose valid roster is empty while active users are linked', () => {
    const verdict = guard(planWith(leavers(3), 0), { mode: 'full', policy, activeLinked: 3 });
    expect(verdict).toMatchObject({ blocked: true, reason: 'empty_roster', leavers: 3, activeLinked: 3 });
    expect(verdict.blocked && verdict.message).toMatch(
      /no valid employee while 3 active users are linked.*confirm the run/,
    );
  });

  it('lets an empty roster through when nobody is linked yet', () => {
    expect(guard(planWith([], 0), { mode: 'full', policy, activeLinked: 0 })).toEqual({ blocked: false });
  });

  it.each([
    [25, true],
    [21, true],
    [20, false],
    [15, false],
  ])('with a 20%% threshold over 100 users, %i leavers block: %s (strictly more)', (n, blocked) => {
    const verdict = guard(planWith(leavers(n)), { mode: 'full', policy, activeLinked: 100 });
    expect(verdict.blocked).toBe(blocked);
    if (verdict.blocked) {
      expect(verdict).toMatchObject({ reason: 'threshold', leavers: n, activeLinked: 100, threshold: 0.2 });
      expect(verdict.message).toContain(
        `${n} of 100 active linked users (${n}%), more than the 20% threshold`,
      );
    }
  });

  it('passes exactly at the threshold despite floating point (0.57 × 100)', () => {
    expect(
      guard(planWith(leavers(57)), { mode: 'full', policy: { threshold: 0.57 }, activeLinked: 100 }).blocked,
    ).toBe(false);
    expect(
      guard(planWith(leavers(58)), { mode: 'full', policy: { threshold: 0.57 }, activeLinked: 100 }).blocked,
    ).toBe(true);
  });

  it('never blocks a partial run', () => {
    expect(guard(planWith(leavers(50), 0), { mode: 'partial', policy, activeLinked: 50 })).toEqual({
      blocked: false,
    });
  });

  it('counts deactivations and deletions of active users as leavers, not deletions of inactive ones', () => {
    const users = [
      change('deactivate'),
      change('delete', true),
      change('delete', false),
      change('update'),
      change('reactivate'),
    ];
    expect(countLeavers(planWith(users))).toBe(2);
  });

  it('blocks a real plan whose roster lost most of the company', () => {
    const people = Array.from({ length: 10 }, (_, i) => makePerson({ sourceId: `s${i}` }));
    const users = people.map((p, i) => linkedUser(p, { id: `u${i}` }));
    const input = makeInput({ roster: people.slice(0, 7), users });
    const verdict = guard(plan(input), {
      mode: 'full',
      policy: { threshold: 0.1 },
      activeLinked: countActiveLinked(users, 'int-1'),
    });
    expect(verdict).toMatchObject({ blocked: true, reason: 'threshold', leavers: 3, activeLinked: 10 });
  });

  it('counts only active users linked to the integration', () => {
    const users = [
      makeUser({ id: 'a', integrationId: 'int-1', sourceId: '1' }),
      makeUser({ id: 'b', integrationId: 'int-1', sourceId: '2', active: false }),
      makeUser({ id: 'c', integrationId: 'int-2', sourceId: '1' }),
      makeUser({ id: 'd' }),
    ];
    expect(countActiveLinked(users, 'int-1')).toBe(1);
  });
});
