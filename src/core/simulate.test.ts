// Tests of simulate: a plan applied in memory the way the store applies it.
import { describe, it, expect } from 'vitest';
import type { Plan } from './model.js';
import { plan } from './plan.js';
import { fixtureIntegration, linkedUser, makeInput, makePerson, makeUser } from './plan-fixtures.js';
import { simulate } from './simulate.js';

const emptyPlan: Plan = {
  users: [],
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
};

describe('simulate', () => {
  it('creates linked users, patches updates, links matched users and flips the active flag', () => {
    const roster = [
      makePerson({ sourceId: 's1', jobTitle: 'Lead' }),
      makePerson({ sourceId: 's2', email: 'old@acme.test' }),
      makePerson({ sourceId: 's3', active: false }),
      makePerson({ sourceId: 's4', groups: ['Sales'], department: 'Ops' }),
    ];
    const users = [
      linkedUser(roster[0]!, { id: 'u1', jobTitle: 'Dev' }),
      makeUser({ id: 'u2', email: 'OLD@acme.test', firstName: 'First s2', lastName: 'Last s2' }),
      linkedUser(roster[2]!, { id: 'u3' }),
    ];
    const input = makeInput({ roster, users });
    const state = simulate({ users, groups: [], references: input.references }, plan(input));
    const byId = new Map(state.users.map((u) => [u.id, u]));
    expect(byId.get('u1')?.attributes.jobTitle).toBe('Lead');
    expect(byId.get('u2')).toMatchObject({ integrationId: fixtureIntegration, sourceId: 's2' });
    expect(byId.get('u2')?.attributes.email).toBe('OLD@acme.test');
    expect(byId.get('u3')?.active).toBe(false);
    expect(byId.get('new-1')).toMatchObject({
      active: true,
      integrationId: fixtureIntegration,
      sourceId: 's4',
      groupIds: ['new-2'],
    });
    expect(state.groups).toEqual([{ id: 'new-2', name: 'Sales' }]);
    expect(state.references.departments).toEqual(['Ops']);
  });

  it('removes a deleted user, her memberships, and her place as anybody’s manager', () => {
    const users = [makeUser({ id: 'boss', groupIds: ['g1'] }), makeUser({ id: 'u1', managerId: 'boss' })];
    const state = simulate(
      {
        users,
        groups: [{ id: 'g1', name: 'G' }],
        references: { departments: [], positions: [], locations: [] },
      },
      {
        ...emptyPlan,
        users: [{ action: 'delete', userId: 'boss', sourceId: null, email: 'boss@acme.test', changes: [] }],
      },
    );
    expect(state.users).toEqual([expect.objectContaining({ id: 'u1', managerId: null })]);
    expect(state.groups).toHaveLength(1);
  });

  it('treats memberships as a set and only grows groups and reference lists', () => {
    const users = [makeUser({ id: 'u1', groupIds: ['g1'] })];
    const state = simulate(
      {
        users,
        groups: [{ id: 'g1', name: 'G' }],
        references: { departments: ['Sales'], positions: [], locations: [] },
      },
      {
        ...emptyPlan,
        membershipsToAdd: [
          { userId: 'u1', groupId: 'g1' },
          { userId: 'u1', groupId: 'g2' },
        ],
        groupsToCreate: [{ id: 'g2', name: 'H' }],
        referencesToCreate: { departments: ['sales', 'Ops'], positions: [], locations: [] },
      },
    );
    expect(state.users[0]?.groupIds).toEqual(['g1', 'g2']);
    expect(state.groups.map((g) => g.id)).toEqual(['g1', 'g2']);
    expect(state.references.departments).toEqual(['Sales', 'Ops']);
  });

  it('refuses a plan that creates a user whose id exists (the store would too)', () => {
    const users = [makeUser({ id: 'new-1' })];
    const input = makeInput({ roster: [makePerson({ sourceId: 's1' })], users });
    expect(() => simulate({ users, groups: [], references: input.references }, plan(input))).toThrow(/new-1/);
  });

  it('does not modify the state it is given', () => {
    const users = [makeUser({ id: 'u1', integrationId: fixtureIntegration, sourceId: 'gone' })];
    const before = JSON.stringify(users);
    simulate(
      { users, groups: [], references: { departments: [], positions: [], locations: [] } },
      plan(makeInput({ users })),
    );
    expect(JSON.stringify(users)).toBe(before);
  });
});
