// Table tests of the Personio mapping, from recorded-format fixtures (v1 attribute envelope).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SourcePerson } from '../../core/model.js';
import { mapPersonioEmployee, toGender, toIsoDate, type PersonioEmployee } from './map.js';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;

const page = fixture<{ data: PersonioEmployee[] }>('employees-page.json');
const byId = new Map(page.data.map((e) => [String(e.attributes.id?.value), mapPersonioEmployee(e)]));
const person = (id: string): SourcePerson => {
  const p = byId.get(id);
  if (p === undefined) throw new Error(`fixture has no employee ${id}`);
  return p;
};

describe('mapPersonioEmployee (employees-page.json)', () => {
  it('maps every managed field of a full record', () => {
    expect(person('1001')).toEqual({
      sourceId: '1001',
      ref: 'employee 1001',
      active: true,
      managerSourceId: null,
      attributes: {
        email: 'Mara.Jansen@Acme.example',
        firstName: 'Mara',
        lastName: 'Jansen',
        gender: 'female',
        department: 'Engineering',
        jobTitle: 'CTO',
        firstHiredOn: '2014-11-09',
        leavingDate: null,
      },
    });
  });

  it.each([
    ['1002', { active: true, managerSourceId: '1001' }],
    ['1003', { active: true, managerSourceId: '1001' }],
    ['1004', { active: false, managerSourceId: '1002' }],
    ['1005', { active: true, managerSourceId: null }],
  ])('employee %s: status and supervisor', (id, expected) => {
    const p = person(id);
    expect({ active: p.active, managerSourceId: p.managerSourceId }).toEqual(expected);
  });

  it.each([
    ['1001', 'female'],
    ['1002', 'male'],
    ['1003', 'diverse'],
    ['1004', 'undefined'],
    ['1005', null],
    ['1006', 'female'],
    ['1007', 'x-other'],
  ])('employee %s: gender %s', (id, gender) => {
    expect(person(id).attributes.gender).toBe(gender);
  });

  it.each([
    ['1001', '2014-11-09', null],
    ['1002', '2019-04-01', null],
    ['1003', '2026-12-01', null],
    ['1004', '2020-01-15', '2025-06-30'],
    ['1005', '31/02/2020', '2027-03-31'],
    ['1006', '2021-02-29T00:00:00+01:00', null],
    ['1007', '2022-05-02', null],
  ])('employee %s: hire date %s, termination date %s', (id, hired, leaving) => {
    const { attributes } = person(id);
    expect([attributes.firstHiredOn, attributes.leavingDate]).toEqual([hired, leaving]);
  });

  it('turns empty values into null and trims text', () => {
    expect(person('1003').attributes).toMatchObject({ jobTitle: null, department: null });
    expect(person('1005').attributes).toMatchObject({ email: null, firstName: 'Lena' });
    expect(person('1002').attributes.department).toBe('Customer Support');
  });

  it('never returns attributes the seed does not list', () => {
    const keys = new Set(page.data.flatMap((e) => Object.keys(mapPersonioEmployee(e).attributes)));
    expect([...keys].sort()).toEqual(
      [
        'department',
        'email',
        'firstHiredOn',
        'firstName',
        'gender',
        'jobTitle',
        'lastName',
        'leavingDate',
      ].sort(),
    );
  });
});

describe('mapPersonioEmployee: other shapes', () => {
  it('leaves out attributes that the credential does not expose', () => {
    const projected = fixture<{ data: PersonioEmployee[] }>('employees-not-whitelisted.json');
    const first = projected.data[0];
    if (first === undefined) throw new Error('empty fixture');
    const p = mapPersonioEmployee(first);
    expect(p).toEqual({
      sourceId: '2001',
      ref: 'employee 2001',
      active: true,
      attributes: { email: 'ada.byron@acme.example', firstName: 'Ada', lastName: 'Byron' },
    });
    expect('managerSourceId' in p).toBe(false);
  });

  it('reads records without type/universal_id (older responses)', () => {
    const p = mapPersonioEmployee(fixture<PersonioEmployee>('employee-legacy-shape.json'));
    expect(p).toMatchObject({
      sourceId: '3001',
      managerSourceId: '3000',
      attributes: {
        department: 'Finance',
        jobTitle: 'Controller',
        firstHiredOn: '2018-07-01',
        leavingDate: null,
      },
    });
  });

  it('accepts a department given as a plain string and a supervisor id given bare', () => {
    const p = mapPersonioEmployee({
      type: 'Employee',
      attributes: {
        id: { value: '77' },
        department: { value: ' Legal ' },
        supervisor: { value: { type: 'Employee', attributes: { id: 5 } } },
        status: { value: 'INACTIVE' },
      },
    });
    expect(p).toMatchObject({
      sourceId: '77',
      active: false,
      managerSourceId: '5',
      attributes: { department: 'Legal' },
    });
  });

  it('gives a record without id an empty source id that validation rejects', () => {
    expect(mapPersonioEmployee({ type: 'Employee', attributes: {} })).toMatchObject({
      sourceId: '',
      ref: 'employee (no id)',
    });
  });
});

describe('value helpers', () => {
  it.each([
    ['2014-11-09T00:00:00+01:00', '2014-11-09'],
    ['2012-02-01T00:00:00+0100', '2012-02-01'],
    ['2021-01-01', '2021-01-01'],
    ['2014-11-09 00:00:00+01:00', '2014-11-09'],
    ['09.11.2014', '2014-11-09'],
    ['2014-13-01', '2014-13-01'],
    ['not a date', 'not a date'],
    ['  ', null],
    [null, null],
  ])('toIsoDate(%j) = %j', (input, expected) => {
    expect(toIsoDate(input)).toBe(expected);
  });

  it.each([
    ['FEMALE', 'female'],
    ['Männlich', 'male'],
    ['divers', 'diverse'],
    ['undefined', 'undefined'],
    ['Nonbinary', 'nonbinary'],
    ['', null],
  ])('toGender(%j) = %j', (input, expected) => {
    expect(toGender(input)).toBe(expected);
  });
});

describe('mapPersonioEmployee: defensive reads', () => {
  it('treats null or non-object attributes as empty instead of failing', () => {
    const raw = {
      type: 'Employee',
      attributes: {
        id: { value: 9 },
        gender: null,
        status: 'active',
        supervisor: null,
        email: { value: 42 },
      },
    } as unknown as PersonioEmployee;
    expect(mapPersonioEmployee(raw)).toEqual({
      sourceId: '9',
      ref: 'employee 9',
      active: true,
      managerSourceId: null,
      attributes: { gender: null, email: '42' },
    });
  });
});
