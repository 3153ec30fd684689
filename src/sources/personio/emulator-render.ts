// Renders the emulator's HrPerson records as Personio v1 employees (attribute envelope, nested objects).
import type { HrPerson } from '../_shared/index.js';
import type { PersonioAttribute, PersonioEmployee, PersonioStatus } from './map.js';

/** Every attribute the emulator can render; an API credential whitelists a subset. */
export const personioRenderedAttributes = [
  'id',
  'first_name',
  'last_name',
  'preferred_name',
  'email',
  'gender',
  'status',
  'position',
  'supervisor',
  'employment_type',
  'weekly_working_hours',
  'hire_date',
  'contract_end_date',
  'termination_date',
  'termination_type',
  'termination_reason',
  'probation_period_end',
  'created_at',
  'last_modified_at',
  'subcompany',
  'office',
  'department',
  'cost_centers',
  'team',
  'last_working_day',
  'dynamic_1146666',
] as const;

const labels: Readonly<Record<string, string>> = {
  id: 'ID',
  first_name: 'First name',
  last_name: 'Last name',
  preferred_name: 'Name (preferred)',
  email: 'Email',
  gender: 'Gender',
  status: 'Status',
  position: 'Position',
  supervisor: 'Supervisor',
  employment_type: 'Employment type',
  weekly_working_hours: 'Weekly hours',
  hire_date: 'Hire date',
  contract_end_date: 'Contract ends',
  termination_date: 'Termination date',
  termination_type: 'Termination type',
  termination_reason: 'Termination reason',
  probation_period_end: 'Probation period end',
  created_at: 'created_at',
  last_modified_at: 'Last modified',
  subcompany: 'Subcompany',
  office: 'Office',
  department: 'Department',
  cost_centers: 'Cost center',
  team: 'Team',
  last_working_day: 'Last day of work',
  dynamic_1146666: 'Birthday',
};

const dateKeys = new Set([
  'hire_date',
  'contract_end_date',
  'termination_date',
  'probation_period_end',
  'created_at',
  'last_modified_at',
  'last_working_day',
  'dynamic_1146666',
]);

/** `{label, value, type, universal_id}`; custom (`dynamic_*`) attributes have a null universal id. */
const attribute = (key: string, value: unknown): PersonioAttribute => ({
  label: labels[key] ?? key,
  value,
  type: key === 'id' ? 'integer' : dateKeys.has(key) ? 'date' : 'standard',
  universal_id: key.startsWith('dynamic_') ? null : key,
});

/** Stable numeric ids for named objects (departments, offices, teams), as Personio has. */
const objectId = (name: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return 100_000 + (h % 900_000);
};

const named = (type: string, name: string | undefined): unknown =>
  name === undefined || name === '' ? null : { type, attributes: { id: objectId(`${type}:${name}`), name } };

const offsetCache = new Map<string, string>();
const berlin = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' });

/** Personio writes dates as local midnight in the company's zone: `2014-11-09T00:00:00+01:00`. */
export const personioDate = (iso: string | null): string | null => {
  if (iso === null || iso === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  let offset = offsetCache.get(iso);
  if (offset === undefined) {
    const instant = new Date(`${iso}T12:00:00Z`);
    const zone = Number.isNaN(instant.getTime())
      ? undefined
      : berlin.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value;
    offset = zone === undefined || zone === 'GMT' ? '+00:00' : zone.replace('GMT', '');
    offsetCache.set(iso, offset);
  }
  return `${iso}T00:00:00${offset}`;
};

/**
 * Personio's four statuses from an HrPerson: inactive as stored; active people hired after `today`
 * are `onboarding`; a stable ~2% of the others are on `leave` (still employed).
 */
export const personioStatus = (p: HrPerson, today: string): PersonioStatus => {
  if (p.status === 'inactive') return 'inactive';
  if (p.firstHiredOn > today) return 'onboarding';
  return Number(p.id) % 47 === 0 ? 'leave' : 'active';
};

const supervisorOf = (p: HrPerson, byId: ReadonlyMap<string, HrPerson>): unknown => {
  if (p.managerId === null) return null;
  const boss = byId.get(p.managerId);
  const attributes: Record<string, PersonioAttribute> = { id: attribute('id', Number(p.managerId)) };
  if (boss !== undefined) {
    attributes['first_name'] = attribute('first_name', boss.firstName);
    attributes['last_name'] = attribute('last_name', boss.lastName);
    attributes['email'] = attribute('email', boss.email);
  }
  return { type: 'Employee', attributes };
};

/** What rendering needs besides the person: the roster by id, today, and the attributes to show. */
export interface RenderContext {
  readonly byId: ReadonlyMap<string, HrPerson>;
  readonly today: string;
  readonly keys: ReadonlySet<string>;
}

/** One HrPerson as a Personio employee, restricted to `keys` (the credential's whitelist/projection). */
export function renderEmployee(p: HrPerson, r: RenderContext): PersonioEmployee {
  const leaving = personioDate(p.leavingDate);
  const values: Record<string, () => unknown> = {
    id: () => Number(p.id),
    first_name: () => p.firstName,
    last_name: () => p.lastName,
    preferred_name: () => `${p.firstName} ${p.lastName}`,
    email: () => p.email,
    gender: () => p.gender,
    status: () => personioStatus(p, r.today),
    position: () => p.position,
    supervisor: () => supervisorOf(p, r.byId),
    employment_type: () => (p.contractType === 'freelance' ? 'external' : 'internal'),
    weekly_working_hours: () => (p.contractType === 'intern' ? '20' : '40'),
    hire_date: () => personioDate(p.firstHiredOn),
    contract_end_date: () => (p.contractType === 'fixed-term' ? leaving : null),
    termination_date: () => leaving,
    termination_type: () => (leaving === null ? '' : 'employee'),
    termination_reason: () => (leaving === null ? '' : 'Resignation'),
    probation_period_end: () => null,
    created_at: () => personioDate(p.firstHiredOn),
    last_modified_at: () => personioDate(p.currentHiredOn),
    subcompany: () => null,
    office: () => named('Office', p.location),
    department: () => named('Department', p.department),
    cost_centers: () => [],
    team: () => named('Team', p.teams[0]),
    last_working_day: () => leaving,
    dynamic_1146666: () => personioDate(p.birthDate),
  };
  const attributes: Record<string, PersonioAttribute> = {};
  for (const key of personioRenderedAttributes) {
    const value = values[key];
    if (value !== undefined && (key === 'id' || r.keys.has(key))) attributes[key] = attribute(key, value());
  }
  return { type: 'Employee', attributes };
}
