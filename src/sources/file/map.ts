// The canonical employee columns of an upload and the pure mapping of one row (CSV) or element (XML).
import {
  managedFieldNames,
  type ManagedField,
  type PersonAttributes,
  type PersonField,
  type RecordIssue,
  type SourcePerson,
} from '../../core/model.js';

/** Column (CSV) and element (XML) names of an employee file, in documentation order. */
export const employeeColumns = [
  'employee_id',
  'email',
  'first_name',
  'last_name',
  'birth_date',
  'gender',
  'employee_number',
  'job_title',
  'department',
  'location',
  'manager_employee_id',
  'groups',
  'first_hired_on',
  'current_hired_on',
  'leaving_date',
  'phone_number',
  'contract_type',
  'status',
] as const;
export type EmployeeColumn = (typeof employeeColumns)[number];

/** A file without one of these is rejected as a whole. */
export const requiredColumns = [
  'employee_id',
  'email',
  'first_name',
  'last_name',
] as const satisfies readonly EmployeeColumn[];

/** What each column feeds: a person attribute, a relation, the status, or the source id (null). */
const columnFields: { readonly [K in EmployeeColumn]: ManagedField | null } = {
  employee_id: null,
  email: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
  birth_date: 'birthDate',
  gender: 'gender',
  employee_number: 'employeeNumber',
  job_title: 'jobTitle',
  department: 'department',
  location: 'location',
  manager_employee_id: 'manager',
  groups: 'groups',
  first_hired_on: 'firstHiredOn',
  current_hired_on: 'currentHiredOn',
  leaving_date: 'leavingDate',
  phone_number: 'phoneNumber',
  contract_type: 'contractType',
  status: 'active',
};

const columnSet: ReadonlySet<string> = new Set(employeeColumns);
export const isEmployeeColumn = (name: string): name is EmployeeColumn => columnSet.has(name);

const personFieldOf = (column: EmployeeColumn): PersonField | null => {
  const field = columnFields[column];
  return field === null || field === 'manager' || field === 'groups' || field === 'active' ? null : field;
};

/**
 * The fields an upload manages: those of the columns present, in canonical order. `active` is
 * always managed: a full roster decides who is active, status column or not.
 */
export const managedFieldsFor = (columns: Iterable<EmployeeColumn>): ManagedField[] => {
  const present = new Set<ManagedField>(['active']);
  for (const column of columns) {
    const field = columnFields[column];
    if (field !== null) present.add(field);
  }
  return managedFieldNames.filter((field) => present.has(field));
};

/** A parsed employee file: the roster, what it manages, and the rows left out. */
export interface EmployeeFile {
  readonly format: 'csv' | 'xml';
  /** Every valid row, active or not; rows with an issue of severity `error` are left out. */
  readonly people: SourcePerson[];
  readonly managedFields: ManagedField[];
  /** Data rows (CSV) or `<employee>` elements (XML) read, including those left out. */
  readonly rows: number;
  /** Per-record problems; each names the record (`line 7`, `employee #3 (id 42)`) and its source id. */
  readonly issues: RecordIssue[];
}

/** Raw values of one record; XML may give `groups` as a list of `<group>` names. */
export type EmployeeValues = {
  readonly [K in EmployeeColumn]?: K extends 'groups' ? string | readonly string[] : string;
};

export interface EmployeeInput {
  readonly values: EmployeeValues;
  /** Columns the file provides: a provided column without a value means "empty" (null). */
  readonly columns: ReadonlySet<EmployeeColumn>;
  /** Human locator for messages: `line 7`, `employee #3 (id 42)`. */
  readonly ref: string;
}

export type EmployeeOutcome =
  { readonly ok: true; readonly person: SourcePerson } | { readonly ok: false; readonly issue: RecordIssue };

/** Values echoed in messages are cut short: a hostile file must not blow up an error report. */
export const excerpt = (value: string, max = 40): string =>
  value.length > max ? `${value.slice(0, max)}…` : value;

/** Levenshtein distance, for "did you mean" on short column names only. */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};

/** A name that is not a column, quoted and shortened, with the nearest column name as a hint. */
export const describeUnknown = (name: string): string => {
  const guess = name.length <= 40 ? employeeColumns.find((column) => distance(name, column) <= 2) : undefined;
  return guess === undefined ? `'${excerpt(name)}'` : `'${excerpt(name)}' (did you mean '${guess}'?)`;
};

const textOf = (value: string | readonly string[] | undefined): string | null => {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

/** `a|b` text or a `<group>` list → trimmed, non-empty names, first spelling of each name kept. */
export const splitGroups = (value: string | readonly string[] | undefined): string[] => {
  const names = typeof value === 'string' ? value.split('|') : (value ?? []);
  const seen = new Set<string>();
  const groups: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    const key = name.toLowerCase();
    if (name === '' || seen.has(key)) continue;
    seen.add(key);
    groups.push(name);
  }
  return groups;
};

const statusIssue = (o: { ref: string; sourceId: string | null; email: string | null; value: string }) => {
  const who = o.email === null ? 'its user' : `the user ${excerpt(o.email, 80)}`;
  const issue: RecordIssue = {
    severity: 'error',
    code: 'invalid_value',
    record: o.ref,
    sourceId: o.sourceId,
    field: 'status',
    message: `${o.ref}: status '${excerpt(o.value)}' is not valid; use active or inactive (empty means active). The row was left out of this sync and ${who} is kept as is; fix the status in the HR system and upload the file again.`,
  };
  return issue;
};

/**
 * Maps one record to a `SourcePerson`: trimmed values, empty → null, only the provided columns.
 * A status other than active/inactive leaves the record out with an `invalid_value` issue that
 * still carries its source id, so the planner holds the user instead of treating her as a leaver.
 * Emails, names and dates are checked later by core/validate.
 */
export const mapEmployee = ({ values, columns, ref }: EmployeeInput): EmployeeOutcome => {
  const sourceId = textOf(values.employee_id);
  const status = textOf(values.status);
  const lowered = status?.toLowerCase() ?? 'active';
  if (lowered !== 'active' && lowered !== 'inactive') {
    return {
      ok: false,
      issue: statusIssue({ ref, sourceId, email: textOf(values.email), value: status ?? '' }),
    };
  }
  const attributes: { -readonly [K in PersonField]?: PersonAttributes[K] } = {};
  for (const column of columns) {
    const field = personFieldOf(column);
    if (field !== null) attributes[field] = textOf(values[column]);
  }
  const person: SourcePerson = {
    // An empty id is passed on: core/validate reports it as a missing field of this record.
    sourceId: sourceId ?? '',
    ref,
    attributes,
    active: lowered === 'active',
    ...(columns.has('manager_employee_id') ? { managerSourceId: textOf(values.manager_employee_id) } : {}),
    ...(columns.has('groups') ? { groups: splitGroups(values.groups) } : {}),
  };
  return { ok: true, person };
};
