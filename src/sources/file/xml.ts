// Hardened XML reading for uploads (no DTD, no entity expansion, depth cap) and the XML employee file.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../core/errors.js';
import type { RecordIssue, SourcePerson } from '../../core/model.js';
import { err, ok, type Result } from '../../core/result.js';
import {
  describeUnknown,
  employeeColumns,
  excerpt,
  isEmployeeColumn,
  managedFieldsFor,
  mapEmployee,
  requiredColumns,
  type EmployeeColumn,
  type EmployeeFile,
  type EmployeeValues,
} from './map.js';

/** Our deepest legit path is employees/employee/groups/group; anything far deeper is hostile. */
const MAX_DEPTH = 20;

const parser = new XMLParser({
  // Entities stay literal: no DTD expansion at all (billion laughs, XXE); we decode the five
  // predefined ones and character references ourselves, which can never grow the text.
  processEntities: false,
  htmlEntities: false,
  maxNestedTags: MAX_DEPTH,
  parseTagValue: false,
  trimValues: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  // Every element is a list, so a repeated element is seen (and refused) instead of merged.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/** A parsed element: text, or child elements by name (each a list), `#text` for mixed content. */
type XmlNode = string | { readonly [name: string]: unknown };

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export const rejectXml = (message: string, details: Record<string, unknown> = {}, cause?: unknown) =>
  err(
    new AppError(
      'invalid_input',
      `${capitalize(message)} Nothing was changed; fix the file and upload it again.`,
      {
        details,
        ...(cause === undefined ? {} : { cause }),
      },
    ),
  );

const predefined: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes `&amp;`-style and `&#65;`/`&#x41;` references; anything else (or an invalid code point) stays literal. */
export const decodeEntities = (value: string): string => {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/gi, (whole, ref: string) => {
    if (!ref.startsWith('#')) return predefined[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    return allowed ? String.fromCodePoint(code) : whole;
  });
};

const isNode = (value: unknown): value is XmlNode =>
  typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value));

const parseFailure = (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('Maximum nested tags')) {
    return rejectXml(
      `The XML is nested more than ${MAX_DEPTH} levels deep; an employee file needs 4.`,
      {},
      error,
    );
  }
  const reserved = /Invalid name: "([^"]*)"/.exec(message);
  if (reserved) {
    return rejectXml(`The element name <${excerpt(reserved[1] ?? '')}> is not allowed.`, {}, error);
  }
  return rejectXml(`The file could not be read as XML (${excerpt(message, 120)}).`, {}, error);
};

/**
 * Parses untrusted XML down to the list of `<item>` elements under `<root>`. Refuses any DTD or
 * entity declaration outright, reports a malformed file with its line, and turns every parser
 * exception (depth, reserved names) into an `invalid_input` error. Blank input or `<root/>` → [].
 */
export const readXmlItems = (
  text: string,
  o: { readonly root: string; readonly item: string },
): Result<XmlNode[], AppError> => {
  if (text.trim() === '') return ok([]);
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) {
    return rejectXml(
      'DTDs and entities are not allowed: remove the <!DOCTYPE> (and any <!ENTITY>) from the file.',
    );
  }
  let parsed: unknown;
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      const { line, msg } = valid.err;
      return rejectXml(`Line ${line}: the XML is malformed (${excerpt(msg, 160)}).`, { line });
    }
    parsed = parser.parse(text);
  } catch (error) {
    return parseFailure(error);
  }
  const roots = typeof parsed === 'object' && parsed !== null ? Object.entries(parsed) : [];
  const count = roots.reduce((n, [, value]) => n + (Array.isArray(value) ? value.length : 1), 0);
  const [first] = roots;
  if (count !== 1 || first === undefined || first[0] !== o.root || !Array.isArray(first[1])) {
    const names = roots.slice(0, 5).map(([name]) => `<${excerpt(name)}>`);
    const found = count === 0 ? 'none' : `${count} (${names.join(', ')})`;
    return rejectXml(`The file must have exactly one root element <${o.root}>; found ${found}.`);
  }
  const content: unknown = first[1][0];
  if (content === '') return ok([]);
  if (typeof content !== 'object' || content === null) {
    return rejectXml(`<${o.root}> must contain <${o.item}> elements, not text.`);
  }
  const items: XmlNode[] = [];
  for (const [name, value] of Object.entries(content)) {
    if (name !== o.item || !Array.isArray(value)) {
      const what = name === '#text' ? 'text' : `<${excerpt(name)}>`;
      return rejectXml(`<${o.root}> may only contain <${o.item}> elements; found ${what}.`);
    }
    for (const entry of value as unknown[]) if (isNode(entry)) items.push(entry);
  }
  return ok(items);
};

