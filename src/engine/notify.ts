/** Notifications: once per failure streak, once on recovery, and for each blocked run (outbox first). */
import type { IntegrationRecord, RunRecord, Tenant } from '../store/types.js';
import type { EngineDeps } from './deps.js';

/** Consecutive failures after which an integration is quarantined (scheduled runs back off). */
// Five: one queued job may fail four times (first attempt + 3 transient retries) without quarantining.
export const QUARANTINE_AFTER = 5;
const HOUR = 3_600_000;

async function recipients(deps: EngineDeps, tenant: Tenant): Promise<string[]> {
  const admins = await deps.store.admins.list(tenant.id);
  const all = [
    ...admins.filter((a) => a.role === 'admin').map((a) => a.email),
    ...(tenant.technicalUserEmail ? [tenant.technicalUserEmail] : []),
    ...tenant.notificationRecipients,
  ];
  return [...new Set(all.map((e) => e.trim().toLowerCase()).filter(Boolean))].sort();
}

async function send(
  deps: EngineDeps,
  o: { tenant: Tenant; subject: string; body: string; reason: string; dedupeKey: string },
): Promise<void> {
  for (const to of await recipients(deps, o.tenant)) {
    await deps.store.outbox.enqueue({
      id: deps.newId(),
      tenantId: o.tenant.id,
      to,
      subject: o.subject,
      body: o.body,
      reason: o.reason,
      dedupeKey: `${o.dedupeKey}:${to}`,
    });
  }
}

/**
 * Updates the failure streak and quarantine of an integration after a run and queues the mails the
 * seeds ask for: the first failure of a streak (not every retry), the recovery, and a blocked run.
 */
export async function afterRun(
  deps: EngineDeps,
  o: { tenant: Tenant; integration: IntegrationRecord; run: RunRecord; title: string },
): Promise<void> {
  const { tenant, integration, run, title } = o;
  const now = deps.clock.now();
  if (run.status === 'failed') {
    const streak = integration.failureStreak + 1;
    const quarantinedUntil =
      streak >= QUARANTINE_AFTER
        ? new Date(now.getTime() + Math.min(24, 2 ** (streak - QUARANTINE_AFTER)) * HOUR).toISOString()
        : null;
    await deps.store.integrations.update(tenant.id, integration.id, {
      failureStreak: streak,
      quarantinedUntil,
      lastRunAt: now.toISOString(),
    });
    if (streak === 1) {
      await send(deps, {
        tenant,
        subject: `rostersync: the ${title} sync failed`,
        body: `The ${title} sync of ${tenant.name} failed: ${run.message ?? 'unknown error'}\n\nNothing was changed in the directory. If the credentials were revoked, use "Update credentials". You will not be notified again until the sync works again.`,
        reason: 'sync_failed',
        dedupeKey: `failed:${integration.id}:${run.id}`,
      });
    }
    return;
  }
  if (run.status === 'succeeded' || run.status === 'partial') {
    await deps.store.integrations.update(tenant.id, integration.id, {
      failureStreak: 0,
      quarantinedUntil: null,
      lastRunAt: now.toISOString(),
    });
    if (integration.failureStreak > 0) {
      await send(deps, {
        tenant,
        subject: `rostersync: the ${title} sync works again`,
        body: `The ${title} sync of ${tenant.name} succeeded again after ${integration.failureStreak} failed run(s).`,
        reason: 'sync_recovered',
        dedupeKey: `recovered:${integration.id}:${run.id}`,
      });
    }
    return;
  }
  if (run.status === 'blocked') {
    await send(deps, {
      tenant,
      subject: `rostersync: a ${title} sync needs your confirmation`,
      body: `${run.message ?? 'A sync was stopped before applying changes.'}\n\nNothing was changed. Review run ${run.id} and confirm it, or fix the data in ${title}.`,
      reason: 'sync_blocked',
      dedupeKey: `blocked:${run.id}`,
    });
  }
}
