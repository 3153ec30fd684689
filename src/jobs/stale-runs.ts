/** Stale runs: a `running` run whose integration lease expired belongs to a dead process; close it. */
import type { EngineDeps } from '../engine/index.js';

/** Dry runs hold no lease; one still `running` after this long was left by a dead process. */
const DRY_RUN_MAX_AGE_MS = 60 * 60_000;

export const INTERRUPTED_MESSAGE =
  'The process running this sync stopped before it finished (crash or restart). Nothing half-applied ' +
  'remains: the next run plans from the current directory and completes the work.';

/**
 * Marks `interrupted` every `running` run whose integration lease is free or expired at the clock's
 * now. The lease is the heartbeat: a live run renews it after every page and batch. Idempotent;
 * run it at start-up and periodically.
 *
 * @example
 * const { interrupted } = await closeStaleRuns(deps);
 */
export async function closeStaleRuns(deps: EngineDeps): Promise<{ interrupted: string[] }> {
  const now = deps.clock.now().getTime();
  const interrupted: string[] = [];
  for (const run of await deps.store.runs.listByStatus('running')) {
    let stale: boolean;
    if (run.dryRun || run.integrationId === null) {
      stale = now - Date.parse(run.startedAt) > DRY_RUN_MAX_AGE_MS;
    } else {
      const holder = await deps.store.leases.holder(run.integrationId);
      stale = holder === undefined || Date.parse(holder.expiresAt) <= now;
    }
    if (!stale) continue;
    await deps.store.runs.finish(run.id, {
      status: 'interrupted',
      counts: run.counts,
      message: INTERRUPTED_MESSAGE,
      errorCode: 'lease_lost',
    });
    interrupted.push(run.id);
    deps.log.warn(
      { runId: run.id, tenantId: run.tenantId, integrationId: run.integrationId },
      'stale run interrupted',
    );
  }
  return { interrupted };
}
