// CSV employee files: fixtures, header/delimiter rules, whole-file rejections with line numbers, per-row issues.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { personFields } from '../../core/model.js';
import { parseEmployeeFile } from './index.js';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const parsed = (input: Uint8Array | string) => {
  const result = parseEmployeeFile(input, { format: 'csv' });
  if (!result.ok) throw new Error(`expected a roster, got: ${result.error.message}`);
  return result.value;
};

const rejected = (input: Uint8Array | string) => {
  const result = parseEmployeeFile(input, { format: 'csv' });
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.error;
};

const header = 'employee_id,email,first_name,last_name';

describe('CSV employee file', () => {
  it('reads a comma-separated file with every column', () => {
    const file = parsed(fixture('employees.csv'));
    expect(file.format).toBe('csv');
    expect(file.rows).toBe(4);
    expect(file.issues).toEqual([]);
    expect(file.managedFields).toEqual([...personFields, 'manager', 'groups', 'active']);
    const [jane, john, ana, old] = file.people;
    expect(jane).toMatchObject({ sourceId: '1001', ref: 'line 2', active: true, managerSourceId: null });
    expect(jane?.attributes).toEqual({
      email: 'jane.doe@acme.test',
      firstName: 'Jane',
      lastName: 'Doe',
      birthDate: '1985-04-12',
      gender: 'female',
      employeeNumber: 'E-1001',
      jobTitle: 'CEO',
      department: 'Management',
      location: 'Berlin',
      phoneNumber: '+49 30 1234567',
      contractType: 'permanent',
      firstHiredOn: '2015-01-01',
      currentHiredOn: '2015-01-01',
      leavingDate: null,
    });
    expect(john).toMatchObject({ managerSourceId: '1001', groups: ['Platform', 'Backend'], active: true });
    expect(john?.attributes.department).toBe('R&D');
    // Empty status means active; an empty groups cell means "in no group".
    expect(ana).toMatchObject({ active: true, groups: [] });
    expect(ana?.attributes.lastName).toBe('López');
    expect(old).toMatchObject({ sourceId: '1004', active: false, ref: 'line 5' });
    expect(old?.attributes.leavingDate).toBe('2024-12-31');
  });

  it('reads semicolons, a BOM, CRLF, and quoted fields holding the delimiter, quotes and a newline', () => {
    const bytes = fixture('employees-semicolon-bom-crlf.csv');
    // Guard the fixture itself: an editor or git setting must not strip what this test is about.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(Buffer.from(bytes).includes('\r\n')).toBe(true);
    const file = parsed(bytes);
    expect(file.managedFields).toEqual(['email', 'firstName', 'lastName', 'jobTitle', 'groups', 'active']);
    expect(file.people.map((p) => [p.sourceId, p.ref, p.active])).toEqual([
      ['3001', 'line 2', true],
      ['3002', 'line 3', true],
      ['3003', 'line 6', false],
    ]);
    const [kim, lee] = file.people;
    expect(kim?.attributes).toMatchObject({
      email: 'kim.berg@acme.test',
      lastName: 'Berg; von',
      jobTitle: 'Head of "Ops"',
    });
    expect(kim?.groups).toEqual(['Ops', 'On-call']);
    expect(lee?.attributes.jobTitle).toBe('Field\nEngineer');
  });

  it('decodes UTF-16 LE and BE files that start with a byte order mark', () => {
    const text = readFileSync(new URL('./fixtures/employees.csv', import.meta.url), 'utf8');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const expected = parsed(text);
    expect(parsed(le)).toEqual(expected);
    expect(parsed(be)).toEqual(expected);
    expect(parsed(le).people[2]?.attributes.lastName).toBe('López');
  });

  it('rejects invalid UTF-8 and names the line', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${header}\n1,a@x.test,A,B\n2,b@x.test,R`),
      Buffer.from([0xe9]),
      Buffer.from('ne,C\n'),
    ]);
    const error = rejected(bytes);
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual({ line: 3 });
    expect(error.message).toMatch(/UTF-8/);
  });

  it('rejects a NUL character (binary file, or UTF-16 without BOM)', () => {
    const error = rejected(Buffer.from(`${header}\n1,a@x.test,A,B\n`, 'utf16le'));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/NUL/);
  });

  it('rejects the whole file when a required column is missing, naming it', () => {
    const error = rejected('employee_id,email,first_name\n1,a@x.test,A\n');
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('last_name');
    expect(error.details).toMatchObject({ line: 1, columns: ['last_name'] });
  });

  it('rejects an unknown column (a typo must not silently drop a field) and suggests the right name', () => {
    const error = rejected(`employee_id,emial,first_name,last_name,email\n1,x,A,B,a@x.test\n`);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain("'emial' (did you mean 'email'?)");
    expect(error.details).toMatchObject({ columns: ['emial'] });
  });

  it('rejects a column given twice', () => {
    expect(rejected(`${header},Email\n1,a,b,c,d\n`).message).toContain("'email' twice");
  });

  it('rejects a tab-separated file: wrong delimiter', () => {
    const error = rejected('employee_id\temail\tfirst_name\tlast_name\n1\ta@x.test\tA\tB\n');
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('wrong delimiter: use comma or semicolon');
  });

  it('rejects an unbalanced quote with the line where the record starts', () => {
    const text = `${header}\n1,a@x.test,A,B\n2,"b@x.test,B,C\n3,c@x.test,C,D\n4,d@x.test,D,E\n`;
    const error = rejected(text);
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual({ line: 3 });
    expect(error.message).toContain('Line 3');
  });

  it('counts skipped blank and bare-delimiter rows when naming the line of an unclosed quote', () => {
    const text = `${header}\n1,a@x.test,A,B\n,,,\n\n2,"b@x.test,B,C\n3,c@x.test,C,D\n`;
    expect(rejected(text).details).toEqual({ line: 5 });
  });

  it('rejects a quote in the middle of an unquoted value, with its line', () => {
    expect(rejected(`${header}\n1,a@x.test,Dwayne "The Rock",J\n`).details).toEqual({ line: 2 });
  });

  it('rejects a file cut mid-row (too few fields), naming the last line', () => {
    const error = rejected(`${header}\n1,a@x.test,A,B\n2,b@x.test,B,C\n3,c@x.te`);
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual({ line: 4 });
  });

  it('rejects a file cut inside a quoted value', () => {
    expect(rejected(`${header}\n1,a@x.test,A,B\n2,b@x.test,"Bo`).details).toEqual({ line: 3 });
  });

  it('rejects a row with too many fields, naming the line where a multi-line record starts', () => {
    const error = rejected(`${header}\n1,a@x.test,A,B\n2,b@x.test,"B\nB",C,extra\n`);
    expect(error.details).toEqual({ line: 3 });
    expect(error.message).toContain('5 fields but the header has 4 columns');
  });

  it('reads a header-only file as an empty roster (the engine guard then blocks it)', () => {
    const file = parsed(`${header},department\n`);
    expect(file).toMatchObject({ people: [], rows: 0, issues: [] });
    expect(file.managedFields).toEqual(['email', 'firstName', 'lastName', 'department', 'active']);
  });

  it.each([
    ['0 bytes', new Uint8Array()],
    ['whitespace only', ' \r\n\t\n'],
    ['a BOM only', new Uint8Array([0xef, 0xbb, 0xbf])],
  ])('reads %s as an empty roster', (_name, input) => {
    expect(parsed(input)).toEqual({
      format: 'csv',
      people: [],
      managedFields: ['active'],
      rows: 0,
      issues: [],
    });
  });

  it('maps inactive (any case) to active: false and keeps the person in the roster', () => {
    const file = parsed(`${header},status\n1,a@x.test,A,B,Inactive\n2,b@x.test,B,C,ACTIVE\n`);
    expect(file.people.map((p) => p.active)).toEqual([false, true]);
  });

  it('leaves out a row with an unknown status, reporting its line, field, id and email', () => {
    const file = parsed(`${header},status\n1,a@x.test,A,B,active\n2,b@x.test,B,C,retired\n`);
    expect(file.rows).toBe(2);
    expect(file.people.map((p) => p.sourceId)).toEqual(['1']);
    expect(file.issues).toHaveLength(1);
    expect(file.issues[0]).toMatchObject({
      severity: 'error',
      code: 'invalid_value',
      record: 'line 3',
      sourceId: '2',
      field: 'status',
    });
    expect(file.issues[0]?.message).toContain("'retired'");
    expect(file.issues[0]?.message).toContain('b@x.test');
  });

  it('manages active even without a status column: everyone listed is active', () => {
    const file = parsed(`${header}\n1,a@x.test,A,B\n`);
    expect(file.managedFields).toContain('active');
    expect(file.people[0]?.active).toBe(true);
    expect(file.people[0]).not.toHaveProperty('groups');
    expect(file.people[0]).not.toHaveProperty('managerSourceId');
  });

  it('splits groups on |, trims them and drops empty and repeated names', () => {
    const file = parsed(`${header},groups\n1,a@x.test,A,B, Sales |EMEA||sales| Berlin Office \n`);
    expect(file.people[0]?.groups).toEqual(['Sales', 'EMEA', 'Berlin Office']);
  });

  it('skips blank lines and spreadsheet rows of bare delimiters, and ignores nameless columns', () => {
    const file = parsed(`\n${header},\n1,a@x.test,A,B,\n\n,,,,\n2,b@x.test,B,C,\n`);
    expect(file.people.map((p) => [p.sourceId, p.ref])).toEqual([
      ['1', 'line 3'],
      ['2', 'line 6'],
    ]);
    expect(file.rows).toBe(2);
  });

  it('allows spaces around quoted values and keeps an empty id for core/validate to report', () => {
    const file = parsed(`${header}\n , "a@x.test" ,A,B\n`);
    expect(file.people[0]).toMatchObject({ sourceId: '', attributes: { email: 'a@x.test' } });
  });

  it('treats an empty cell as "provided and empty" (null)', () => {
    const file = parsed(`${header},phone_number,manager_employee_id\n1,a@x.test,A,B,,\n`);
    expect(file.people[0]?.attributes.phoneNumber).toBeNull();
    expect(file.people[0]?.managerSourceId).toBeNull();
  });
});
