// Table tests of plan: matching, creation and field updates (one `it` per rule of the brief).
import { describe, it, expect } from 'vitest';
import { plan } from './plan.js';
import {
  changeFor,
  fixtureIntegration,
  linkedUser,
  makeInput,
  makePerson,
  makeUser,
} from './plan-fixtures.js';

describe('plan: matching', () => {
  it('matches a user by link (integration + source id) before email, even when the email changed', () => {
    const person = makePerson({ sourceId: 's1', email: 'new@acme.test' });
    const result = plan(
      makeInput({ roster: [person], users: [linkedUser(person, { id: 'u1', email: 'old@acme.test' })] }),
    );
    expect(result.users).toEqual([
      expect.objectContaining({
        action: 'update',
        userId: 'u1',
        changes: [{ field: 'email', before: 'old@acme.test', after: 'new@acme.test' }],
      }),
    ]);
    expect(result.users[0]?.link).toBeUndefined();
  });

  it('matches an unlinked user by email, case-insensitively, and links it (first sync)', () => {
    const person = makePerson({ sourceId: 's1', email: ' Jane@ACME.test ' });
    const user = makeUser({ id: 'u1', email: 'jane@acme.test', firstName: 'First s1', lastName: 'Last s1' });
    const [change] = plan(makeInput({ roster: [person], users: [user] })).users;
    expect(change).toMatchObject({
      action: 'update',
      userId: 'u1',
      link: { integrationId: fixtureIntegration, sourceId: 's1' },
      changes: [{ field: 'link', before: null, after: `${fixtureIntegration}:s1` }],
    });
  });

  it('relinks by email a user of this integration whose record left the roster', () => {
    const person = makePerson({ sourceId: 's2' });
    const user = linkedUser(makePerson({ sourceId: 's1', email: 's2@acme.test' }), { id: 'u1' });
    const result = plan(makeInput({ roster: [person], users: [user] }));
    expect(result.users).toEqual([
      expect.objectContaining({
        userId: 'u1',
        sourceId: 's2',
        link: { integrationId: fixtureIntegration, sourceId: 's2' },
      }),
    ]);
  });

  it('does not steal a user linked to another record of this integration that is still in the roster', () => {
    const owner = makePerson({ sourceId: 's1', email: 'owner-new@acme.test' });
    const thief = makePerson({ sourceId: 's2', ref: 'row 9', email: 'owner@acme.test' });
    const user = linkedUser(owner, { id: 'u1', email: 'owner@acme.test' });
    const result = plan(makeInput({ roster: [owner, thief], users: [user] }));
    expect(changeFor(result.users, 's2')).toBeUndefined();
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'email_taken', record: 'row 9', severity: 'error' }),
    ]);
    expect(result.issues[0]?.message).toContain("record 's1'");
  });

  it('never touches a user linked to another integration: email_taken for the record', () => {
    const person = makePerson({ sourceId: 's1' });
    const other = makeUser({ id: 'u1', email: 's1@acme.test', integrationId: 'int-other', sourceId: 's1' });
    const result = plan(makeInput({ roster: [person], users: [other] }));
    expect(result.users).toEqual([]);
    expect(result.issues.map((i) => i.code)).toEqual(['email_taken']);
  });

  it('reports ambiguous_email when two existing users share the email, never guessing', () => {
    const person = makePerson({ sourceId: 's1', email: 'pat@acme.test' });
    const users = [
      makeUser({ id: 'u1', email: 'Pat@acme.test' }),
      makeUser({ id: 'u2', email: 'pat@ACME.test' }),
    ];
    const result = plan(makeInput({ roster: [person], users }));
    expect(result.users).toEqual([]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'ambiguous_email', severity: 'error' })]);
  });

  it('partial: does not relink by email a user linked to a record the partial roster does not show', () => {
    const user = linkedUser(makePerson({ sourceId: 's1' }), { id: 'u1' });
    const result = plan(
      makeInput({
        mode: 'partial',
        roster: [makePerson({ sourceId: 's9', email: 's1@acme.test' })],
        users: [user],
      }),
    );
    expect(result.users).toEqual([]);
    expect(result.issues.map((i) => i.code)).toEqual(['email_taken']);
  });

  it('refuses to change an email to one another user holds, and syncs nothing of that record', () => {
    const person = makePerson({ sourceId: 's1', email: 'taken@acme.test', jobTitle: 'CEO' });
    const users = [
      linkedUser(makePerson({ sourceId: 's1' }), { id: 'u1' }),
      makeUser({ id: 'u2', email: 'Taken@acme.test' }),
    ];
    const result = plan(makeInput({ mode: 'partial', roster: [person], users }));
    expect(result.users).toEqual([]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'email_taken', field: 'email', sourceId: 's1' }),
    ]);
  });
});

