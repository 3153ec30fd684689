// XML employee files: fixtures, <group> children, root-only rosters, and hostile XML (DTD, XXE, depth, __proto__).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { personFields } from '../../core/model.js';
import { parseEmployeeFile } from './index.js';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const parsed = (input: Uint8Array | string) => {
  const result = parseEmployeeFile(input, { format: 'xml' });
  if (!result.ok) throw new Error(`expected a roster, got: ${result.error.message}`);
  return result.value;
};

const rejected = (input: Uint8Array | string) => {
  const result = parseEmployeeFile(input, { format: 'xml' });
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.error;
};

const person = (inner: string) =>
  `<employee><employee_id>1</employee_id><email>a@x.test</email><first_name>A</first_name><last_name>B</last_name>${inner}</employee>`;

describe('XML employee file', () => {
  it('reads a valid file: every element, entities, CDATA, inactive status', () => {
    const file = parsed(fixture('employees.xml'));
    expect(file).toMatchObject({ format: 'xml', rows: 3, issues: [] });
    expect(file.managedFields).toEqual([...personFields, 'manager', 'groups', 'active']);
    const [jane, john, old] = file.people;
    expect(jane).toMatchObject({
      sourceId: '1001',
      ref: 'employee #1 (id 1001)',
      active: true,
      managerSourceId: null,
    });
    expect(jane?.groups).toEqual(['Leadership']);
    expect(jane?.attributes).toMatchObject({
      birthDate: '1985-04-12',
      phoneNumber: '+49 30 1234567',
      leavingDate: null,
    });
    expect(john).toMatchObject({ managerSourceId: '1001', groups: ['Platform', 'Backend'], active: true });
    expect(john?.attributes.department).toBe('R&D');
    // An element another employee has is managed for all: missing here means cleared.
    expect(john?.attributes.birthDate).toBeNull();
    expect(old).toMatchObject({ sourceId: '1004', active: false, groups: [], managerSourceId: null });
    expect(old?.attributes).toMatchObject({ lastName: 'Timer & Sons', leavingDate: '2024-12-31' });
  });

  it('reads groups given as repeated <group> children', () => {
    const file = parsed(fixture('employees-group-children.xml'));
    expect(file.people.map((p) => p.groups)).toEqual([['Sales', 'EMEA & APAC'], []]);
    expect(file.managedFields).toEqual(['email', 'firstName', 'lastName', 'groups', 'active']);
  });

  it.each([
    ['<employees/>', '<employees/>'],
    ['an empty root', '<?xml version="1.0"?>\n<employees>\n</employees>\n'],
  ])('reads %s as an empty roster', (_name, text) => {
    expect(parsed(text)).toEqual({
      format: 'xml',
      people: [],
      managedFields: ['active'],
      rows: 0,
      issues: [],
    });
  });

  it('always manages the required fields, so core/validate flags an employee without them', () => {
    const file = parsed('<employees><employee><employee_id>7</employee_id></employee></employees>');
    expect(file.people[0]?.attributes).toEqual({ email: null, firstName: null, lastName: null });
  });

  it('decodes character references but leaves forbidden ones (&#0;) literal', () => {
    const file = parsed(
      `<employees>${person('<job_title>Caf&#233; &#x42;oss &#0;</job_title>')}</employees>`,
    );
    expect(file.people[0]?.attributes.jobTitle).toBe('Café Boss &#0;');
  });

  it('leaves out an employee with an unknown status, with an issue naming it by position and id', () => {
    const file = parsed(
      `<employees>${person('')}${person('<status>on leave</status>').replace('>1<', '>2<')}</employees>`,
    );
    expect(file.people).toHaveLength(1);
    expect(file.issues[0]).toMatchObject({
      code: 'invalid_value',
      record: 'employee #2 (id 2)',
      sourceId: '2',
      field: 'status',
    });
  });

  it.each([
    ['an internal entity', '<!DOCTYPE employees [<!ENTITY x "y">]><employees/>'],
    [
      'an external entity (XXE)',
      '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><employees><employee><email>&xxe;</email></employee></employees>',
    ],
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ).join('')}]><employees><employee><email>&lol9;</email></employee></employees>`,
    ],
    ['a bare doctype', '<!doctype html><employees/>'],
  ])('refuses %s outright', (_name, text) => {
    const error = rejected(text);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('DTDs and entities are not allowed');
  });

  it.each([30, 100_000])('refuses nesting %i levels deep with a typed error', (depth) => {
    const error = rejected(
      `<employees><employee>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</employee></employees>`,
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/nested more than 20 levels/);
  });

  it.each(['__proto__', 'constructor'])(
    'turns a <%s> element into a typed error without polluting prototypes',
    (name) => {
      const error = rejected(
        `<employees><employee><${name}><polluted>yes</polluted></${name}></employee></employees>`,
      );
      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain(`<${name}>`);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );

  it('reports a malformed file with the line of the error', () => {
    const error = rejected(
      '<employees>\n  <employee>\n    <email>a@x.test</emial>\n  </employee>\n</employees>',
    );
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual({ line: 3 });
    expect(error.message).toContain('Line 3');
  });

  it('rejects an unknown element inside <employee>, naming it', () => {
    const error = rejected(`<employees>${person('<emial>x</emial>')}</employees>`);
    expect(error.message).toContain("'emial' (did you mean 'email'?)");
    expect(error.message).toMatch(/employee #1 has unknown elements/i);
  });

  it('rejects an element given twice rather than picking one', () => {
    expect(rejected(`<employees>${person('<email>b@x.test</email>')}</employees>`).message).toContain(
      '<email> 2 times',
    );
  });

  it.each([
    ['a wrong root', '<people><employee/></people>', 'exactly one root element <employees>'],
    ['two roots', '<employees/><employees/>', 'exactly one root element'],
    ['text in the root', '<employees>hello</employees>', 'not text'],
    ['another element in the root', '<employees><person/></employees>', 'only contain <employee>'],
    [
      'elements inside a value',
      `<employees>${person('<job_title><b>x</b></job_title>')}</employees>`,
      'must hold text',
    ],
    [
      'text beside <group>',
      `<employees>${person('<groups>x<group>y</group></groups>')}</employees>`,
      'only contain <group>',
    ],
  ])('rejects %s', (_name, text, message) => {
    const error = rejected(text);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(message);
  });

  it('ignores attributes and namespace prefixes', () => {
    const file = parsed(
      `<hr:employees xmlns:hr="urn:x"><hr:employee kind="x"><hr:employee_id>9</hr:employee_id><hr:email>a@x.test</hr:email></hr:employee></hr:employees>`,
    );
    expect(file.people[0]).toMatchObject({ sourceId: '9', attributes: { email: 'a@x.test' } });
  });
});
