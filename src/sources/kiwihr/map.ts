/** KiwiHR GraphQL `User` → SourcePerson. Pure: no I/O, no clock (core applies the past-end-date rule). */
import type { PersonField, SourcePerson } from '../../core/model.js';

/** A named KiwiHR object as the API nests it (`position { name }`, `teams { name }`). */
export interface KiwihrNamed {
  readonly id?: string | number | null;
  readonly name?: string | null;
}

/** One item of `users { items { ... } }`, as the connector's query selects it. */
export interface KiwihrUser {
  readonly id: string | number;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly email?: string | null;
  readonly birthDate?: string | null;
  readonly employeeNumber?: string | number | null;
  readonly employmentStartDate?: string | null;
  /** The contract end date; in the past → the person has left (rule applied by core). */
  readonly employmentEndDate?: string | null;
  /** false when the user was deactivated in KiwiHR. */
  readonly isActive?: boolean | null;
  readonly position?: KiwihrNamed | null;
  readonly teams?: readonly (KiwihrNamed | null)[] | null;
  readonly manager?: { readonly id?: string | number | null } | null;
}

const text = (value: string | number | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;

/**
 * KiwiHR's `Date` scalar is `YYYY-MM-DD`; a date-time (`2024-03-01T00:00:00Z`) keeps its date part.
 * Anything else is returned as given so core/validate reports it instead of us guessing.
 */
export function kiwihrDate(value: string | null | undefined): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const m = ISO_DATE.exec(raw);
  if (m === null) return raw;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const valid = date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1;
  return valid && date.getUTCDate() === Number(d) ? `${y}-${mo}-${d}` : raw;
}

/** Team names in KiwiHR order, trimmed, empty and repeated names dropped. */
const teamNames = (teams: KiwihrUser['teams']): string[] => {
  const names: string[] = [];
  for (const team of teams ?? []) {
    const name = text(team?.name);
    if (name !== null && !names.includes(name)) names.push(name);
  }
  return names;
};

/**
 * Maps one KiwiHR user. `active` is KiwiHR's `isActive` (only an explicit `false` deactivates:
 * a missing flag must not turn a whole roster inactive); the contract end date goes to `leavingDate`.
 *
 * @example
 * mapKiwihrUser({ id: 42, firstName: 'Jane', isActive: true, teams: [{ name: 'Sales' }] })
 * // { sourceId: '42', ref: 'user 42', active: true, groups: ['Sales'], ... }
 */
export function mapKiwihrUser(raw: KiwihrUser): SourcePerson {
  const sourceId = String(raw.id).trim();
  const attributes: Partial<Record<PersonField, string | null>> = {
    firstName: text(raw.firstName),
    lastName: text(raw.lastName),
    email: text(raw.email),
    birthDate: kiwihrDate(raw.birthDate),
    employeeNumber: text(raw.employeeNumber),
    jobTitle: text(raw.position?.name),
    currentHiredOn: kiwihrDate(raw.employmentStartDate),
    leavingDate: kiwihrDate(raw.employmentEndDate),
  };
  return {
    sourceId,
    ref: `user ${sourceId}`,
    attributes,
    active: raw.isActive !== false,
    managerSourceId: text(raw.manager?.id),
    groups: teamNames(raw.teams),
  };
}
