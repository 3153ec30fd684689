// People HR employee object → SourcePerson. Pure: no clock, no I/O; core validates what comes out.
import type { PersonAttributes, SourcePerson } from '../../core/model.js';

/**
 * One element of `Result` in GetAllEmployeeDetail / GetEmployeeDetailById. Most fields are wrapped
 * (`{"DisplayValue": "...", "FieldHistory": [...]}`), a few are plain strings (`LeavingDate`).
 */
export type PeopleHrEmployee = Readonly<Record<string, unknown>>;

/** `EmployeeStatus` values read as "not employed any more" (inferred: People HR does not document them). */
const inactiveStatuses = new Set(['0', 'inactive', 'leaver', 'left', 'terminated', 'false']);

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** .NET's `DateTime.MinValue` (and its 1900 cousin) stand for "no date", never for a real leaving date. */
const emptyDate = /^(?:0001-01-01|1900-01-01)(?:[T ]|$)/;

const lookup = (raw: PeopleHrEmployee, key: string): unknown => {
  if (key in raw) return raw[key];
  // Clients disagree on casing (IsError/isError); fields may too, so fall back to a case-insensitive match.
  const lower = key.toLowerCase();
  for (const k of Object.keys(raw)) if (k.toLowerCase() === lower) return raw[k];
  return undefined;
};

/** The display string of a field: `{DisplayValue}` unwrapped, plain strings and numbers as-is, trimmed. */
export const fieldText = (raw: PeopleHrEmployee, key: string): string | null => {
  let value = lookup(raw, key);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    value = lookup(value as PeopleHrEmployee, 'DisplayValue');
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

/** The employee's People HR id (`EmployeeId.DisplayValue`), or null when the record has none. */
export const peopleHrEmployeeId = (raw: PeopleHrEmployee): string | null => fieldText(raw, 'EmployeeId');

const isoIfValid = (year: number, month: number, day: number): string | null => {
  if (month < 1 || month > 12 || day < 1 || year < 1000) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return date.toISOString().slice(0, 10);
};

/**
 * A People HR date as ISO `YYYY-MM-DD`. The API sends `2014-01-01`; UK display formats
 * (`01/02/2014` = 1 Feb), `01 Feb 2014` and .NET `/Date(ms)/` are accepted too. Anything else is
 * returned unchanged so core/validate reports it; empty and `0001-01-01` become null.
 */
export const toIsoDate = (text: string | null): string | null => {
  if (text === null || emptyDate.test(text)) return null;
  let iso: string | null = null;
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  const ukMatch = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const namedMatch = /^(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})$/.exec(text);
  const dotnetMatch = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(text);
  if (isoMatch) {
    iso = isoIfValid(Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3]));
  } else if (ukMatch) {
    iso = isoIfValid(Number(ukMatch[3]), Number(ukMatch[2]), Number(ukMatch[1]));
  } else if (namedMatch) {
    const month = months.indexOf((namedMatch[2] ?? '').slice(0, 3).toLowerCase()) + 1;
    iso = month === 0 ? null : isoIfValid(Number(namedMatch[3]), month, Number(namedMatch[1]));
  } else if (dotnetMatch) {
    const date = new Date(Number(dotnetMatch[1]));
    iso = Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
  }
  return iso ?? text;
};

const isActive = (raw: PeopleHrEmployee): boolean => {
  const status = fieldText(raw, 'EmployeeStatus');
  // Unknown or missing status counts as employed: a leaver still carries a LeavingDate, which core checks.
  return status === null || !inactiveStatuses.has(status.toLowerCase());
};

/**
 * Maps one People HR employee to the canonical person: the seed's fields only (first name, last
 * name, email, manager, start date, department, job role, location, leaving date).
 *
 * @example
 * mapPeopleHrEmployee({ EmployeeId: { DisplayValue: 'PW6' }, FirstName: { DisplayValue: 'Ann' }, LeavingDate: '' })
 * // → { sourceId: 'PW6', ref: 'employee PW6', active: true, attributes: { firstName: 'Ann', ... }, managerSourceId: null }
 */
export const mapPeopleHrEmployee = (raw: PeopleHrEmployee): SourcePerson => {
  const id = peopleHrEmployeeId(raw) ?? '';
  const attributes: Partial<PersonAttributes> = {
    firstName: fieldText(raw, 'FirstName'),
    lastName: fieldText(raw, 'LastName'),
    email: fieldText(raw, 'EmailId'),
    firstHiredOn: toIsoDate(fieldText(raw, 'StartDate')),
    department: fieldText(raw, 'Department'),
    jobTitle: fieldText(raw, 'JobRole'),
    location: fieldText(raw, 'Location'),
    leavingDate: toIsoDate(fieldText(raw, 'LeavingDate')),
  };
  return {
    sourceId: id,
    ref: id === '' ? 'employee without EmployeeId' : `employee ${id}`,
    attributes,
    active: isActive(raw),
    managerSourceId: fieldText(raw, 'ReportsToEmployeeId'),
  };
};
