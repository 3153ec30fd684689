// Pure mapping: one Personio v1 employee (attribute envelope) → SourcePerson.
import type { PersonAttributes, SourcePerson } from '../../core/model.js';

/** One attribute as `GET /v1/company/employees` returns it: `{label, value, type, universal_id}`. */
export interface PersonioAttribute {
  readonly label?: string;
  readonly value: unknown;
  readonly type?: string;
  readonly universal_id?: string | null;
  readonly currency?: string;
}

/** One element of the list's `data` array. Only whitelisted attributes are present. */
export interface PersonioEmployee {
  readonly type: 'Employee';
  readonly attributes: Readonly<Record<string, PersonioAttribute | undefined>>;
}

/** Personio's employee status values (onboarding: hired, not started yet; leave: absent, still employed). */
export const personioStatuses = ['active', 'inactive', 'onboarding', 'leave'] as const;
export type PersonioStatus = (typeof personioStatuses)[number];

/**
 * Personio attribute keys behind each managed field: the attributes an admin must whitelist on the
 * API credential (the check reports missing ones). `id` is always returned.
 */
export const personioAttributeKeys = {
  id: 'id',
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  gender: 'gender',
  department: 'department',
  jobTitle: 'position',
  firstHiredOn: 'hire_date',
  leavingDate: 'termination_date',
  status: 'status',
  supervisor: 'supervisor',
} as const;

/** Personio's gender keys are English; German spellings appear in hand-made exports, so accept both. */
const genderAliases: Readonly<Record<string, string>> = {
  female: 'female',
  weiblich: 'female',
  male: 'male',
  männlich: 'male',
  maennlich: 'male',
  diverse: 'diverse',
  divers: 'diverse',
  undefined: 'undefined',
  unbestimmt: 'undefined',
  'keine angabe': 'undefined',
};

/** Only `inactive` means the person has left; `onboarding` (pre-hire) and `leave` stay active. */
const inactiveStatuses: ReadonlySet<string> = new Set(['inactive']);

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A scalar attribute value as a trimmed string; `null` when empty or not a scalar. */
const text = (value: unknown): string | null => {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
};

/** `{type, attributes: {id, name}}` objects (department, office, team) and plain strings alike. */
const namedObject = (value: unknown): string | null => {
  if (isRecord(value) && isRecord(value.attributes)) return text(value.attributes.name);
  return text(value);
};

const isCalendarDate = (year: number, month: number, day: number): boolean => {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
};

/**
 * Personio dates come as `2014-11-09T00:00:00+01:00`, `2012-02-01T00:00:00+0100` or `2021-01-01`.
 * The calendar date is the part before the time: converting to UTC would move a midnight `+01:00`
 * date to the previous day. `09.11.2014` (German exports) is accepted too. Anything else is returned
 * as is so that core/validate reports it.
 */
export const toIsoDate = (value: unknown): string | null => {
  const raw = text(value);
  if (raw === null) return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(raw);
  const german = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(raw);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : german
      ? [german[3], german[2], german[1]]
      : [undefined, undefined, undefined];
  if (year === undefined || month === undefined || day === undefined) return raw;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return raw;
  return `${year}-${month}-${day}`;
};

/** Gender keys lowercased onto `female|male|diverse|undefined`; unknown values pass through lowercased. */
export const toGender = (value: unknown): string | null => {
  const raw = text(value);
  if (raw === null) return null;
  const lower = raw.toLowerCase();
  return genderAliases[lower] ?? lower;
};

/** The nested supervisor (`{type: 'Employee', attributes: {id: {value}}}`) → its employee id. */
export const supervisorId = (value: unknown): string | null => {
  if (!isRecord(value) || !isRecord(value.attributes)) return null;
  const id = value.attributes.id;
  return text(isRecord(id) ? id.value : id);
};

/** The employee id (`attributes.id.value`, an integer) as a string; '' when absent (client rejects that). */
export const employeeId = (raw: PersonioEmployee): string => {
  const id: unknown = raw.attributes.id;
  return text(isRecord(id) ? id.value : null) ?? '';
};

/**
 * Maps one employee. An attribute missing from the record (not whitelisted on the API credential)
 * is left out of `attributes`, so the directory value is not blanked; a present but empty one is `null`.
 * Status: missing → active (leavers are then found by termination date and absence from the roster).
 */
export const mapPersonioEmployee = (raw: PersonioEmployee): SourcePerson => {
  const attrs = raw.attributes;
  const id = employeeId(raw);
  const attributes: Partial<Record<keyof PersonAttributes, string | null>> = {};
  const put = (
    field: keyof PersonAttributes,
    key: string,
    convert: (value: unknown) => string | null,
  ): void => {
    const attribute: unknown = attrs[key];
    if (attribute !== undefined) attributes[field] = convert(isRecord(attribute) ? attribute.value : null);
  };
  put('email', personioAttributeKeys.email, text);
  put('firstName', personioAttributeKeys.firstName, text);
  put('lastName', personioAttributeKeys.lastName, text);
  put('gender', personioAttributeKeys.gender, toGender);
  put('department', personioAttributeKeys.department, namedObject);
  put('jobTitle', personioAttributeKeys.jobTitle, namedObject);
  put('firstHiredOn', personioAttributeKeys.firstHiredOn, toIsoDate);
  put('leavingDate', personioAttributeKeys.leavingDate, toIsoDate);

  const valueOf = (key: string): unknown => {
    const attribute: unknown = attrs[key];
    return isRecord(attribute) ? attribute.value : null;
  };
  const status = text(valueOf(personioAttributeKeys.status))?.toLowerCase() ?? null;
  const hasSupervisor = attrs[personioAttributeKeys.supervisor] !== undefined;
  const person: SourcePerson = {
    sourceId: id,
    ref: `employee ${id === '' ? '(no id)' : id}`,
    attributes,
    active: status === null || !inactiveStatuses.has(status),
  };
  return hasSupervisor
    ? { ...person, managerSourceId: supervisorId(valueOf(personioAttributeKeys.supervisor)) }
    : person;
};
