/** Tenant settings: schedule (cron in the tenant's time zone), leaver policy, guard threshold, recipients. */
import { Cron } from 'croner';
import { AppError } from '../core/errors.js';
import { isPlausibleEmail } from '../core/index.js';
import type { LeaverPolicy } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import type { Tenant, TenantSettings } from '../store/types.js';
import type { EngineDeps } from './deps.js';
import { isValidTimeZone } from './tenants.js';

/** Scheduled syncs closer together than this would hammer the HR system's rate limits. */
export const MIN_SYNC_INTERVAL_MS = 15 * 60_000;
const MAX_RECIPIENTS = 50;

/** What an admin may change; every key optional, `null` clears the technical user. */
export interface SettingsPatch {
  readonly timezone?: string;
  readonly syncCron?: string;
  readonly leaverPolicy?: LeaverPolicy;
  readonly deletionThreshold?: number;
  readonly allowManualUsers?: boolean;
  readonly technicalUserEmail?: string | null;
  readonly notificationRecipients?: readonly string[];
}

const invalid = (field: string, message: string): AppError =>
  new AppError('invalid_input', message, { details: { field } });

/**
 * Checks a sync schedule: five cron fields (minute hour day month weekday) that croner accepts, read in
 * `timezone`, firing at most every 15 minutes.
 */
export function validateSyncCron(expr: string, timezone: string): Result<string, AppError> {
  const trimmed = expr.trim().replace(/\s+/g, ' ');
  if (trimmed.split(' ').length !== 5) {
    return err(
      invalid(
        'syncCron',
        `'${expr}' is not a five-field cron expression (minute hour day month weekday), e.g. '0 6 * * *' for 06:00 daily.`,
      ),
    );
  }
  let runs: Date[];
  try {
    runs = new Cron(trimmed, { timezone, paused: true }).nextRuns(4);
  } catch (cause) {
    const why =
      cause instanceof Error ? cause.message.replace(/^CronPattern: /, '') : 'not a cron expression';
    return err(
      invalid('syncCron', `'${expr}' is not a valid schedule (${why}); e.g. '0 6 * * *' for 06:00 daily.`),
    );
  }
  if (runs.length === 0)
    return err(invalid('syncCron', `'${expr}' never fires: choose a recurring schedule.`));
  for (let i = 1; i < runs.length; i += 1) {
    const gap = (runs[i]?.getTime() ?? 0) - (runs[i - 1]?.getTime() ?? 0);
    if (gap < MIN_SYNC_INTERVAL_MS) {
      return err(
        invalid(
          'syncCron',
          `'${expr}' fires more often than every 15 minutes; syncs that often are refused.`,
        ),
      );
    }
  }
  return ok(trimmed);
}

/** When the tenant's schedule fires next after `now` (ISO), or null when it never does. */
export function nextScheduledRun(
  settings: Pick<TenantSettings, 'syncCron' | 'timezone'>,
  now: Date,
): string | null {
  try {
    return (
      new Cron(settings.syncCron, { timezone: settings.timezone, paused: true })
        .nextRun(now)
        ?.toISOString() ?? null
    );
  } catch {
    return null;
  }
}

function checkEmails(field: string, emails: readonly string[]): Result<string[], AppError> {
  const cleaned = [...new Set(emails.map((e) => e.trim()).filter((e) => e !== ''))];
  const bad = cleaned.filter((e) => !isPlausibleEmail(e));
  if (bad.length > 0) {
    return err(
      invalid(
        field,
        `${bad.map((e) => `'${e}'`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not an email address.`,
      ),
    );
  }
  if (cleaned.length > MAX_RECIPIENTS) return err(invalid(field, `At most ${MAX_RECIPIENTS} recipients.`));
  return ok(cleaned);
}

/** Validates and saves a settings change; the schedule is checked in the (new) time zone. */
export async function updateSettings(
  deps: EngineDeps,
  o: { tenantId: string; patch: SettingsPatch },
): Promise<Result<Tenant, AppError>> {
  const tenant = await deps.store.tenants.get(o.tenantId);
  if (!tenant) return err(new AppError('not_found', `No tenant ${o.tenantId}.`));
  const p = o.patch;
  if (p.timezone !== undefined && !isValidTimeZone(p.timezone)) {
    return err(
      invalid('timezone', `'${p.timezone}' is not an IANA time zone; use a name such as Europe/Berlin.`),
    );
  }
  const timezone = p.timezone ?? tenant.timezone;
  const cron = validateSyncCron(p.syncCron ?? tenant.syncCron, timezone);
  if (!cron.ok) return cron;
  if (p.deletionThreshold !== undefined && !(p.deletionThreshold >= 0 && p.deletionThreshold <= 1)) {
    return err(
      invalid(
        'deletionThreshold',
        'The mass-change threshold is a fraction from 0 to 1 (0.1 = 10% of active users).',
      ),
    );
  }
  let technicalUserEmail: string | null | undefined = p.technicalUserEmail;
  if (typeof technicalUserEmail === 'string') {
    const checked = checkEmails('technicalUserEmail', [technicalUserEmail]);
    if (!checked.ok) return checked;
    technicalUserEmail = checked.value[0] ?? null;
  }
  let recipients: string[] | undefined;
  if (p.notificationRecipients !== undefined) {
    const checked = checkEmails('notificationRecipients', p.notificationRecipients);
    if (!checked.ok) return checked;
    recipients = checked.value;
  }
  return ok(
    await deps.store.tenants.update(tenant.id, {
      ...(p.timezone === undefined ? {} : { timezone: p.timezone }),
      ...(p.syncCron === undefined ? {} : { syncCron: cron.value }),
      ...(p.leaverPolicy === undefined ? {} : { leaverPolicy: p.leaverPolicy }),
      ...(p.deletionThreshold === undefined ? {} : { deletionThreshold: p.deletionThreshold }),
      ...(p.allowManualUsers === undefined ? {} : { allowManualUsers: p.allowManualUsers }),
      ...(technicalUserEmail === undefined ? {} : { technicalUserEmail }),
      ...(recipients === undefined ? {} : { notificationRecipients: recipients }),
    }),
  );
}
