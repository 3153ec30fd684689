// Table tests of plan's lifecycle rules: leavers, rehires, delete policy, full vs partial, protected users.
import { describe, it, expect } from 'vitest';
import { plan } from './plan.js';
import { changeFor, linkedUser, makeInput, makePerson, makeUser } from './plan-fixtures.js';

describe('plan: lifecycle', () => {
  it('deactivates a user whose contract end date is in the past (reason left)', () => {
    const person = makePerson({ sourceId: 's1', leavingDate: '2026-11-22' });
    const user = linkedUser(makePerson({ sourceId: 's1' }), { id: 'u1' });
    const [change] = plan(makeInput({ roster: [person], users: [user] })).users;
    expect(change).toMatchObject({ action: 'deactivate', reason: 'left' });
    expect(change?.changes).toEqual([
      { field: 'leavingDate', before: null, after: '2026-11-22' },
      { field: 'active', before: 'true', after: 'false' },
    ]);
  });

  it('deactivates a user who is inactive in the HRIS (reason inactive)', () => {
    const person = makePerson({ sourceId: 's1', active: false });
    const [change] = plan(makeInput({ roster: [person], users: [linkedUser(person, { id: 'u1' })] })).users;
    expect(change).toMatchObject({
      action: 'deactivate',
      reason: 'inactive',
      changes: [{ field: 'active' }],
    });
  });

  it('keeps a user active while her leaving date is still in the future', () => {
    const person = makePerson({ sourceId: 's1', leavingDate: '2026-12-31' });
    const [change] = plan(makeInput({ roster: [person], users: [linkedUser(person, { id: 'u1' })] })).users;
    expect(change?.action).toBe('unchanged');
  });

  it('reactivates a rehired person (reason rehired), with field updates in the same change', () => {
    const person = makePerson({ sourceId: 's1', jobTitle: 'Lead' });
    const user = linkedUser(person, { id: 'u1', active: false, jobTitle: 'Dev' });
    const [change] = plan(makeInput({ roster: [person], users: [user] })).users;
    expect(change).toMatchObject({ action: 'reactivate', reason: 'rehired' });
    expect(change?.changes.map((c) => c.field)).toEqual(['jobTitle', 'active']);
  });

  it('delete policy: deletes the user of a person inactive in the HRIS, even if already inactive', () => {
    const person = makePerson({ sourceId: 's1', active: false });
    const users = [linkedUser(person, { id: 'u1', active: false })];
    const result = plan(makeInput({ roster: [person], users, leaverPolicy: 'delete' }));
    expect(result.users).toEqual([
      expect.objectContaining({
        action: 'delete',
        reason: 'inactive',
        changes: [{ field: 'active', before: 'false', after: null }],
      }),
    ]);
    expect(result.counts.deleted).toBe(1);
  });

  it('full: deactivates linked users missing from the roster (reason missing), keeping their memberships', () => {
    const gone = linkedUser(makePerson({ sourceId: 's9' }), { id: 'u9', groupIds: ['g1'] });
    const result = plan(
      makeInput({
        roster: [makePerson({ sourceId: 's1' })],
        users: [gone],
        groups: [{ id: 'g1', name: 'Sales' }],
      }),
    );
    expect(changeFor(result.users, 's9')).toMatchObject({
      action: 'deactivate',
      reason: 'missing',
      userId: 'u9',
    });
    expect(result.membershipsToRemove).toEqual([]);
  });

  it('full: leaves alone a missing user who is already inactive', () => {
    const gone = linkedUser(makePerson({ sourceId: 's9' }), { id: 'u9', active: false });
    expect(plan(makeInput({ roster: [makePerson({ sourceId: 's1' })], users: [gone] })).users).toHaveLength(
      1,
    );
  });

  it('full + delete policy: deletes linked users missing from the roster', () => {
    const gone = linkedUser(makePerson({ sourceId: 's9' }), { id: 'u9', active: false });
    const result = plan(makeInput({ users: [gone], leaverPolicy: 'delete' }));
    expect(result.users).toEqual([
      expect.objectContaining({ action: 'delete', reason: 'missing', userId: 'u9' }),
    ]);
  });

  it('partial: touches only the people in the roster, never the absent ones', () => {
    const gone = linkedUser(makePerson({ sourceId: 's9' }), { id: 'u9' });
    const result = plan(
      makeInput({ mode: 'partial', roster: [makePerson({ sourceId: 's1' })], users: [gone] }),
    );
    expect(result.users.map((u) => u.sourceId)).toEqual(['s1']);
  });

  it('never deactivates the real person because of a duplicated row (held source id)', () => {
    const person = makePerson({ sourceId: 's1' });
    const roster = [person, makePerson({ sourceId: 's1', email: 'copy@acme.test' })];
    const result = plan(makeInput({ roster, users: [linkedUser(person, { id: 'u1' })] }));
    expect(result.users).toEqual([]);
    expect(result.counts.errors).toBe(2);
  });

  it('never deactivates a user whose email belongs to a quarantined record (held email)', () => {
    const user = linkedUser(makePerson({ sourceId: 'old-id', email: 'jane@acme.test' }), { id: 'u1' });
    const roster = [makePerson({ sourceId: 'new-id', email: 'jane@acme.test', lastName: '' })];
    expect(plan(makeInput({ roster, users: [user] })).users).toEqual([]);
  });

  it('never deactivates a user whose record is in conflict this run (held by the matcher)', () => {
    const a = makePerson({ sourceId: 's1', email: 'taken@acme.test' });
    const users = [
      linkedUser(makePerson({ sourceId: 's1' }), { id: 'u1' }),
      makeUser({ id: 'u2', email: 'taken@acme.test' }),
    ];
    expect(plan(makeInput({ roster: [a], users })).users).toEqual([]);
  });

  it('never deactivates or deletes a protected user: protected_user warning, other fields still sync', () => {
    const person = makePerson({ sourceId: 's1', active: false, jobTitle: 'CEO' });
    const admin = linkedUser(person, { id: 'u1', jobTitle: 'Founder', protected: true });
    const missingAdmin = linkedUser(makePerson({ sourceId: 's2' }), { id: 'u2', protected: true });
    for (const leaverPolicy of ['deactivate', 'delete'] as const) {
      const result = plan(makeInput({ roster: [person], users: [admin, missingAdmin], leaverPolicy }));
      expect(result.users).toEqual([expect.objectContaining({ action: 'update', userId: 'u1' })]);
      expect(result.users[0]?.changes).toEqual([{ field: 'jobTitle', before: 'Founder', after: 'CEO' }]);
      expect(result.issues.map((i) => [i.code, i.sourceId])).toEqual([
        ['protected_user', 's1'],
        ['protected_user', 's2'],
      ]);
    }
  });

  it('full: never touches unlinked users or users of another integration that no record matches', () => {
    const users = [
      makeUser({ id: 'u1' }),
      makeUser({ id: 'u2', integrationId: 'int-other', sourceId: 's1' }),
      makeUser({ id: 'u3', integrationId: 'int-other', sourceId: 'x' }),
    ];
    expect(plan(makeInput({ roster: [makePerson({ sourceId: 's1' })], users })).users).toEqual([
      expect.objectContaining({ action: 'create', sourceId: 's1' }),
    ]);
  });

  it('holds users whose records were rejected before planning (heldSourceIds): never treated as leavers', () => {
    const kept = linkedUser(makePerson({ sourceId: 's2' }), { id: 'u2' });
    const input = makeInput({
      roster: [makePerson({ sourceId: 's1' })],
      users: [kept],
      heldSourceIds: ['s2'],
    });
    expect(changeFor(plan(input).users, 's2')).toBeUndefined();
    const without = plan(makeInput({ roster: [makePerson({ sourceId: 's1' })], users: [kept] }));
    expect(changeFor(without.users, 's2')).toMatchObject({ action: 'deactivate', reason: 'missing' });
  });

  it('reports issues found before planning (extraIssues) with the plan and counts them', () => {
    const issue = {
      severity: 'error' as const,
      code: 'invalid_value' as const,
      record: 'line 7',
      sourceId: 's7',
      field: 'status',
      message: "line 7: status 'maybe' is not active or inactive",
    };
    const result = plan(makeInput({ roster: [makePerson({ sourceId: 's1' })], extraIssues: [issue] }));
    expect(result.issues).toContainEqual(issue);
    expect(result.counts.errors).toBe(1);
  });
});
