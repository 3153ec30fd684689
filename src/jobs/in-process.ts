/** The embedded queue (SQLite mode): serial per integration, coalescing, bounded concurrency, retries by kind. */
import type { AppError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { runSync, type EngineDeps, type JobQueue, type Logger, type SyncJob } from '../engine/index.js';
import type { RunRecord } from '../store/types.js';
import { describeJob, jobKey, mergeSyncJobs } from './coalesce.js';
import { backoffMs, classifyAttempt, defaultRetry, type RetrySettings } from './retry-policy.js';

/** Runs one attempt of a job; the default is the engine's `runSync`. */
export type SyncRunner = (job: SyncJob, signal: AbortSignal) => Promise<Result<RunRecord, AppError>>;

export interface InProcessQueueOptions {
  readonly deps: EngineDeps;
  /** Integrations syncing at the same time (default 2): SQLite has one writer anyway. */
  readonly concurrency?: number;
  readonly retry?: Partial<RetrySettings>;
  /** Replaces `runSync` (tests). */
  readonly runner?: SyncRunner;
  /** Jitter source (tests make it deterministic). */
  readonly random?: () => number;
  readonly log?: Logger;
}

/** Counters for tests and the status log; they only grow. */
export interface QueueStats {
  enqueued: number;
  coalesced: number;
  started: number;
  retried: number;
  dropped: number;
  /** Attempts that ended in a run record (any status). */
  finished: number;
  /** Highest number of attempts running at once. */
  maxRunning: number;
}

/** A JobQueue that runs syncs inside this process. */
export interface InProcessQueue extends JobQueue {
  readonly stats: Readonly<QueueStats>;
  /** Resolves when nothing is queued, waiting for a retry, or running. */
  idle(): Promise<void>;
  /**
   * Stops taking jobs, drops what is queued (the scheduler's missed-run check re-queues scheduled
   * syncs at the next start) and waits for running syncs; after `timeoutMs` they are aborted.
   */
  stop(o?: { timeoutMs?: number }): Promise<void>;
}

interface Entry {
  job: SyncJob;
  /** Attempts already made (0 for a fresh request). */
  attempt: number;
  /** Epoch ms before which it must not start (retry backoff). */
  notBefore: number;
}

/**
 * Creates the embedded queue. `enqueueSync` answers `{ queued: true }` when a new job was queued and
 * `{ queued: false }` when the request was merged into a job that is queued and not started yet (or
 * the queue is stopping).
 *
 * @example
 * const queue = createInProcessQueue({ deps, concurrency: 2 });
 * await queue.enqueueSync({ tenantId, integrationId, trigger: 'manual', input: { kind: 'pull' } });
 */
export function createInProcessQueue(o: InProcessQueueOptions): InProcessQueue {
  const concurrency = Math.max(1, o.concurrency ?? 2);
  const settings: RetrySettings = { ...defaultRetry, ...o.retry };
  const log = o.log ?? o.deps.log;
  const runner: SyncRunner =
    o.runner ??
    ((job, signal) =>
      runSync(o.deps, { tenantId: job.tenantId, trigger: job.trigger, input: job.input, signal }));
  const stats: QueueStats = {
    enqueued: 0,
    coalesced: 0,
    started: 0,
    retried: 0,
    dropped: 0,
    finished: 0,
    maxRunning: 0,
  };
  const queued = new Map<string, Entry>();
  const running = new Map<string, Promise<void>>();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let idleWaiters: (() => void)[] = [];

  const checkIdle = (): void => {
    if (queued.size > 0 || running.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    waiters.forEach((w) => w());
  };

  /** Queues or merges; Map insertion order keeps the queue FIFO across integrations. */
  const put = (job: SyncJob, attempt: number, notBefore: number): boolean => {
    const key = jobKey(job);
    const existing = queued.get(key);
    if (existing) {
      existing.job = mergeSyncJobs(existing.job, job);
      // A fresh request does not wait for an earlier attempt's backoff, and gets its own retries.
      if (attempt === 0) {
        existing.attempt = 0;
        existing.notBefore = Math.min(existing.notBefore, notBefore);
      }
      stats.coalesced += 1;
      return false;
    }
    queued.set(key, { job, attempt, notBefore });
    return true;
  };

  const pump = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (stopping) return;
    const now = Date.now();
    let nextDue = Infinity;
    for (const [key, entry] of queued) {
      if (running.size >= concurrency) break;
      if (running.has(key)) continue; // serial per integration: it starts when the running one ends
      if (entry.notBefore > now) {
        nextDue = Math.min(nextDue, entry.notBefore);
        continue;
      }
      queued.delete(key);
      start(key, entry);
    }
    if (nextDue !== Infinity) {
      timer = setTimeout(pump, Math.max(1, nextDue - now));
    }
    checkIdle();
  };

  const start = (key: string, entry: Entry): void => {
    stats.started += 1;
    const attempt = attemptOnce(entry).finally(() => {
      running.delete(key);
      pump();
    });
    running.set(key, attempt);
    stats.maxRunning = Math.max(stats.maxRunning, running.size);
  };

  const attemptOnce = async (entry: Entry): Promise<void> => {
    let verdict;
    try {
      verdict = classifyAttempt({ result: await runner(entry.job, abort.signal) });
    } catch (thrown) {
      verdict = classifyAttempt({ thrown });
    }
    const about = { ...describeJob(entry.job), attempt: entry.attempt + 1 };
    if (verdict.action === 'done') {
      stats.finished += 1;
      log.info(
        { ...about, runId: verdict.run.id, status: verdict.run.status, kind: verdict.kind },
        'sync finished',
      );
      return;
    }
    if (verdict.action === 'drop') {
      stats.dropped += 1;
      log.warn({ ...about, reason: verdict.message }, 'sync dropped: it cannot run');
      return;
    }
    if (verdict.reason === 'transient') stats.finished += 1;
    if (entry.attempt >= settings.retries || stopping) {
      log.warn({ ...about, reason: verdict.message }, 'sync gave up after its retries');
      return;
    }
    const delay = backoffMs({ attempt: entry.attempt, settings, ...(o.random ? { random: o.random } : {}) });
    stats.retried += 1;
    log.info({ ...about, why: verdict.reason, retryInMs: delay }, 'sync will be retried');
    put(entry.job, entry.attempt + 1, Date.now() + delay);
  };

  return {
    stats,
    enqueueSync(job) {
      if (stopping) return Promise.resolve({ queued: false });
      stats.enqueued += 1;
      const queuedNew = put(job, 0, 0);
      pump();
      return Promise.resolve({ queued: queuedNew });
    },
    idle() {
      if (queued.size === 0 && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop(s = {}) {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (queued.size > 0) log.info({ dropped: queued.size }, 'queue stopped; queued syncs dropped');
      queued.clear();
      const inFlight = Promise.allSettled([...running.values()]);
      const grace = s.timeoutMs ?? 30_000;
      let graceTimer: NodeJS.Timeout | undefined;
      const expired = new Promise<'timeout'>((resolve) => {
        graceTimer = setTimeout(() => resolve('timeout'), grace);
      });
      if ((await Promise.race([inFlight, expired])) === 'timeout') {
        // The aborted runs end `failed`/`interrupted`; their lease makes the next run converge.
        abort.abort(new Error('rostersync is shutting down'));
        await inFlight;
      }
      clearTimeout(graceTimer);
      checkIdle();
    },
  };
}
