/** Retry policy of the HTTP client: full-jitter exponential backoff, Retry-After parsing, abortable waits. */
import type { SourceContext } from '../contract.js';

/** Statuses retried by default (unless the caller accepts them): rate limits and server faults. */
export const retryableStatuses: readonly number[] = [429, 500, 502, 503, 504];

/** Statuses whose `Retry-After` header is honoured (RFC 9110 §10.2.3). */
export const retryAfterStatuses: readonly number[] = [429, 503];

/** The resolved retry tuning of one client. */
export interface RetrySettings {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this fails the call as transient instead of holding a worker. */
  readonly maxRetryAfterMs: number;
  readonly sleep: ((ms: number) => Promise<void>) | undefined;
  readonly random: () => number;
}

/** Defaults: 4 retries, 250 ms base, 10 s cap, Retry-After honoured up to 60 s. */
export function retrySettings(ctx: SourceContext): RetrySettings {
  return {
    retries: Math.max(0, ctx.retry?.retries ?? 4),
    baseDelayMs: Math.max(0, ctx.retry?.baseDelayMs ?? 250),
    maxDelayMs: Math.max(0, ctx.retry?.maxDelayMs ?? 10_000),
    maxRetryAfterMs: 60_000,
    sleep: ctx.retry?.sleep,
    random: Math.random,
  };
}

/**
 * Full jitter (AWS "Exponential backoff and jitter"): uniform in [0, min(cap, base * 2^attempt)].
 * Jitter keeps many connectors that failed together from retrying in lockstep.
 *
 * @example
 * backoffDelay({ attempt: 0, baseDelayMs: 250, maxDelayMs: 10_000 }); // 0..250
 */
export function backoffDelay(o: {
  attempt: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
}): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(o.attempt, 30));
  return Math.floor((o.random ?? Math.random)() * ceiling);
}

/**
 * Parses `Retry-After` (delay-seconds or an HTTP-date) into milliseconds from `now`; null when
 * absent or unreadable. A date in the past gives 0.
 *
 * @example
 * parseRetryAfter({ header: '2' }); // 2000
 */
export function parseRetryAfter(o: { header: string | undefined; now?: number }): number | null {
  const value = o.header?.trim();
  if (value === undefined || value === '') return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only an HTTP-date (it names a weekday or a month); Date.parse alone accepts too much.
  if (!/[a-z]{3}/i.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - (o.now ?? Date.now()));
}

const abortReason = (signal: AbortSignal): Error => {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
};

/**
 * Waits `ms`, with the injected sleep when given, and rejects at once with the signal's reason
 * when it aborts (an aborted run must not sit out a long Retry-After).
 */
export function wait(o: {
  ms: number;
  signal?: AbortSignal | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}): Promise<void> {
  const { signal } = o;
  if (signal?.aborted === true) return Promise.reject(abortReason(signal));
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    if (o.sleep !== undefined) {
      o.sleep(o.ms).then(done, (error: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    } else {
      timer = setTimeout(done, o.ms);
    }
  });
}
