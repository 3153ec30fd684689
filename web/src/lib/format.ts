/** Pure formatting for the UI: field labels, dates in the company's time zone, run and change wording. */
import type {
  AuditView,
  FieldChange,
  PersonAttributes,
  PlanCounts,
  RunStatus,
  RunTrigger,
} from '../api/types.js';

export type PersonField = keyof PersonAttributes;

/** The person attributes in display order (the same set as the server's `personFields`). */
export const personFieldOrder = [
  'firstName',
  'lastName',
  'email',
  'gender',
  'birthDate',
  'employeeNumber',
  'jobTitle',
  'department',
  'location',
  'phoneNumber',
  'contractType',
  'firstHiredOn',
  'currentHiredOn',
  'leavingDate',
] as const satisfies readonly PersonField[];

// Compile-time check that no attribute is missing from the list above.
type MissingField = Exclude<PersonField, (typeof personFieldOrder)[number]>;
const _complete: MissingField extends never ? true : false = true;
void _complete;

export const dateFieldSet: ReadonlySet<string> = new Set([
  'birthDate',
  'firstHiredOn',
  'currentHiredOn',
  'leavingDate',
]);

const labels: Readonly<Record<string, string>> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  birthDate: 'Birth date',
  gender: 'Gender',
  employeeNumber: 'Employee number',
  jobTitle: 'Job title',
  department: 'Department',
  location: 'Office location',
  phoneNumber: 'Phone number',
  contractType: 'Contract type',
  firstHiredOn: 'First hired on',
  currentHiredOn: 'Current hired on',
  leavingDate: 'Leaving date',
  manager: 'Manager',
  groups: 'Groups',
  active: 'Active',
  link: 'Source link',
};

/** "jobTitle" → "Job title"; unknown keys are shown as they are. */
export const fieldLabel = (field: string): string => labels[field] ?? field;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * An ISO timestamp as `2026-11-23 06:00` in the given IANA time zone (the company's), or the browser's
 * zone when none is given or the zone is unknown. Null and unparsable values give an em dash.
 */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const parts = (zone: string | undefined): Intl.DateTimeFormatPart[] =>
    new Intl.DateTimeFormat('en-GB', {
      ...(zone ? { timeZone: zone } : {}),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(date);
  let p: Intl.DateTimeFormatPart[];
  try {
    p = parts(timeZone);
  } catch {
    p = parts(undefined);
  }
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(p.find((x) => x.type === type)?.value ?? 0);
  return `${get('year')}-${pad(get('month'))}-${pad(get('day'))} ${pad(get('hour'))}:${pad(get('minute'))}`;
}

/** How long a run took: `4 s`, `2 min 5 s`, or `—` while it runs. */
export function formatDuration(startedAt: string, finishedAt: string | null): string {
  if (finishedAt === null) return '—';
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export const runStatusLabels: Readonly<Record<RunStatus, string>> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Applied with errors',
  failed: 'Failed',
  blocked: 'Blocked: needs confirmation',
  dry_run: 'Preview, not applied',
  interrupted: 'Interrupted',
  cancelled: 'Cancelled',
};

export const runTriggerLabels: Readonly<Record<RunTrigger, string>> = {
  schedule: 'daily schedule',
  manual: 'Sync now',
  connect: 'connect',
  webhook: 'webhook',
  upload: 'file upload',
  confirm: 'confirmation',
  cli: 'command line',
};

/** `12 created, 3 updated, 1 deactivated`: only the non-zero counts; `no changes` when all are zero. */
export function countsSummary(c: PlanCounts): string {
  const parts: [number, string][] = [
    [c.created, 'created'],
    [c.updated, 'updated'],
    [c.deactivated, 'deactivated'],
    [c.reactivated, 'reactivated'],
    [c.deleted, 'deleted'],
    [c.errors, c.errors === 1 ? 'error' : 'errors'],
    [c.warnings, c.warnings === 1 ? 'warning' : 'warnings'],
  ];
  const text = parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`);
  return text.length === 0 ? 'no changes' : text.join(', ');
}

const shown = (value: string | null): string => (value === null || value === '' ? '(empty)' : value);

/** `Job title: Sales → Marketing`. Manager changes carry user ids, so the caller may pass a name lookup. */
export function changeText(change: FieldChange, nameOf?: (userId: string) => string | undefined): string {
  const value = (v: string | null): string =>
    change.field === 'manager' && v !== null
      ? (nameOf?.(v) ?? v)
      : change.field === 'active'
        ? activeText(v)
        : shown(v);
  return `${fieldLabel(change.field)}: ${value(change.before)} → ${value(change.after)}`;
}

const activeText = (v: string | null): string =>
  v === 'true' ? 'active' : v === 'false' ? 'inactive' : shown(v);

/**
 * Who made an audited change, in words: `the KiwiHR sync of 2026-11-23 06:00`, `admin jane@acme.com`,
 * `API key "nightly"`, `the command line`.
 */
export function actorText(o: { entry: AuditView; providerTitle?: string; timeZone?: string }): string {
  const { entry } = o;
  if (entry.run) {
    const what = o.providerTitle ? `the ${o.providerTitle} sync` : 'the sync';
    return `${what} of ${formatDateTime(entry.run.startedAt, o.timeZone)}`;
  }
  if (entry.actor.startsWith('admin:')) return `admin ${entry.actor.slice('admin:'.length)}`;
  if (entry.actor.startsWith('api:')) return `API key "${entry.actor.slice('api:'.length)}"`;
  if (entry.actor === 'cli') return 'the command line';
  if (entry.actor === 'run') return 'a sync';
  return entry.actor;
}

/** A person's display name from the parts the API gives, falling back to the email. */
export function personName(p: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}): string {
  const name = [p.firstName, p.lastName].filter((x) => x !== null && x !== '').join(' ');
  return name !== '' ? name : (p.email ?? '(no name)');
}

/** A cron of the form `M H * * *` as `HH:MM`, else null (a custom schedule). */
export function dailyTimeOf(cron: string): string | null {
  const m = /^(\d{1,2})\s+(\d{1,2})\s+\*\s+\*\s+\*$/.exec(cron.trim());
  if (!m) return null;
  const minute = Number(m[1]);
  const hour = Number(m[2]);
  if (minute > 59 || hour > 23) return null;
  return `${pad(hour)}:${pad(minute)}`;
}

/** `HH:MM` → `M H * * *` (every day at that time), or null when not a valid time. */
export function cronOfDailyTime(time: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return null;
  return `${minute} ${hour} * * *`;
}