/** One leaf element's text, or null when it has child elements or is repeated. */
const leafText = (value: unknown): string | null => {
  if (!Array.isArray(value) || value.length !== 1) return null;
  const [only] = value as unknown[];
  return typeof only === 'string' ? decodeEntities(only) : null;
};

/**
 * Reads the child elements of one item: every name must be in `allowed`, each at most once, each
 * text only; `lists` names elements holding repeated children (`<groups><group>`), read as a list.
 */
export const readFields = (
  node: XmlNode,
  o: {
    readonly allowed: ReadonlySet<string>;
    readonly lists?: Readonly<Record<string, string>>;
    readonly label: string;
  },
): Result<Map<string, string | string[]>, AppError> => {
  const fields = new Map<string, string | string[]>();
  if (typeof node === 'string') {
    return node === '' ? ok(fields) : rejectXml(`${o.label} holds text instead of elements.`);
  }
  const entries = Object.entries(node);
  const unknown = entries.map(([name]) => name).filter((name) => name !== '#text' && !o.allowed.has(name));
  if (unknown.length > 0) {
    const listed = unknown.slice(0, 10).map(describeUnknown).join(', ');
    return rejectXml(
      `${o.label} has unknown elements: ${listed}. Rename or remove them; see docs/file-format.md.`,
      {
        elements: unknown.slice(0, 10),
      },
    );
  }
  for (const [name, value] of entries) {
    if (name === '#text') return rejectXml(`${o.label} holds text between its elements.`);
    const count = Array.isArray(value) ? value.length : 0;
    if (count !== 1) return rejectXml(`${o.label} has <${name}> ${count} times; keep one.`);
    const child = o.lists?.[name];
    const text = leafText(value);
    if (text !== null) fields.set(name, text);
    else if (child === undefined) return rejectXml(`${o.label}: <${name}> must hold text, not elements.`);
    else {
      const list = readList({ value: (value as unknown[])[0], child, label: `${o.label} <${name}>` });
      if (!list.ok) return list;
      fields.set(name, list.value);
    }
  }
  return ok(fields);
};

const readList = (o: { value: unknown; child: string; label: string }): Result<string[], AppError> => {
  if (typeof o.value !== 'object' || o.value === null) return ok([]);
  const names: string[] = [];
  for (const [name, value] of Object.entries(o.value)) {
    if (name !== o.child || !Array.isArray(value)) {
      return rejectXml(
        `${o.label} may only contain <${o.child}> elements; found ${name === '#text' ? 'text' : `<${excerpt(name)}>`}.`,
      );
    }
    for (const entry of value as unknown[]) {
      if (typeof entry !== 'string') return rejectXml(`${o.label}: each <${o.child}> must hold text only.`);
      names.push(decodeEntities(entry));
    }
  }
  return ok(names);
};

const employeeElements: ReadonlySet<string> = new Set<string>(employeeColumns);

/**
 * Parses a decoded XML employee file. An element used by any employee is managed for all (an
 * employee without it gets it cleared), and the required ones always are, so core/validate flags
 * an employee who lacks them. Structural problems reject the whole file.
 */
export const parseXmlEmployees = (text: string): Result<EmployeeFile, AppError> => {
  const items = readXmlItems(text, { root: 'employees', item: 'employee' });
  if (!items.ok) return items;
  const records: { values: EmployeeValues; label: string }[] = [];
  const columns = new Set<EmployeeColumn>(requiredColumns);
  for (const [index, node] of items.value.entries()) {
    const label = `employee #${index + 1}`;
    const fields = readFields(node, { allowed: employeeElements, lists: { groups: 'group' }, label });
    if (!fields.ok) return fields;
    const values: { -readonly [K in EmployeeColumn]?: EmployeeValues[K] } = {};
    for (const [name, value] of fields.value) {
      if (!isEmployeeColumn(name)) continue;
      columns.add(name);
      if (name === 'groups') values.groups = value;
      else if (typeof value === 'string') values[name] = value;
      else return rejectXml(`${label}: <${name}> must hold text, not elements.`);
    }
    records.push({ values, label });
  }
  const people: SourcePerson[] = [];
  const issues: RecordIssue[] = [];
  for (const { values, label } of records) {
    const id = values.employee_id?.trim() ?? '';
    const ref = id === '' ? label : `${label} (id ${excerpt(id)})`;
    const outcome = mapEmployee({ values, columns, ref });
    if (outcome.ok) people.push(outcome.person);
    else issues.push(outcome.issue);
  }
  // Root only: no column is in use, so nothing but the status is managed (the guard then blocks).
  const managed = records.length === 0 ? [] : columns;
  return ok({
    format: 'xml',
    people,
    managedFields: managedFieldsFor(managed),
    rows: records.length,
    issues,
  });
};
