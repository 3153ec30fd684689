/** The job queue port: the server enqueues, the jobs module implements (in-process or pg-boss). */
import type { RunTrigger } from '../store/types.js';

/** A sync to run in the background; at most one run per integration at a time (engine lease). */
export interface SyncJob {
  readonly tenantId: string;
  readonly integrationId: string;
  readonly trigger: RunTrigger;
  /** `ids`: webhook partial run of these source ids; `pull`: full roster. */
  readonly input: { readonly kind: 'pull' } | { readonly kind: 'ids'; readonly ids: readonly string[] };
}

/**
 * Where background syncs go. Implementations coalesce: while a job of an integration is queued and
 * not started, more webhook ids are merged into it and another full sync is not queued twice.
 *
 * @example
 * await queue.enqueueSync({ tenantId, integrationId, trigger: 'webhook', input: { kind: 'ids', ids: ['42'] } });
 */
export interface JobQueue {
  enqueueSync(job: SyncJob): Promise<{ readonly queued: boolean }>;
}
