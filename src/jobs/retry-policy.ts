/** What a finished sync attempt means for the queue: done, retry later (with jittered backoff), or drop. */
import { isAppError, type AppError, type FailureKind } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { RunRecord } from '../store/types.js';

/** Error codes of failed runs and the failure kind they carry (the run row keeps the code, not the kind). */
const kindByCode: Readonly<Record<string, FailureKind>> = {
  source_unavailable: 'transient',
  source_auth: 'auth',
  invalid_config: 'config',
  invalid_input: 'config',
  source_bad_response: 'system',
  internal: 'system',
};

/** Kind of a failed run from its error code; unknown codes are `system` (not retried, a human looks). */
export const kindOfRun = (run: Pick<RunRecord, 'errorCode'>): FailureKind =>
  (run.errorCode !== null ? kindByCode[run.errorCode] : undefined) ?? 'system';

/**
 * - `done`: nothing more to do (applied, blocked for confirmation, or failed in a way a retry cannot fix);
 * - `retry`: try again after a backoff (`transient` source failures; `busy`: another process holds the
 *   integration's lease; `crash`: the attempt threw before the run could record it);
 * - `drop`: the job can never run (tenant or integration gone).
 */
export type Verdict =
  | { readonly action: 'done'; readonly run: RunRecord; readonly kind: FailureKind | null }
  | { readonly action: 'retry'; readonly reason: 'transient' | 'busy' | 'crash'; readonly message: string }
  | { readonly action: 'drop'; readonly message: string };

/** Decides from the failure kind alone (STYLE.md): transient → retry; auth/config/system → no retry. */
export function classifyAttempt(
  outcome: { result: Result<RunRecord, AppError> } | { thrown: unknown },
): Verdict {
  if ('thrown' in outcome) {
    const error = outcome.thrown;
    const message = isAppError(error) || error instanceof Error ? error.message : String(error);
    if (isAppError(error) && error.kind !== undefined && error.kind !== 'transient') {
      return { action: 'drop', message };
    }
    // A throw outside a run is infrastructure (database connection, process shutting down): retry.
    return { action: 'retry', reason: 'crash', message };
  }
  const { result } = outcome;
  if (!result.ok) {
    if (result.error.code === 'run_in_progress') {
      return { action: 'retry', reason: 'busy', message: result.error.message };
    }
    return { action: 'drop', message: result.error.message };
  }
  const run = result.value;
  if (run.status !== 'failed') return { action: 'done', run, kind: null };
  const kind = kindOfRun(run);
  if (kind === 'transient')
    return { action: 'retry', reason: 'transient', message: run.message ?? 'transient failure' };
  return { action: 'done', run, kind };
}

/** Backoff settings shared by both adapters. */
export interface RetrySettings {
  /** Retries after the first attempt (default 3). */
  readonly retries: number;
  /** First delay (default 30 s); doubles per attempt. */
  readonly baseDelayMs: number;
  /** Cap of one delay (default 10 min). */
  readonly maxDelayMs: number;
}

export const defaultRetry: RetrySettings = { retries: 3, baseDelayMs: 30_000, maxDelayMs: 600_000 };

/**
 * "Equal jitter": half of the exponential delay fixed, half random, so retries of many integrations
 * that failed together (an HR outage) spread out instead of hitting the API in lockstep.
 */
export function backoffMs(o: { attempt: number; settings: RetrySettings; random?: () => number }): number {
  const exp = Math.min(o.settings.maxDelayMs, o.settings.baseDelayMs * 2 ** Math.max(0, o.attempt));
  const random = o.random ?? Math.random;
  return Math.round(exp / 2 + (exp / 2) * random());
}
