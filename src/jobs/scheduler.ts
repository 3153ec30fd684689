/** The daily sync: each tenant's cron in its own time zone, jittered per tenant, missed slots run once. */
import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import type { EngineDeps, JobQueue, Logger } from '../engine/index.js';
import type { IntegrationRecord, Tenant } from '../store/types.js';

/** Default spread of start times: tenants sharing 06:00 start over five minutes, not in one second. */
export const DEFAULT_JITTER_MS = 5 * 60_000;

/**
 * A stable offset in [0, maxMs) from the tenant id: the same tenant always starts at the same
 * moment (predictable for its admins), and thousands of tenants spread evenly.
 */
export function tenantJitterMs(tenantId: string, maxMs = DEFAULT_JITTER_MS): number {
  if (maxMs <= 0) return 0;
  const hash = createHash('sha256').update(tenantId).digest().readUInt32BE(0);
  return Math.floor((hash / 0x1_0000_0000) * maxMs);
}

/**
 * The latest slot of `cron` (in `timezone`) whose jittered start is at or before `now`, or null when
 * the expression never fired. The slot is the un-jittered cron time: it names the day's run.
 */
export function latestSlot(o: { cron: string; timezone: string; now: Date; jitterMs: number }): Date | null {
  const job = new Cron(o.cron, { timezone: o.timezone, paused: true });
  try {
    // croner counts a run "earlier in the same second" as previous; +1 ms makes the bound inclusive.
    const [slot] = job.previousRuns(1, new Date(o.now.getTime() - o.jitterMs + 1));
    return slot ?? null;
  } finally {
    job.stop();
  }
}

/** Why an integration was or was not queued at a tick (tests and the debug log read it). */
export interface SlotDecision {
  readonly tenantId: string;
  readonly integrationId: string;
  readonly slot: string | null;
  readonly action: 'queued' | 'not_due' | 'already_ran' | 'quarantined' | 'skipped';
  readonly reason?: string;
}

export interface SchedulerOptions {
  readonly deps: EngineDeps;
  readonly queue: JobQueue;
  /** Upper bound of the per-tenant jitter (default 5 min). */
  readonly jitterMaxMs?: number;
  /** How often `start()` ticks (default 30 s). */
  readonly intervalMs?: number;
  /**
   * On many processes only one may fire a slot: `tick` does nothing unless this says we lead
   * (pg-lock.ts). In-process mode always leads.
   */
  readonly isLeader?: () => Promise<boolean>;
  readonly log?: Logger;
}

export interface Scheduler {
  /** Queues every integration whose slot is due and not yet run; safe to call at any time. */
  tick(): Promise<SlotDecision[]>;
  /** Ticks now (the missed-schedule check) and then every `intervalMs`. */
  start(): void;
  stop(): Promise<void>;
}

/** The decision for one integration at `now` (pure, apart from croner). */
export function decide(o: {
  tenant: Tenant;
  integration: IntegrationRecord;
  now: Date;
  jitterMaxMs: number;
  firedSlot: string | undefined;
}): SlotDecision {
  const { tenant, integration, now } = o;
  const base = { tenantId: tenant.id, integrationId: integration.id };
  // Uploads have nothing to pull; a disabled tenant does not sync.
  if (integration.provider === 'file')
    return { ...base, slot: null, action: 'skipped', reason: 'file source' };
  if (tenant.disabled) return { ...base, slot: null, action: 'skipped', reason: 'tenant disabled' };
  let slot: Date | null;
  try {
    slot = latestSlot({
      cron: tenant.syncCron,
      timezone: tenant.timezone,
      now,
      jitterMs: tenantJitterMs(tenant.id, o.jitterMaxMs),
    });
  } catch (error) {
    const reason = `invalid schedule '${tenant.syncCron}' (${tenant.timezone}): ${error instanceof Error ? error.message : String(error)}`;
    return { ...base, slot: null, action: 'skipped', reason };
  }
  if (slot === null) return { ...base, slot: null, action: 'not_due' };
  const iso = slot.toISOString();
  if (integration.quarantinedUntil !== null && Date.parse(integration.quarantinedUntil) > now.getTime()) {
    return { ...base, slot: iso, action: 'quarantined', reason: `until ${integration.quarantinedUntil}` };
  }
  if (o.firedSlot === iso)
    return { ...base, slot: iso, action: 'already_ran', reason: 'queued by this process' };
  // Missed while the process was down: the last run predates the latest slot → run once now.
  if (integration.lastRunAt !== null && Date.parse(integration.lastRunAt) >= slot.getTime()) {
    return { ...base, slot: iso, action: 'already_ran', reason: `last run ${integration.lastRunAt}` };
  }
  return { ...base, slot: iso, action: 'queued' };
}

/**
 * The scheduler. Each tick reads the active integrations and their tenants and queues a `schedule`
 * sync for each one whose latest jittered slot has passed and has not run since that slot. Catching
 * up after downtime is the same rule: several missed days are one run, not several.
 *
 * @example
 * const scheduler = createScheduler({ deps, queue });
 * scheduler.start(); // ... await scheduler.stop();
 */
export function createScheduler(o: SchedulerOptions): Scheduler {
  const jitterMaxMs = o.jitterMaxMs ?? DEFAULT_JITTER_MS;
  const log = o.log ?? o.deps.log;
  /** integrationId → slot queued by this process (the queue may not have run it yet). */
  const fired = new Map<string, string>();
  let interval: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> = Promise.resolve();

  const tick = async (): Promise<SlotDecision[]> => {
    if (o.isLeader && !(await o.isLeader())) return [];
    const now = o.deps.clock.now();
    const tenants = new Map((await o.deps.store.tenants.list()).map((t) => [t.id, t]));
    const decisions: SlotDecision[] = [];
    for (const integration of await o.deps.store.integrations.listActive()) {
      const tenant = tenants.get(integration.tenantId);
      if (!tenant) continue;
      const decision = decide({
        tenant,
        integration,
        now,
        jitterMaxMs,
        firedSlot: fired.get(integration.id),
      });
      decisions.push(decision);
      if (decision.action !== 'queued' || decision.slot === null) continue;
      fired.set(integration.id, decision.slot);
      await o.queue.enqueueSync({
        tenantId: tenant.id,
        integrationId: integration.id,
        trigger: 'schedule',
        input: { kind: 'pull' },
      });
      log.info(
        { tenantId: tenant.id, integrationId: integration.id, slot: decision.slot },
        'scheduled sync queued',
      );
    }
    return decisions;
  };

  const safeTick = (): void => {
    ticking = tick().catch((error: unknown) => log.error({ err: error }, 'scheduler tick failed'));
  };

  return {
    tick,
    start() {
      if (interval) return;
      safeTick();
      interval = setInterval(safeTick, o.intervalMs ?? 30_000);
      interval.unref();
    },
    async stop() {
      if (interval) clearInterval(interval);
      interval = undefined;
      await ticking;
    },
  };
}
