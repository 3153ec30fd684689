// Mapping tests: recorded Nmbrs SOAP payloads (fixtures/*.xml) → parsed records → SourcePerson.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SourcePerson } from '../../core/model.js';
import { readAllEmployees } from './client.js';
import type { NmbrsClient } from './client.js';
import { currentByPeriod, mapGender, mapNmbrsEmployee, nmbrsDate } from './map.js';
import {
  joinCompany,
  parseCompanies,
  parseContractItems,
  parseEmployeeList,
  parseEmployeeTypes,
  parseEmploymentItems,
  parseFunctionItems,
  parseManager,
  parsePersonalInfoItems,
} from './records.js';
import type { NmbrsEmployeeRecord } from './records.js';
import { readSoapReply } from './soap.js';
import type { XmlNode } from './soap.js';

const asOf = '2026-11-23';
const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const result = (name: string, operation: string): XmlNode | undefined => {
  const reply = readSoapReply({ body: fixture(name), operation });
  if (reply.kind !== 'result') throw new Error(`${name} is a fault`);
  return reply.result;
};

const companies = parseCompanies(result('company-list.xml', 'List_GetAll'));
const joined = joinCompany({
  company: companies[0] ?? { ID: '?', Number: null, Name: null },
  employees: parseEmployeeList(result('employee-list.xml', 'List_GetByCompany')),
  personalInfos: parsePersonalInfoItems(
    result('personal-info.xml', 'PersonalInfoWithoutBSN_Get_GetAllEmployeesByCompany'),
  ),
  functions: parseFunctionItems(result('functions.xml', 'Function_GetAll_AllEmployeesByCompany_V2')),
  contracts: parseContractItems(result('contracts.xml', 'Contract_GetAll_AllEmployeesByCompany')),
  employments: parseEmploymentItems(result('employments.xml', 'Employment_GetAll_AllEmployeesByCompany')),
  managers: new Map([
    ['42', parseManager(result('manager-42.xml', 'Manager_GetCurrent'))],
    ['43', parseManager(result('manager-none.xml', 'Manager_GetCurrent'))],
    ['44', parseManager(result('manager-44.xml', 'Manager_GetCurrent'))],
  ]),
  asOf,
});

/** Runs the real page/manager-resolution loop over the fixture company. */
async function readFixtureRoster(): Promise<NmbrsEmployeeRecord[]> {
  const client: NmbrsClient = {
    call: () => Promise.resolve(undefined),
    companies: () => Promise.resolve(companies.slice(0, 1)),
    employeeTypes: () =>
      Promise.resolve(parseEmployeeTypes(result('employee-types.xml', 'EmployeeType_GetList'))),
    readCompany: ({ company }) => Promise.resolve({ company, records: joined.records }),
    close: () => Promise.resolve(),
  };
  const out: NmbrsEmployeeRecord[] = [];
  for await (const page of readAllEmployees(client)) out.push(...page);
  return out;
}

const people = new Map<string, SourcePerson>();
const person = (id: string): SourcePerson => {
  const p = people.get(id);
  if (p === undefined) throw new Error(`no employee ${id}`);
  return p;
};

describe('Nmbrs fixtures → records', () => {
  it('parses companies with their capitalised ID and every listed employee', () => {
    expect(companies.map((c) => [c.ID, c.Name])).toEqual([
      ['1001', 'Acme Nederland B.V.'],
      ['1002', 'Acme Services B.V.'],
    ]);
    expect(joined.records.map((r) => r.EmployeeId)).toEqual(['42', '43', '44', '45', '46']);
    expect(joined.missingPersonalInfo).toEqual([]);
    expect(joined.records[0]?.PersonalInfos).toHaveLength(3);
  });

  it('reports listed employees that have no personal info', () => {
    const partial = joinCompany({
      company: { ID: '1', Number: null, Name: null },
      employees: [{ Id: '7', Number: null, DisplayName: null }],
      personalInfos: new Map(),
      functions: new Map(),
      contracts: new Map(),
      employments: new Map(),
      managers: new Map(),
      asOf,
    });
    expect(partial.missingPersonalInfo).toEqual(['7']);
  });
});

