/** Pure mapping of a joined Nmbrs employee record onto rostersync's SourcePerson. */
import type { PersonAttributes, SourcePerson } from '../../core/model.js';
import type {
  NmbrsContract,
  NmbrsEmployeeRecord,
  NmbrsEmployment,
  NmbrsFunction,
  NmbrsManager,
  NmbrsPersonalInfo,
} from './records.js';

const clean = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
};

const isoDate = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An xsd:dateTime from Nmbrs (`1990-04-01T00:00:00`) → `1990-04-01`. Empty, nil and .NET's
 * `DateTime.MinValue` (`0001-01-01…`, what ASMX sends for "no date") give null; anything else
 * unreadable is returned as is so that core/validate reports it.
 */
export function nmbrsDate(value: string | null | undefined): string | null {
  const v = clean(value);
  if (v === null) return null;
  const m = isoDate.exec(v);
  if (m === null) return v;
  const day = m[1] ?? v;
  return day.startsWith('0001-01-01') ? null : day;
}

const genders: Readonly<Record<string, string>> = {
  male: 'male',
  m: 'male',
  man: 'male',
  mannelijk: 'male',
  female: 'female',
  f: 'female',
  v: 'female',
  vrouw: 'female',
  vrouwelijk: 'female',
  woman: 'female',
  diverse: 'diverse',
  divers: 'diverse',
  x: 'diverse',
  other: 'diverse',
  'non-binary': 'diverse',
  nonbinary: 'diverse',
  undefined: 'undefined',
  unknown: 'undefined',
  onbekend: 'undefined',
  unspecified: 'undefined',
};

/** Nmbrs gender → `female | male | diverse | undefined`; other values pass through lowercased. */
export function mapGender(value: string | null | undefined): string | null {
  const v = clean(value)?.toLowerCase();
  if (v === undefined || v === null) return null;
  return genders[v] ?? v;
}

interface Dated {
  readonly StartYear: string | null;
  readonly StartPeriod: string | null;
  readonly CreationDate: string | null;
}

const periodKey = (r: Dated): number => Number(r.StartYear ?? 0) * 100 + Number(r.StartPeriod ?? 0);

/**
 * The record in force on `asOf` among period-dated records (personal info, function): the latest
 * (StartYear, StartPeriod, CreationDate) not after asOf's (year, month). Payroll periods are
 * treated as months; when every record starts later, the earliest one is taken.
 */
export function currentByPeriod<T extends Dated>(records: readonly T[], asOf: string): T | null {
  const sorted = [...records].sort(
    (a, b) => periodKey(a) - periodKey(b) || (a.CreationDate ?? '').localeCompare(b.CreationDate ?? ''),
  );
  const limit = Number(asOf.slice(0, 4)) * 100 + Number(asOf.slice(5, 7));
  const started = sorted.filter((r) => periodKey(r) <= limit);
  return started.at(-1) ?? sorted[0] ?? null;
}

/** The record in force on `asOf` among records with a StartDate (contracts, employments). */
export function currentByStartDate<T extends { readonly StartDate: string | null }>(
  records: readonly T[],
  asOf: string,
): T | null {
  const sorted = [...records].sort((a, b) =>
    (nmbrsDate(a.StartDate) ?? '').localeCompare(nmbrsDate(b.StartDate) ?? ''),
  );
  const started = sorted.filter((r) => (nmbrsDate(r.StartDate) ?? '') <= asOf);
  return started.at(-1) ?? sorted[0] ?? null;
}

/** The personal info in force for a record (also used by the client to index work e-mails). */
export const currentPersonalInfo = (record: NmbrsEmployeeRecord): NmbrsPersonalInfo | null =>
  currentByPeriod(record.PersonalInfos, record.AsOf);

const earliest = (dates: readonly (string | null)[]): string | null => {
  const valid = dates.filter((d): d is string => d !== null && isoDate.test(d)).sort();
  return valid[0] ?? null;
};

/** First hire: the earliest start (or initial start) over all employments, else the first contract. */
function firstHiredOn(
  employments: readonly NmbrsEmployment[],
  contracts: readonly NmbrsContract[],
): string | null {
  const fromEmployments = earliest(
    employments.flatMap((e) => [nmbrsDate(e.StartDate), nmbrsDate(e.InitialStartDate)]),
  );
  return fromEmployments ?? earliest(contracts.map((c) => nmbrsDate(c.StartDate)));
}

/** `Indefinite` is the one contract attribute whose meaning is public: open-ended or fixed term. */
function contractType(contract: NmbrsContract | null): string | null {
  switch (clean(contract?.Indefinite)?.toLowerCase()) {
    case 'true':
      return 'permanent';
    case 'false':
      return 'fixed-term';
    default:
      return null;
  }
}

/** Manager reference when no employee carries the manager's e-mail: reported by core as unknown. */
export const unmatchedManagerId = (manager: NmbrsManager): string =>
  `nmbrs-manager:${clean(manager.Email)?.toLowerCase() ?? clean(manager.Number) ?? clean(manager.Name) ?? 'unknown'}`;

function lastName(info: NmbrsPersonalInfo | null): string | null {
  const name = clean(info?.LastName);
  if (name === null) return null;
  // Dutch surnames keep their prefix ("van der") in a separate field; the directory wants both.
  return [clean(info?.Prefix), name].filter((p) => p !== null).join(' ');
}

const jobTitle = (fn: NmbrsFunction | null): string | null => clean(fn?.Description) ?? clean(fn?.Code);

/**
 * Maps one Nmbrs employee. Pure: the current personal info, function, contract and employment are
 * chosen by the record's `AsOf`. Nmbrs has no status flag: `active` is true and the out-of-service
 * date of the current employment becomes `leavingDate` (core deactivates once it has passed).
 */
export function mapNmbrsEmployee(record: NmbrsEmployeeRecord): SourcePerson {
  const info = currentPersonalInfo(record);
  const employment = currentByStartDate(record.Employments, record.AsOf);
  const attributes: Partial<PersonAttributes> = {
    email: clean(info?.EmailWork),
    firstName: clean(info?.FirstName),
    lastName: lastName(info),
    birthDate: nmbrsDate(info?.Birthday),
    gender: mapGender(info?.Gender),
    employeeNumber: clean(info?.EmployeeNumber) ?? clean(record.Employee.Number),
    jobTitle: jobTitle(currentByPeriod(record.Functions, record.AsOf)),
    phoneNumber: clean(info?.TelephoneWork) ?? clean(info?.TelephoneMobileWork),
    contractType: contractType(currentByStartDate(record.Contracts, record.AsOf)),
    firstHiredOn: firstHiredOn(record.Employments, record.Contracts),
    leavingDate: nmbrsDate(employment?.EndDate),
  };
  const managerSourceId =
    record.ManagerEmployeeId ?? (record.Manager === null ? null : unmatchedManagerId(record.Manager));
  return {
    sourceId: record.EmployeeId,
    ref: `employee ${record.EmployeeId}`,
    attributes,
    active: true,
    managerSourceId,
  };
}
