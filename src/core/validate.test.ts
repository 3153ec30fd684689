// Table tests of validate: quarantine rules, normalization, the leaving-date rule, held identities.
import { describe, it, expect } from 'vitest';
import type { SourcePerson } from './model.js';
import { fixtureToday, makePerson } from './plan-fixtures.js';
import { validate } from './validate.js';

const today = fixtureToday;
const run = (roster: readonly SourcePerson[]) => validate(roster, { today });

describe('validate', () => {
  it.each(['email', 'firstName', 'lastName'] as const)('quarantines a record whose %s is blank', (field) => {
    const result = run([
      makePerson({ sourceId: '1', ref: 'row 12', [field]: '  ' }),
      makePerson({ sourceId: '2' }),
    ]);
    expect(result.people.map((p) => p.sourceId)).toEqual(['2']);
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'missing_field',
        record: 'row 12',
        sourceId: '1',
        field,
      }),
    ]);
    expect(result.issues[0]?.message).toMatch(/^row 12: .* is empty; fill it in the HR system/);
  });

  it('quarantines a record whose email is absent from the attributes', () => {
    const person: SourcePerson = {
      sourceId: '1',
      ref: 'row 2',
      active: true,
      attributes: { firstName: 'A', lastName: 'B' },
    };
    expect(run([person]).issues.map((i) => [i.code, i.field])).toEqual([['missing_field', 'email']]);
  });

  it('quarantines a record without a source id', () => {
    const result = run([makePerson({ sourceId: ' ', ref: 'row 3', email: 'a@acme.test' })]);
    expect(result.people).toEqual([]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'missing_field', field: 'sourceId', sourceId: null }),
    ]);
  });

  it('quarantines an email that is not a plausible address, naming the row and the value', () => {
    const result = run([makePerson({ sourceId: '1', ref: 'row 12', email: 'jane@' })]);
    expect(result.people).toEqual([]);
    expect(result.issues[0]).toMatchObject({ code: 'invalid_email', field: 'email' });
    expect(result.issues[0]?.message).toBe(
      "row 12: email 'jane@' is not a valid address; fix it in the HR system.",
    );
  });

  it.each(['birthDate', 'firstHiredOn', 'currentHiredOn', 'leavingDate'] as const)(
    'quarantines a %s that is not a real ISO date (2026-02-30)',
    (field) => {
      const result = run([makePerson({ sourceId: '1', [field]: '2026-02-30' })]);
      expect(result.people).toEqual([]);
      expect(result.issues).toEqual([expect.objectContaining({ code: 'invalid_date', field })]);
      expect(result.issues[0]?.message).toContain("'2026-02-30' is not a real date (expected YYYY-MM-DD)");
    },
  );

  it('reports every problem of a record, each as its own issue', () => {
    const result = run([makePerson({ sourceId: '1', email: 'nope', lastName: '', birthDate: '01/02/1990' })]);
    expect(result.issues.map((i) => i.code).sort()).toEqual([
      'invalid_date',
      'invalid_email',
      'missing_field',
    ]);
  });

  it('quarantines every record that shares a normalized email, never guessing which is right', () => {
    const result = run([
      makePerson({ sourceId: '1', ref: 'row 2', email: 'Jane@Acme.test' }),
      makePerson({ sourceId: '2', ref: 'row 3', email: ' jane@acme.TEST ' }),
      makePerson({ sourceId: '3', ref: 'row 4' }),
    ]);
    expect(result.people.map((p) => p.sourceId)).toEqual(['3']);
    expect(result.issues.map((i) => [i.record, i.code])).toEqual([
      ['row 2', 'duplicate_email'],
      ['row 3', 'duplicate_email'],
    ]);
    expect(result.issues[0]?.message).toContain('also used by row 3');
  });

  it('quarantines every record that shares a source id', () => {
    const result = run([
      makePerson({ sourceId: '7', email: 'a@acme.test' }),
      makePerson({ sourceId: ' 7', email: 'b@acme.test' }),
    ]);
    expect(result.people).toEqual([]);
    expect(result.issues.map((i) => i.code)).toEqual(['duplicate_source_id', 'duplicate_source_id']);
  });

  it('trims every string, turns empty strings into null, keeps the email case and lowercases gender', () => {
    const [person] = run([
      {
        sourceId: ' 42 ',
        ref: ' row 5 ',
        active: true,
        attributes: {
          email: ' Jane.Doe@Acme.test ',
          firstName: ' Jane ',
          lastName: 'Doe',
          gender: ' Female ',
          jobTitle: ' ',
        },
        managerSourceId: ' ',
        groups: [' Sales ', 'sales', '', 'Ops'],
      },
    ]).people;
    expect(person).toEqual({
      sourceId: '42',
      ref: 'row 5',
      active: true,
      attributes: {
        email: 'Jane.Doe@Acme.test',
        firstName: 'Jane',
        lastName: 'Doe',
        gender: 'female',
        jobTitle: null,
      },
      managerSourceId: null,
      groups: ['Sales', 'Ops'],
    });
  });

  it('makes a person whose leaving date is in the past inactive', () => {
    const [person] = run([makePerson({ sourceId: '1', leavingDate: '2026-11-22' })]).people;
    expect(person?.active).toBe(false);
  });

  it.each(['2026-11-23', '2027-01-31'])(
    'keeps a person active whose leaving date (%s) is not yet past',
    (date) => {
      const [person] = run([makePerson({ sourceId: '1', leavingDate: date })]).people;
      expect(person?.active).toBe(true);
    },
  );

  it('holds the source ids and normalized emails of quarantined records', () => {
    const result = run([
      makePerson({ sourceId: '1', email: 'Dup@acme.test' }),
      makePerson({ sourceId: '2', email: 'dup@acme.test' }),
      makePerson({ sourceId: '3', firstName: '' }),
      makePerson({ sourceId: '4' }),
    ]);
    expect([...result.held.sourceIds].sort()).toEqual(['1', '2', '3']);
    expect([...result.held.emails].sort()).toEqual(['3@acme.test', 'dup@acme.test']);
  });

  it('refuses a malformed today (a caller bug)', () => {
    expect(() => validate([], { today: '23.11.2026' })).toThrow(/YYYY-MM-DD/);
  });
});
