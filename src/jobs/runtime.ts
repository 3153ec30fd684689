/** Background work of a process by role: the queue, and on the leader the scheduler, mailer and sweepers. */
import { AppError } from '../core/errors.js';
import type { EngineDeps, JobQueue, Logger } from '../engine/index.js';
import { createInProcessQueue, type InProcessQueue } from './in-process.js';
import { createMailer, type Mailer } from './mailer.js';
import { createPgBossQueue, type PgBossQueue } from './pg-boss.js';
import { createLeaderLock, type LeaderLock } from './pg-lock.js';
import type { RetrySettings } from './retry-policy.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import { closeStaleRuns } from './stale-runs.js';

export const roles = ['web', 'worker', 'all'] as const;
/** `web` serves HTTP and only sends jobs; `worker` runs jobs and the schedule; `all` does both. */
export type Role = (typeof roles)[number];

export interface BackgroundOptions {
  readonly deps: EngineDeps;
  readonly role: Role;
  /** The database URL (pg-boss and the leader lock connect to it on PostgreSQL). */
  readonly databaseUrl: string;
  readonly smtpUrl?: string | undefined;
  readonly smtpFrom: string;
  /** pg-boss schema (default `pgboss`) and queue name (tests isolate themselves with these). */
  readonly pgBossSchema?: string;
  readonly queueName?: string;
  /** Leader lock key (tests); processes sharing it elect one leader. */
  readonly leaderKey?: string;
  /** Period of the maintenance loop: stale runs, dead jobs, schedule, outbox (default 15 s). */
  readonly intervalMs?: number;
  readonly concurrency?: number;
  readonly retry?: Partial<RetrySettings>;
  readonly jitterMaxMs?: number;
  readonly log?: Logger;
}

/** What a running process has in the background. */
export interface Background {
  readonly queue: JobQueue;
  /** The adapter, for tests and shutdown. */
  readonly adapter: InProcessQueue | PgBossQueue;
  readonly scheduler: Scheduler | null;
  readonly mailer: Mailer | null;
  /** One pass of the maintenance loop now (also what the timer runs). */
  maintain(): Promise<void>;
  /** Graceful: stops the loop, lets running syncs finish (aborted after `timeoutMs`), closes connections. */
  stop(o?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Starts the background work of a process. SQLite: one process does everything (in-process queue,
 * always its own leader); any other role is refused. PostgreSQL: pg-boss; `worker`/`all` processes
 * run jobs and elect one leader (advisory lock) that ticks the scheduler, drains the outbox and closes
 * stale runs and dead jobs, so a slot fires once and a mail is sent once however many workers run.
 *
 * @example
 * const background = await startBackground({ deps, role: 'all', databaseUrl: env.DATABASE_URL, smtpFrom: env.SMTP_FROM });
 * await buildServer({ deps, queue: background.queue, env });
 */
export async function startBackground(o: BackgroundOptions): Promise<Background> {
  const log = o.log ?? o.deps.log;
  const postgres = o.deps.store.dialect === 'postgres';
  if (!postgres && o.role !== 'all') {
    throw new AppError(
      'invalid_config',
      `--role ${o.role} needs PostgreSQL (DATABASE_URL=postgres://...): with SQLite one process does everything; use --role all.`,
    );
  }
  const works = o.role !== 'web';
  let adapter: InProcessQueue | PgBossQueue;
  let leader: LeaderLock | null = null;
  if (postgres) {
    const queue = createPgBossQueue({
      deps: o.deps,
      connectionString: o.databaseUrl,
      work: works,
      log,
      ...(o.pgBossSchema ? { schema: o.pgBossSchema } : {}),
      ...(o.queueName ? { queueName: o.queueName } : {}),
      ...(o.concurrency ? { concurrency: o.concurrency } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
    });
    await queue.start();
    adapter = queue;
    if (works) {
      leader = createLeaderLock({
        connectionString: o.databaseUrl,
        log,
        ...(o.leaderKey ? { key: o.leaderKey } : {}),
      });
    }
  } else {
    adapter = createInProcessQueue({
      deps: o.deps,
      log,
      ...(o.concurrency ? { concurrency: o.concurrency } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
    });
  }
  const scheduler = works
    ? createScheduler({
        deps: o.deps,
        queue: adapter,
        log,
        ...(o.jitterMaxMs === undefined ? {} : { jitterMaxMs: o.jitterMaxMs }),
      })
    : null;
  const mailer = works
    ? createMailer({ store: o.deps.store, smtpUrl: o.smtpUrl, from: o.smtpFrom, log })
    : null;

  const maintain = async (): Promise<void> => {
    if (!works) return;
    if (leader && !(await leader.isLeader())) return;
    // Order matters: close dead runs before the scheduler decides, so its runs start clean.
    const steps: [string, () => Promise<unknown>][] = [
      ['stale runs', () => closeStaleRuns(o.deps)],
      ['dead jobs', () => ('recoverDeadJobs' in adapter ? adapter.recoverDeadJobs() : Promise.resolve(0))],
      ['schedule', () => scheduler?.tick() ?? Promise.resolve()],
      ['outbox', () => mailer?.drain() ?? Promise.resolve()],
    ];
    for (const [step, run] of steps) {
      try {
        await run();
      } catch (error) {
        log.error({ err: error, step }, 'background maintenance step failed');
      }
    }
  };

  let loop: Promise<void> = maintain();
  const timer = works
    ? setInterval(() => {
        loop = loop.then(maintain);
      }, o.intervalMs ?? 15_000)
    : undefined;
  timer?.unref();

  return {
    queue: adapter,
    adapter,
    scheduler,
    mailer,
    maintain: () => (loop = loop.then(maintain)),
    async stop(s = {}) {
      if (timer) clearInterval(timer);
      await loop;
      await adapter.stop(s);
      // Mail queued by the last runs goes out now rather than at the next start.
      if (!leader || (await leader.isLeader())) await mailer?.drain();
      mailer?.close();
      await leader?.release();
    },
  };
}
