/** The pg-boss 10 adapter (PostgreSQL, many processes): queue `sync`, singleton per integration, coalescing. */
import PgBoss from 'pg-boss';
import pg from 'pg';
import { runSync, type EngineDeps, type JobQueue, type Logger, type SyncJob } from '../engine/index.js';
import { describeJob, jobKey, mergeSyncJobs } from './coalesce.js';
import type { SyncRunner } from './in-process.js';
import { classifyAttempt, defaultRetry, type RetrySettings } from './retry-policy.js';

export const SYNC_QUEUE = 'sync';

/** A full sync of 100k employees takes minutes; expiry must stay far above it (pg-boss does not stop expired handlers). */
const DEFAULT_EXPIRE_SECONDS = 2 * 60 * 60;

export interface PgBossQueueOptions {
  readonly deps: EngineDeps;
  readonly connectionString: string;
  /** pg-boss's own schema (default `pgboss`). */
  readonly schema?: string;
  /** Queue name (default `sync`; tests use their own). */
  readonly queueName?: string;
  /** Worker role: process jobs here. Web processes only send. */
  readonly work?: boolean;
  /** Jobs processed at once by this process (default 2). */
  readonly concurrency?: number;
  readonly retry?: Partial<RetrySettings>;
  readonly expireInSeconds?: number;
  /** Poll interval of idle workers (default 0.5 s, pg-boss's minimum: a webhook's change shows within a second). */
  readonly pollingIntervalSeconds?: number;
  readonly runner?: SyncRunner;
  readonly log?: Logger;
}

/** A JobQueue on pg-boss; `start()` before use. */
export interface PgBossQueue extends JobQueue {
  start(): Promise<void>;
  /** Stops fetching and waits for running syncs (aborted after `timeoutMs`; pg-boss then retries them). */
  stop(o?: { timeoutMs?: number }): Promise<void>;
  /**
   * pg-boss 10 has no heartbeat: a job whose worker was SIGKILLed stays `active` until it expires
   * (hours). Our lease is the heartbeat: an active job older than the lease TTL whose integration
   * lease is free or expired, seen so on two consecutive calls, is failed now so pg-boss retries it.
   */
  recoverDeadJobs(): Promise<number>;
  /** Attempts started by this process and how many were retried (tests count them). */
  readonly stats: { started: number; retried: number; finished: number; dropped: number };
}

/** What a job row holds: the request, plus requests that arrived while it ran. */
interface JobData extends SyncJob {
  readonly followUp?: SyncJob | null;
  /** Set when the handler has handed its follow-up on; later requests make a new job. */
  readonly closing?: boolean;
}

const isSyncJob = (v: unknown): v is SyncJob => {
  const j = v as Partial<SyncJob> | null;
  return (
    typeof j?.tenantId === 'string' &&
    typeof j.integrationId === 'string' &&
    typeof j.trigger === 'string' &&
    (j.input?.kind === 'pull' || (j.input?.kind === 'ids' && Array.isArray(j.input.ids)))
  );
};

const requestOf = (d: SyncJob): SyncJob => ({
  tenantId: d.tenantId,
  integrationId: d.integrationId,
  trigger: d.trigger,
  input: d.input,
});

/**
 * Creates the adapter. Coalescing happens under a per-integration transaction lock: a request merges
 * into the integration's queued job (`created`/`retry`), else it is recorded as the follow-up of its
 * running job (sent as a new job when that one ends), else a new job is sent. So the queue never
 * holds a second job of an integration whose job is active: with the `singleton` policy such a job
 * would fail pg-boss's fetch and stall every worker (pg-boss #535/#536). The engine's lease still
 * guarantees one writer if pg-boss delivers twice (expiry does not stop a handler, pg-boss #555).
 *
 * @example
 * const queue = createPgBossQueue({ deps, connectionString: env.DATABASE_URL, work: true });
 * await queue.start();
 */
