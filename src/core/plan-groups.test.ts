// Table tests of plan's group rules: match by name, create missing, exact memberships, never delete.
import { describe, it, expect } from 'vitest';
import type { Group } from './model.js';
import { plan } from './plan.js';
import { linkedUser, makeInput, makePerson } from './plan-fixtures.js';
import { simulate } from './simulate.js';

const groups: Group[] = [
  { id: 'g-sales', name: 'Sales' },
  { id: 'g-ops', name: 'Ops' },
];

describe('plan: groups', () => {
  it('matches existing groups by trimmed, case-insensitive name', () => {
    const roster = [makePerson({ sourceId: 's1', groups: [' sales ', 'OPS'] })];
    const result = plan(makeInput({ roster, groups }));
    expect(result.groupsToCreate).toEqual([]);
    expect(result.membershipsToAdd).toEqual([
      { userId: 'new-1', groupId: 'g-ops' },
      { userId: 'new-1', groupId: 'g-sales' },
    ]);
  });

  it('creates each missing group once, with ids from newId after the new users', () => {
    const roster = [
      makePerson({ sourceId: 's1', groups: ['Design'] }),
      makePerson({ sourceId: 's2', groups: ['design', 'Legal'] }),
    ];
    const result = plan(makeInput({ roster, groups }));
    expect(result.groupsToCreate).toEqual([
      { id: 'new-3', name: 'Design' },
      { id: 'new-4', name: 'Legal' },
    ]);
    expect(result.membershipsToAdd).toContainEqual({ userId: 'new-2', groupId: 'new-3' });
  });

  it('uses the first of several groups sharing a name, with ONE duplicate_group_name warning per name', () => {
    const dupes: Group[] = [
      { id: 'g2', name: 'Sales' },
      { id: 'g1', name: 'sales ' },
      { id: 'g3', name: 'Ops' },
      { id: 'g4', name: 'OPS' },
    ];
    const roster = [
      makePerson({ sourceId: 's1', groups: ['Sales'] }),
      makePerson({ sourceId: 's2', groups: ['SALES'] }),
    ];
    const result = plan(makeInput({ roster, groups: dupes }));
    expect(result.membershipsToAdd.map((m) => m.groupId)).toEqual(['g2', 'g2']);
    // 'Ops' is duplicated too but nobody is synced into it: nothing to warn about.
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'duplicate_group_name', severity: 'warning' }),
    ]);
    expect(result.issues[0]?.message).toContain("2 groups are named 'Sales'");
  });

  it("makes a synced user's memberships exactly the listed groups: adds missing, removes every other", () => {
    const person = makePerson({ sourceId: 's1', groups: ['Sales'] });
    const user = linkedUser(person, { id: 'u1', groupIds: ['g-ops', 'g-unknown'] });
    const result = plan(makeInput({ roster: [person], users: [user], groups }));
    expect(result.membershipsToAdd).toEqual([{ userId: 'u1', groupId: 'g-sales' }]);
    expect(result.membershipsToRemove).toEqual([
      { userId: 'u1', groupId: 'g-ops' },
      { userId: 'u1', groupId: 'g-unknown' },
    ]);
    expect(result.users[0]).toMatchObject({
      action: 'update',
      changes: [{ field: 'groups', before: 'Ops, g-unknown', after: 'Sales' }],
    });
  });

  it('leaves memberships alone when groups are not managed or the record has no groups', () => {
    const withGroups = makePerson({ sourceId: 's1', groups: ['Sales'] });
    const without = makePerson({ sourceId: 's2' });
    const users = [
      linkedUser(withGroups, { id: 'u1', groupIds: ['g-ops'] }),
      linkedUser(without, { id: 'u2', groupIds: ['g-ops'] }),
    ];
    const notManaged = plan(
      makeInput({
        roster: [withGroups, without],
        users,
        groups,
        managedFields: ['email', 'firstName', 'lastName'],
      }),
    );
    expect([notManaged.membershipsToAdd, notManaged.membershipsToRemove, notManaged.groupsToCreate]).toEqual([
      [],
      [],
      [],
    ]);
    const managed = plan(makeInput({ roster: [withGroups, without], users, groups }));
    expect(managed.membershipsToRemove).toEqual([{ userId: 'u1', groupId: 'g-ops' }]);
  });

  it('never deletes a group, even when nobody is in it any more', () => {
    const person = makePerson({ sourceId: 's1', groups: [] });
    const user = linkedUser(person, { id: 'u1', groupIds: ['g-ops'] });
    const input = makeInput({ roster: [person], users: [user], groups });
    const after = simulate({ users: input.users, groups, references: input.references }, plan(input));
    expect(after.groups).toEqual(groups);
    expect(after.users[0]?.groupIds).toEqual([]);
  });
});
