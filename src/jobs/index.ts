/** Background jobs: the queue adapters (in-process, pg-boss), the scheduler, outbox delivery, sweepers. */
export { describeJob, jobKey, mergeSyncJobs, MAX_MERGED_IDS } from './coalesce.js';
export { createInProcessQueue } from './in-process.js';
export type { InProcessQueue, InProcessQueueOptions, QueueStats, SyncRunner } from './in-process.js';
export { createMailer } from './mailer.js';
export type { DrainResult, Mailer, MailerOptions, MailTransport } from './mailer.js';
export { createPgBossQueue, SYNC_QUEUE } from './pg-boss.js';
export type { PgBossQueue, PgBossQueueOptions } from './pg-boss.js';
export { createLeaderLock } from './pg-lock.js';
export type { LeaderLock } from './pg-lock.js';
export { backoffMs, classifyAttempt, defaultRetry, kindOfRun } from './retry-policy.js';
export type { RetrySettings, Verdict } from './retry-policy.js';
export { roles, startBackground } from './runtime.js';
export type { Background, BackgroundOptions, Role } from './runtime.js';
export { createScheduler, decide, DEFAULT_JITTER_MS, latestSlot, tenantJitterMs } from './scheduler.js';
export type { Scheduler, SchedulerOptions, SlotDecision } from './scheduler.js';
export { closeStaleRuns, INTERRUPTED_MESSAGE } from './stale-runs.js';