describe('mapNmbrsEmployee on the fixture roster', () => {
  beforeAll(async () => {
    for (const r of await readFixtureRoster()) people.set(r.EmployeeId, mapNmbrsEmployee(r));
  });

  it('maps every field of a current employee, choosing the records in force on AsOf', () => {
    expect(person('42')).toEqual({
      sourceId: '42',
      ref: 'employee 42',
      active: true,
      managerSourceId: '43',
      attributes: {
        email: 'Jan.deVries@Acme.example',
        firstName: 'Jan',
        lastName: 'de Vries',
        birthDate: '1985-03-14',
        gender: 'male',
        employeeNumber: '1007',
        jobTitle: 'Lead Developer',
        phoneNumber: '+31 20 555 0199',
        contractType: 'permanent',
        firstHiredOn: '2019-01-01',
        leavingDate: null,
      },
    });
  });

  it('falls back to the mobile work number and maps a manager-less employee to null', () => {
    expect(person('43').attributes.phoneNumber).toBe('06 1234 5678');
    expect(person('43').attributes.gender).toBe('female');
    expect(person('43').managerSourceId).toBeNull();
  });

  it('maps a leaver: out-of-service date → leavingDate, fixed-term contract, unknown gender', () => {
    const p = person('44');
    expect(p.attributes.leavingDate).toBe('2025-08-31');
    expect(p.attributes.contractType).toBe('fixed-term');
    expect(p.attributes.gender).toBe('undefined');
    // Nmbrs has no status flag: core turns the past leaving date into "inactive".
    expect(p.active).toBe(true);
  });

  it('keeps a manager no employee matches by e-mail as an explicit unknown reference', () => {
    expect(person('44').managerSourceId).toBe('nmbrs-manager:eva.mulder@interim.example');
  });

  it('maps a rehire: first hire from the first employment, no leaving date, current contract', () => {
    const p = person('45');
    expect(p.attributes.firstHiredOn).toBe('2016-03-01');
    expect(p.attributes.leavingDate).toBeNull();
    expect(p.attributes.contractType).toBe('fixed-term');
    expect(p.attributes.lastName).toBe("O'Brien & Smit");
    expect(p.attributes.gender).toBe('diverse');
    expect(p.attributes.jobTitle).toBe('HR');
  });

  it('maps empty, nil and DateTime.MinValue values to null and trims text', () => {
    expect(person('46').attributes).toEqual({
      email: null,
      firstName: 'Kim',
      lastName: 'Visser',
      birthDate: null,
      gender: null,
      employeeNumber: '1020',
      jobTitle: null,
      phoneNumber: null,
      contractType: null,
      firstHiredOn: null,
      leavingDate: null,
    });
  });
});

describe('map helpers', () => {
  it.each([
    ['1990-04-01T00:00:00', '1990-04-01'],
    ['1990-04-01T00:00:00+02:00', '1990-04-01'],
    ['1990-04-01', '1990-04-01'],
    ['0001-01-01T00:00:00', null],
    ['  ', null],
    [null, null],
    ['01-04-1990', '01-04-1990'],
  ])('nmbrsDate(%j) = %j', (input, expected) => {
    expect(nmbrsDate(input)).toBe(expected);
  });

  it.each([
    ['Male', 'male'],
    ['F', 'female'],
    ['Vrouw', 'female'],
    ['X', 'diverse'],
    ['Unknown', 'undefined'],
    ['undefined', 'undefined'],
    ['Agender', 'agender'],
    ['', null],
  ])('mapGender(%j) = %j', (input, expected) => {
    expect(mapGender(input)).toBe(expected);
  });

  it('takes the earliest period record when every record starts after AsOf (future hire)', () => {
    const records = [
      { StartYear: '2027', StartPeriod: '3', CreationDate: null, tag: 'b' },
      { StartYear: '2027', StartPeriod: '1', CreationDate: null, tag: 'a' },
    ];
    expect(currentByPeriod(records, asOf)?.tag).toBe('a');
    expect(currentByPeriod([], asOf)).toBeNull();
  });

  it('uses the list number when the personal info has no employee number', () => {
    const base = joined.records[4] as NmbrsEmployeeRecord;
    const info = base.PersonalInfos[0];
    if (info === undefined) throw new Error('fixture changed');
    const mapped = mapNmbrsEmployee({ ...base, PersonalInfos: [{ ...info, EmployeeNumber: null }] });
    expect(mapped.attributes.employeeNumber).toBe('1020');
  });
});