export function createPgBossQueue(o: PgBossQueueOptions): PgBossQueue {
  const schema = o.schema ?? 'pgboss';
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(schema))
    throw new Error(`pg-boss schema '${schema}' is not a plain name`);
  const name = o.queueName ?? SYNC_QUEUE;
  const log = o.log ?? o.deps.log;
  const settings: RetrySettings = { ...defaultRetry, ...o.retry };
  const expireInSeconds = o.expireInSeconds ?? DEFAULT_EXPIRE_SECONDS;
  const runner: SyncRunner =
    o.runner ??
    ((job, signal) =>
      runSync(o.deps, { tenantId: job.tenantId, trigger: job.trigger, input: job.input, signal }));
  const boss = new PgBoss({
    connectionString: o.connectionString,
    schema,
    application_name: 'rostersync-jobs',
    max: 4,
    schedule: false,
    supervise: o.work ?? false,
  });
  boss.on('error', (error) => log.error({ err: error.message }, 'pg-boss error'));
  const pool = new pg.Pool({
    connectionString: o.connectionString,
    max: 2,
    application_name: 'rostersync-queue',
  });
  pool.on('error', (error) => log.warn({ err: error.message }, 'queue connection error'));
  const abort = new AbortController();
  const stats = { started: 0, retried: 0, finished: 0, dropped: 0 };
  const suspects = new Set<string>();
  const workerIds: string[] = [];
  let started = false;
  const job = `${schema}.job`;

  /** Runs `fn` in a transaction holding the integration's advisory lock. */
  const locked = async <T>(key: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `rostersync:${name}:${key}`,
      ]);
      const value = await fn(client);
      await client.query('commit');
      return value;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  /** The coalescing enqueue, inside `locked`. */
  const enqueueLocked = async (c: pg.PoolClient, request: SyncJob): Promise<{ queued: boolean }> => {
    const key = jobKey(request);
    const waiting = await c.query<{ id: string; data: JobData }>(
      `select id, data from ${job} where name = $1 and singleton_key = $2 and state < 'active'
       order by created_on limit 1 for update`,
      [name, key],
    );
    const w = waiting.rows[0];
    if (w && isSyncJob(w.data)) {
      const merged: JobData = {
        ...mergeSyncJobs(requestOf(w.data), request),
        followUp: w.data.followUp ?? null,
      };
      // A fresh request does not wait out a retry's backoff.
      await c.query(
        `update ${job} set data = $3, start_after = least(start_after, now()) where name = $1 and id = $2`,
        [name, w.id, JSON.stringify(merged)],
      );
      return { queued: false };
    }
    const active = await c.query<{ id: string; data: JobData }>(
      `select id, data from ${job} where name = $1 and singleton_key = $2 and state = 'active' limit 1 for update`,
      [name, key],
    );
    const a = active.rows[0];
    if (a && isSyncJob(a.data) && a.data.closing !== true) {
      const followUp = a.data.followUp ? mergeSyncJobs(a.data.followUp, request) : request;
      await c.query(
        `update ${job} set data = data || jsonb_build_object('followUp', $3::jsonb) where name = $1 and id = $2`,
        [name, a.id, JSON.stringify(followUp)],
      );
      return { queued: false };
    }
    const db = { executeSql: (text: string, values: unknown[]) => c.query(text, values) };
    const id = await boss.send(name, { ...request, followUp: null }, { singletonKey: key, db });
    return { queued: id !== null };
  };

  /** At the start of an attempt: a follow-up left by a crashed attempt joins this one. */
  const absorbFollowUp = (id: string, key: string): Promise<SyncJob | null> =>
    locked(key, async (c) => {
      const row = (
        await c.query<{ data: JobData }>(`select data from ${job} where name = $1 and id = $2 for update`, [
          name,
          id,
        ])
      ).rows[0];
      if (!row || !isSyncJob(row.data)) return null;
      const merged = row.data.followUp
        ? mergeSyncJobs(requestOf(row.data), row.data.followUp)
        : requestOf(row.data);
      await c.query(`update ${job} set data = $3 where name = $1 and id = $2`, [
        name,
        id,
        JSON.stringify({ ...merged, followUp: null }),
      ]);
      return merged;
    });

  /** At the end of an attempt: hand the follow-up on as a job of its own; later requests make new jobs. */
  const closeJob = (id: string, key: string): Promise<void> =>
    locked(key, async (c) => {
      const row = (
        await c.query<{ data: JobData }>(`select data from ${job} where name = $1 and id = $2 for update`, [
          name,
          id,
        ])
      ).rows[0];
      await c.query(
        `update ${job} set data = data || '{"closing": true, "followUp": null}'::jsonb where name = $1 and id = $2`,
        [name, id],
      );
      if (row?.data.followUp && isSyncJob(row.data.followUp)) await enqueueLocked(c, row.data.followUp);
    });

  const handle = async (j: PgBoss.JobWithMetadata<JobData>): Promise<object> => {
    if (!isSyncJob(j.data)) {
      stats.dropped += 1;
      log.error({ jobId: j.id }, 'sync job with unreadable data dropped');
      return { dropped: true };
    }
    const key = jobKey(j.data);
    const request = j.data.followUp
      ? ((await absorbFollowUp(j.id, key)) ?? requestOf(j.data))
      : requestOf(j.data);
    stats.started += 1;
    let verdict;
    try {
      verdict = classifyAttempt({ result: await runner(request, abort.signal) });
    } catch (thrown) {
      verdict = classifyAttempt({ thrown });
    }
    const about = { ...describeJob(request), jobId: j.id, attempt: j.retryCount + 1 };
    // An attempt aborted by shutdown is retryable too: another worker takes it over.
    if (verdict.action === 'retry' && j.retryCount < j.retryLimit) {
      stats.retried += 1;
      log.info({ ...about, why: verdict.reason }, 'sync will be retried');
      // pg-boss applies the jittered backoff; a follow-up stays on the job and joins the retry.
      throw new Error(`sync attempt failed (${verdict.reason}): ${verdict.message}`);
    }
    await closeJob(j.id, key);
    if (verdict.action === 'done') {
      stats.finished += 1;
      log.info(
        { ...about, runId: verdict.run.id, status: verdict.run.status, kind: verdict.kind },
        'sync finished',
      );
      return { runId: verdict.run.id, status: verdict.run.status };
    }
    stats.dropped += 1;
    log.warn({ ...about, reason: verdict.message }, 'sync not run');
    return { dropped: verdict.message };
  };

  return {
    stats,
    async start() {
      if (started) return;
      started = true;
      await boss.start();
      const queueOptions = {
        name,
        policy: 'singleton' as const,
        retryLimit: settings.retries,
        retryDelay: Math.max(1, Math.round(settings.baseDelayMs / 1000)),
        retryBackoff: true,
        expireInSeconds,
      };
      // Creating a queue adds a partition: two processes starting at once deadlock unless serialized.
      const client = await pool.connect();
      const lockKey = `rostersync:create-queue:${schema}`;
      try {
        await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
        await boss.createQueue(name, queueOptions);
        await boss.updateQueue(name, queueOptions);
      } finally {
        await client
          .query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey])
          .catch(() => undefined);
        client.release();
      }
      if (!o.work) return;
      for (let i = 0; i < Math.max(1, o.concurrency ?? 2); i += 1) {
        const workerId = await boss.work<JobData>(
          name,
          { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: o.pollingIntervalSeconds ?? 0.5 },
          async (jobs) => {
            const results: object[] = [];
            for (const j of jobs) results.push(await handle(j));
            return results[0];
          },
        );
        workerIds.push(workerId);
      }
    },
    async enqueueSync(request) {
      if (!started) throw new Error('The pg-boss queue is not started: call start() first.');
      const answer = await locked(jobKey(request), (c) => enqueueLocked(c, requestOf(request)));
      // A worker of this process (role all) fetches at once instead of at its next poll.
      if (answer.queued) workerIds.forEach((id) => boss.notifyWorker(id));
      return answer;
    },
    async recoverDeadJobs() {
      const ttlSeconds = Math.ceil(o.deps.leaseTtlMs / 1000);
      const rows = (
        await pool.query<{ id: string; singleton_key: string }>(
          `select id, singleton_key from ${job} where name = $1 and state = 'active'
           and started_on < now() - make_interval(secs => $2)`,
          [name, ttlSeconds],
        )
      ).rows;
      const now = o.deps.clock.now().getTime();
      const dead = new Set<string>();
      for (const row of rows) {
        const holder = await o.deps.store.leases.holder(row.singleton_key);
        if (holder === undefined || Date.parse(holder.expiresAt) <= now) dead.add(row.id);
      }
      let failed = 0;
      for (const id of dead) {
        if (!suspects.has(id)) continue;
        await boss.fail(name, id, { reason: 'the worker running this sync stopped (its lease expired)' });
        failed += 1;
        log.warn({ jobId: id }, 'sync job of a dead worker failed for retry');
      }
      suspects.clear();
      dead.forEach((id) => suspects.add(id));
      return failed;
    },
    async stop(s = {}) {
      if (!started) return;
      started = false;
      const timeout = s.timeoutMs ?? 30_000;
      const timer = setTimeout(() => abort.abort(new Error('rostersync is shutting down')), timeout);
      try {
        await boss.stop({ graceful: true, wait: true, timeout: timeout + 2_000 });
      } finally {
        clearTimeout(timer);
        await pool.end().catch(() => undefined);
      }
    },
  };
}