describe('plan: create and update', () => {
  it('creates an unmatched active person with an id from newId, managed values and nulls elsewhere', () => {
    const person = makePerson({ sourceId: 's1', jobTitle: 'Engineer' });
    const input = makeInput({
      roster: [person],
      managedFields: ['email', 'firstName', 'lastName', 'jobTitle'],
    });
    const [change] = plan(input).users;
    expect(change).toMatchObject({
      action: 'create',
      userId: 'new-1',
      sourceId: 's1',
      email: 's1@acme.test',
    });
    expect(change?.after).toMatchObject({ jobTitle: 'Engineer', birthDate: null, gender: null });
    expect(change?.changes.map((c) => c.field)).toEqual(['email', 'firstName', 'lastName', 'jobTitle']);
    expect(change?.link).toEqual({ integrationId: fixtureIntegration, sourceId: 's1' });
  });

  it('does not create a person who is inactive in the HRIS and matches no user', () => {
    const result = plan(makeInput({ roster: [makePerson({ sourceId: 's1', active: false })] }));
    expect(result.users).toEqual([]);
    expect(result.counts.created).toBe(0);
  });

  it('compares only managed fields; a managed field absent from the record means null', () => {
    const person = makePerson({ sourceId: 's1' }); // no phoneNumber, no birthDate in the record
    const user = linkedUser(person, { id: 'u1', phoneNumber: '+33 1', birthDate: '1990-01-01' });
    const input = makeInput({
      roster: [person],
      users: [user],
      managedFields: ['email', 'firstName', 'lastName', 'phoneNumber'],
    });
    const [change] = plan(input).users;
    expect(change?.changes).toEqual([{ field: 'phoneNumber', before: '+33 1', after: null }]);
    expect(change?.after?.birthDate).toBe('1990-01-01');
  });

  it('writes nothing when only the case of the email differs: unchanged', () => {
    const person = makePerson({ sourceId: 's1', email: 'JANE@acme.test' });
    const result = plan(
      makeInput({ roster: [person], users: [linkedUser(person, { id: 'u1', email: 'jane@acme.test' })] }),
    );
    expect(result.users).toEqual([expect.objectContaining({ action: 'unchanged', changes: [] })]);
    expect(result.users[0]?.after).toBeUndefined();
    expect(result.counts.unchanged).toBe(1);
  });

  it('lists each changed field with before and after, and the full attributes to write', () => {
    const person = makePerson({ sourceId: 's1', lastName: 'Martin', phoneNumber: '+33 2' });
    const user = linkedUser(person, { id: 'u1', lastName: 'Dupont', phoneNumber: null });
    const [change] = plan(makeInput({ roster: [person], users: [user] })).users;
    expect(change?.changes).toEqual([
      { field: 'lastName', before: 'Dupont', after: 'Martin' },
      { field: 'phoneNumber', before: null, after: '+33 2' },
    ]);
    expect(change?.after).toEqual({ ...user.attributes, lastName: 'Martin', phoneNumber: '+33 2' });
  });

  it("writes a gender that is a choice, case-insensitively, in the tenant's spelling", () => {
    const person = makePerson({ sourceId: 's1', gender: 'DIVERSE' });
    const input = makeInput({ roster: [person], genderChoices: ['female', 'male', 'Diverse'] });
    expect(plan(input).users[0]?.after?.gender).toBe('Diverse');
  });

  it('warns about a gender with no choice, names the value, and leaves the gender as it is', () => {
    const person = makePerson({ sourceId: 's1', ref: 'employee 1', gender: 'undefined' });
    const user = linkedUser(person, { id: 'u1', gender: 'female' });
    const result = plan(makeInput({ roster: [person], users: [user] }));
    expect(result.users[0]).toMatchObject({ action: 'unchanged' });
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'unknown_gender', severity: 'warning', field: 'gender' }),
    ]);
    expect(result.issues[0]?.message).toContain("Add 'undefined' to the gender choices");
  });

  it('queues unknown departments, positions and locations once each, and uses the list spelling on a match', () => {
    const roster = [
      makePerson({ sourceId: 's1', department: 'sales', jobTitle: 'Engineer', location: 'Paris' }),
      makePerson({ sourceId: 's2', department: 'R&D', jobTitle: 'engineer', location: 'paris' }),
      makePerson({ sourceId: 's3', department: 'r&d', jobTitle: 'Designer' }),
    ];
    const references = { departments: ['Sales'], positions: [], locations: ['Lyon'] };
    const result = plan(makeInput({ roster, references }));
    expect(result.referencesToCreate).toEqual({
      departments: ['R&D'],
      positions: ['Designer', 'Engineer'],
      locations: ['Paris'],
    });
    expect(result.users.map((u) => [u.after?.department, u.after?.jobTitle, u.after?.location])).toEqual([
      ['Sales', 'Engineer', 'Paris'],
      ['R&D', 'Engineer', 'Paris'],
      ['R&D', 'Designer', null],
    ]);
  });

  it('reports quarantined records as errors and syncs the others', () => {
    const roster = [makePerson({ sourceId: 's1', email: 'bad' }), makePerson({ sourceId: 's2' })];
    const result = plan(makeInput({ roster }));
    expect(result.users.map((u) => u.sourceId)).toEqual(['s2']);
    expect(result.counts).toMatchObject({ created: 1, errors: 1, warnings: 0 });
    expect(result.roster).toEqual({ received: 2, valid: 1 });
  });

  it('counts every action and orders the output by source id, then user id', () => {
    const roster = ['s3', 's1', 's2'].map((sourceId) => makePerson({ sourceId }));
    const users = [linkedUser(makePerson({ sourceId: 's2' }), { id: 'u2' })];
    const result = plan(makeInput({ roster, users }));
    expect(result.users.map((u) => [u.sourceId, u.action])).toEqual([
      ['s1', 'create'],
      ['s2', 'unchanged'],
      ['s3', 'create'],
    ]);
    expect(result.users.map((u) => u.userId)).toEqual(['new-1', 'u2', 'new-2']);
    expect(result.counts).toEqual({
      created: 2,
      updated: 0,
      deactivated: 0,
      reactivated: 0,
      deleted: 0,
      unchanged: 1,
      errors: 0,
      warnings: 0,
    });
  });
});

