// Table tests of the People HR mapping, from a recorded-shape GetAllEmployeeDetail payload.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PeopleHrEmployee } from './map.js';
import { fieldText, mapPeopleHrEmployee, toIsoDate } from './map.js';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/get-all-employee-detail.json', import.meta.url), 'utf8'),
) as { Result: PeopleHrEmployee[] };
const byId = new Map(fixture.Result.map((e) => [fieldText(e, 'EmployeeId'), e]));
const mapped = (id: string) => {
  const raw = byId.get(id);
  if (raw === undefined) throw new Error(`fixture has no ${id}`);
  return mapPeopleHrEmployee(raw);
};

describe('mapPeopleHrEmployee', () => {
  it('maps every seed field of a complete record', () => {
    expect(mapped('PW6')).toEqual({
      sourceId: 'PW6',
      ref: 'employee PW6',
      active: true,
      managerSourceId: 'PW1',
      attributes: {
        firstName: 'Tom',
        lastName: 'Barnes',
        email: 'tom.barnes@acme.example',
        firstHiredOn: '2015-01-05',
        department: 'Engineering',
        jobTitle: 'Head of Engineering',
        location: 'Manchester',
        leavingDate: null,
      },
    });
  });

  it('maps the object Result of GetEmployeeDetailById the same way', () => {
    const byIdAnswer = JSON.parse(
      readFileSync(new URL('./fixtures/get-employee-detail-by-id.json', import.meta.url), 'utf8'),
    ) as { Result: PeopleHrEmployee };
    expect(mapPeopleHrEmployee(byIdAnswer.Result)).toEqual(mapped('PW6'));
  });

  it('gives the top of the tree no manager', () => {
    expect(mapped('PW1').managerSourceId).toBeNull();
  });

  it('keeps numeric ids as strings', () => {
    expect(mapped('180')).toMatchObject({ sourceId: '180', ref: 'employee 180', managerSourceId: 'PW6' });
  });

  it.each([
    ['180', 'firstHiredOn', '2019-11-03'], // UK display format: day first
    ['PW32', 'firstHiredOn', '2023-02-01'], // "1 Feb 2023"
    ['PW33', 'firstHiredOn', '2022-13-40'], // impossible date: left raw for core/validate
    ['PW32', 'leavingDate', 'someday'], // unparseable: left raw
    ['PW33', 'leavingDate', null], // 0001-01-01 is .NET's "no date"
    ['PW21', 'leavingDate', '2024-05-31'], // plain string, as the swagger documents
    ['PW22', 'leavingDate', '2031-03-31'], // wrapped in DisplayValue, as some clients see it
  ] as const)('%s %s → %s', (id, field, expected) => {
    expect(mapped(id).attributes[field]).toBe(expected);
  });

  it('reads a leaver from EmployeeStatus 0 and keeps the leaving date', () => {
    expect(mapped('PW21')).toMatchObject({ active: false, attributes: { leavingDate: '2024-05-31' } });
  });

  it('leaves a future leaver active: core applies the date when it passes', () => {
    expect(mapped('PW22').active).toBe(true);
  });

  it('trims values and keeps the email case as sent (core compares case-insensitively)', () => {
    expect(mapped('PW30').attributes).toMatchObject({ firstName: 'Priya', email: 'Priya.Shah@Acme.example' });
  });

  it('turns empty values into null so core can quarantine missing required fields', () => {
    expect(mapped('PW30').attributes).toMatchObject({ jobTitle: null, department: null, location: null });
    expect(mapped('PW31')).toMatchObject({
      managerSourceId: null,
      attributes: { firstName: null, lastName: null, email: null, firstHiredOn: null },
    });
  });

  it('maps only the managed fields: no gender, birth date or phone', () => {
    const keys = Object.keys(mapped('PW1').attributes).sort();
    expect(keys).toEqual(
      [
        'department',
        'email',
        'firstHiredOn',
        'firstName',
        'jobTitle',
        'lastName',
        'leavingDate',
        'location',
      ].sort(),
    );
  });

  it('never puts anything but the mapped values in the result', () => {
    const text = JSON.stringify(fixture.Result.map(mapPeopleHrEmployee));
    expect(text).not.toContain('Resignation');
    expect(text).not.toContain('+44 20');
  });

  it('survives records that are missing fields or have odd shapes', () => {
    expect(mapPeopleHrEmployee({})).toMatchObject({ sourceId: '', active: true, managerSourceId: null });
    expect(
      mapPeopleHrEmployee({
        employeeid: { displayvalue: 42 },
        EmployeeStatus: { DisplayValue: 'Inactive' },
        FirstName: ['x'],
      }),
    ).toMatchObject({ sourceId: '42', active: false, attributes: { firstName: null } });
  });
});

describe('toIsoDate', () => {
  it.each([
    ['2014-01-01', '2014-01-01'],
    ['2014-1-5', '2014-01-05'],
    ['2014-01-01T00:00:00', '2014-01-01'],
    ['31/12/2020', '2020-12-31'],
    ['29-02-2024', '2024-02-29'],
    ['29/02/2023', '29/02/2023'],
    ['07-Jul-2017', '2017-07-07'],
    ['7 September 2017', '2017-09-07'],
    ['/Date(1388534400000)/', '2014-01-01'],
    ['1900-01-01', null],
    ['n/a', 'n/a'],
  ])('%s → %s', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it('maps null to null', () => {
    expect(toIsoDate(null)).toBeNull();
  });
});
