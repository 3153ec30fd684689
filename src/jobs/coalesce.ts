/** Coalescing of queued syncs: webhook ids merge, a full sync absorbs partial ones (both queue adapters). */
import type { SyncJob } from '../engine/index.js';

/**
 * Above this many ids a partial run costs more requests than one full pull (People HR reads one
 * employee per request), so a merged burst becomes a full sync.
 */
export const MAX_MERGED_IDS = 200;

/** The coalescing key: one queued job per integration. */
export const jobKey = (job: Pick<SyncJob, 'integrationId'>): string => job.integrationId;

/**
 * The job that does the work of both: a full pull absorbs anything; ids are united (first-seen order).
 * The trigger of the surviving kind wins so run history says why the run happened.
 *
 * @example
 * mergeSyncJobs(webhook(['1']), webhook(['2'])).input // { kind: 'ids', ids: ['1', '2'] }
 */
export function mergeSyncJobs(queued: SyncJob, incoming: SyncJob): SyncJob {
  if (queued.input.kind === 'pull') return queued;
  if (incoming.input.kind === 'pull') return { ...incoming, tenantId: queued.tenantId };
  const ids = [...new Set([...queued.input.ids, ...incoming.input.ids])];
  if (ids.length > MAX_MERGED_IDS) return { ...queued, input: { kind: 'pull' } };
  return { ...queued, input: { kind: 'ids', ids } };
}

/** A short description for logs (never the ids themselves: they are HR identifiers). */
export const describeJob = (job: SyncJob): Record<string, unknown> => ({
  tenantId: job.tenantId,
  integrationId: job.integrationId,
  trigger: job.trigger,
  input: job.input.kind,
  ...(job.input.kind === 'ids' ? { ids: job.input.ids.length } : {}),
});