describe('plan: golden', () => {
  it('plans the first sync of a small company exactly as recorded', () => {
    const roster = [
      makePerson({
        sourceId: '1',
        ref: 'row 2',
        email: 'Ada@acme.test',
        department: 'r&d',
        groups: ['Core'],
      }),
      makePerson({
        sourceId: '2',
        ref: 'row 3',
        managerSourceId: '1',
        gender: 'Diverse',
        groups: ['core', 'Ops'],
      }),
      makePerson({ sourceId: '3', ref: 'row 4', leavingDate: '2026-10-31', managerSourceId: '1' }),
      makePerson({ sourceId: '4', ref: 'row 5', email: 'broken@' }),
      makePerson({ sourceId: '5', ref: 'row 6', managerSourceId: '5' }),
    ];
    const users = [
      makeUser({ id: 'u-ada', email: 'ada@acme.test', firstName: 'Ada', lastName: 'L', groupIds: ['g-old'] }),
      makeUser({ id: 'u-3', email: '3@acme.test', firstName: 'First 3', lastName: 'Last 3' }),
      makeUser({
        id: 'u-admin',
        email: 'boss@acme.test',
        integrationId: fixtureIntegration,
        sourceId: '9',
        protected: true,
      }),
      makeUser({ id: 'u-gone', email: 'gone@acme.test', integrationId: fixtureIntegration, sourceId: '8' }),
    ];
    const input = makeInput({
      roster,
      users,
      groups: [
        { id: 'g-old', name: 'Old team' },
        { id: 'g-core', name: 'Core' },
      ],
      references: { departments: ['R&D'], positions: [], locations: [] },
    });
    expect(plan(input)).toMatchSnapshot();
  });
});
