/** guard: stops a full run that would remove too many users (or that read an empty roster) until an admin confirms. */
import type { DirectoryUser, GuardPolicy, GuardVerdict, Plan, SyncMode } from './model.js';

export interface GuardOptions {
  readonly mode: SyncMode;
  readonly policy: GuardPolicy;
  /** Active users linked to the integration before the run (see `countActiveLinked`). */
  readonly activeLinked: number;
}

/** Active users linked to an integration: the base the guard's threshold applies to. */
export const countActiveLinked = (users: readonly DirectoryUser[], integrationId: string): number =>
  users.filter((u) => u.active && u.integrationId === integrationId).length;

/** Deactivations, plus deletions of users that were active (a deleted inactive user loses nothing). */
export const countLeavers = (plan: Plan): number =>
  plan.users.filter(
    (u) =>
      u.action === 'deactivate' ||
      (u.action === 'delete' && u.changes.some((c) => c.field === 'active' && c.before === 'true')),
  ).length;

// Plans built by hand may lack `roster`: then the users the roster speaks for stand in for it.
const validRoster = (plan: Plan): number =>
  plan.roster?.valid ?? plan.users.filter((u) => u.reason !== 'missing').length;

const percent = (part: number, whole: number): string =>
  `${whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10}%`;

/**
 * Judges a plan before apply. Partial runs are never blocked. A full run is blocked when its valid
 * roster is empty while users are linked, or when leavers exceed `threshold × activeLinked`
 * (strictly: with 0.2, 25% blocks, 20% and 15% pass).
 *
 * @example
 * const verdict = guard(plan, { mode: 'full', policy: { threshold: 0.1 }, activeLinked: 200 });
 * if (verdict.blocked) console.log(verdict.message);
 */
export const guard = (plan: Plan, options: GuardOptions): GuardVerdict => {
  if (options.mode === 'partial') return { blocked: false };
  const { activeLinked } = options;
  const threshold = options.policy.threshold;
  const leavers = countLeavers(plan);
  const numbers = { leavers, activeLinked, threshold };
  if (validRoster(plan) === 0 && activeLinked > 0) {
    return {
      blocked: true,
      reason: 'empty_roster',
      ...numbers,
      message:
        `The HR system returned no valid employee while ${activeLinked} active users are linked to it, ` +
        `so this sync would remove ${leavers} of them. Nothing was changed. Check the source ` +
        '(credentials, filters, the exported file) and sync again, or confirm the run if everyone really left.',
    };
  }
  // The epsilon keeps "exactly at the threshold" passing despite floating-point products (0.57 × 100).
  if (leavers - threshold * activeLinked > 1e-9) {
    return {
      blocked: true,
      reason: 'threshold',
      ...numbers,
      message:
        `This sync would deactivate or delete ${leavers} of ${activeLinked} active linked users ` +
        `(${percent(leavers, activeLinked)}), more than the ${percent(threshold, 1)} threshold. Nothing was changed. ` +
        'Check the source for a missing or incomplete export and sync again, or confirm the run to apply it.',
    };
  }
  return { blocked: false };
};
