/** The daily schedule on a fake clock: the tenant's time zone, per-tenant jitter, missed slots, quarantine, one leader. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JobQueue, SyncJob } from '../src/engine/index.js';
import { createLeaderLock, createScheduler, latestSlot, tenantJitterMs } from '../src/jobs/index.js';
import type { Store } from '../src/store/index.js';
import { describeEachDialect, openTestStore } from './db.js';
import { testDeps } from './support/engine.js';
import { describePostgres, postgresUrl } from './support/jobs.js';

function recordingQueue(): JobQueue & { jobs: SyncJob[] } {
  const jobs: SyncJob[] = [];
  return {
    jobs,
    enqueueSync: (job) => {
      jobs.push(job);
      return Promise.resolve({ queued: true });
    },
  };
}

async function tenantWithSource(
  store: Store,
  o: { timezone: string; provider?: string; lastRunAt?: string | null; cron?: string },
) {
  const id = randomUUID();
  const tenant = await store.tenants.create({
    id,
    slug: `s-${id.slice(0, 12)}`,
    name: 'Sched',
    timezone: o.timezone,
  });
  if (o.cron) await store.tenants.update(tenant.id, { syncCron: o.cron });
  const integration = await store.integrations.create({
    id: randomUUID(),
    tenantId: tenant.id,
    provider: o.provider ?? 'personio',
    credentialsCiphertext: null,
    configuredFields: [],
    publicConfig: {},
    webhookTokenHash: null,
    managedFields: [],
  });
  if (o.lastRunAt !== undefined)
    await store.integrations.update(tenant.id, integration.id, { lastRunAt: o.lastRunAt });
  return { tenant, integration };
}

/** A scheduler over the store with a clock the test moves; only this test's tenants are counted. */
function harness(store: Store, o: { jitterMaxMs?: number; start: string }) {
  let now = new Date(o.start);
  const queue = recordingQueue();
  const scheduler = createScheduler({
    deps: testDeps(store, { now: () => now }),
    queue,
    jitterMaxMs: o.jitterMaxMs ?? 0,
  });
  return {
    queue,
    at: async (iso: string, tenantId: string) => {
      now = new Date(iso);
      const before = queue.jobs.length;
      await scheduler.tick();
      return queue.jobs.slice(before).filter((j) => j.tenantId === tenantId);
    },
  };
}

describe('slots and jitter (pure)', () => {
  it('06:00 Europe/Berlin is 05:00 UTC in winter and 04:00 UTC in summer', () => {
    const slot = (now: string) =>
      latestSlot({
        cron: '0 6 * * *',
        timezone: 'Europe/Berlin',
        now: new Date(now),
        jitterMs: 0,
      })?.toISOString();
    expect(slot('2026-11-23T05:00:00.000Z')).toBe('2026-11-23T05:00:00.000Z');
    expect(slot('2026-11-23T04:59:59.999Z')).toBe('2026-11-22T05:00:00.000Z');
    expect(slot('2026-07-01T04:00:00.000Z')).toBe('2026-07-01T04:00:00.000Z');
  });

  it('jitter is stable per tenant, bounded, and spreads thousands of tenants', () => {
    const max = 5 * 60_000;
    expect(tenantJitterMs('tenant-a', max)).toBe(tenantJitterMs('tenant-a', max));
    const offsets = Array.from({ length: 2_000 }, (_, i) => tenantJitterMs(`tenant-${i}`, max));
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(max);
    // No second of the five minutes gets more than a handful of the 2 000 tenants.
    const perSecond = new Map<number, number>();
    for (const ms of offsets)
      perSecond.set(Math.floor(ms / 1000), (perSecond.get(Math.floor(ms / 1000)) ?? 0) + 1);
    expect(perSecond.size).toBeGreaterThan(250);
    expect(Math.max(...perSecond.values())).toBeLessThan(20);
  });
});

describeEachDialect('scheduler', (getStore) => {
  it("fires at 06:00 in the tenant's time zone, once per slot", async () => {
    const store = getStore();
    const berlin = await tenantWithSource(store, {
      timezone: 'Europe/Berlin',
      lastRunAt: '2026-11-22T05:01:00.000Z',
    });
    const h = harness(store, { start: '2026-11-23T04:59:00.000Z' });
    expect(await h.at('2026-11-23T04:59:59.000Z', berlin.tenant.id)).toHaveLength(0);
    const fired = await h.at('2026-11-23T05:00:00.000Z', berlin.tenant.id);
    expect(fired).toEqual([
      {
        tenantId: berlin.tenant.id,
        integrationId: berlin.integration.id,
        trigger: 'schedule',
        input: { kind: 'pull' },
      },
    ]);
    expect(await h.at('2026-11-23T05:00:30.000Z', berlin.tenant.id)).toHaveLength(0);
    expect(await h.at('2026-11-23T11:00:00.000Z', berlin.tenant.id)).toHaveLength(0);
    expect(await h.at('2026-11-24T05:00:00.000Z', berlin.tenant.id)).toHaveLength(1);
  });

  it('a tenant in New York at the same cron fires six hours after Berlin', async () => {
    const store = getStore();
    const ny = await tenantWithSource(store, {
      timezone: 'America/New_York',
      lastRunAt: '2026-11-22T12:00:00.000Z',
    });
    const h = harness(store, { start: '2026-11-23T05:00:00.000Z' });
    expect(await h.at('2026-11-23T05:00:00.000Z', ny.tenant.id)).toHaveLength(0);
    expect(await h.at('2026-11-23T10:59:59.000Z', ny.tenant.id)).toHaveLength(0);
    expect(await h.at('2026-11-23T11:00:00.000Z', ny.tenant.id)).toHaveLength(1);
  });

  it('starts each tenant at its slot plus its own jitter', async () => {
    const store = getStore();
    const t = await tenantWithSource(store, { timezone: 'UTC', lastRunAt: '2026-11-22T06:30:00.000Z' });
    const jitter = tenantJitterMs(t.tenant.id, 5 * 60_000);
    const h = harness(store, { start: '2026-11-23T05:00:00.000Z', jitterMaxMs: 5 * 60_000 });
    const slot = Date.parse('2026-11-23T06:00:00.000Z');
    expect(await h.at(new Date(slot + jitter - 1_000).toISOString(), t.tenant.id)).toHaveLength(0);
    expect(await h.at(new Date(slot + jitter).toISOString(), t.tenant.id)).toHaveLength(1);
  });

  it('a custom cron is honoured (every six hours)', async () => {
    const store = getStore();
    const t = await tenantWithSource(store, {
      timezone: 'UTC',
      cron: '0 */6 * * *',
      lastRunAt: '2026-11-23T00:10:00.000Z',
    });
    const h = harness(store, { start: '2026-11-23T01:00:00.000Z' });
    expect(await h.at('2026-11-23T05:59:00.000Z', t.tenant.id)).toHaveLength(0);
    expect(await h.at('2026-11-23T06:00:00.000Z', t.tenant.id)).toHaveLength(1);
    expect(await h.at('2026-11-23T12:00:00.000Z', t.tenant.id)).toHaveLength(1);
  });

  it('a schedule missed while the process was down runs once at start-up, not once per missed day', async () => {
    const store = getStore();
    const t = await tenantWithSource(store, {
      timezone: 'Europe/Berlin',
      lastRunAt: '2026-11-20T05:02:00.000Z',
    });
    const h = harness(store, { start: '2026-11-23T09:00:00.000Z' });
    expect(await h.at('2026-11-23T09:00:00.000Z', t.tenant.id)).toHaveLength(1);
    expect(await h.at('2026-11-23T09:00:30.000Z', t.tenant.id)).toHaveLength(0);
    // After a restart the run it queued has happened: nothing to catch up.
    await store.integrations.update(t.tenant.id, t.integration.id, { lastRunAt: '2026-11-23T09:01:00.000Z' });
    const restarted = harness(store, { start: '2026-11-23T09:05:00.000Z' });
    expect(await restarted.at('2026-11-23T09:05:00.000Z', t.tenant.id)).toHaveLength(0);
    // A never-synced integration catches up too.
    const fresh = await tenantWithSource(store, { timezone: 'Europe/Berlin', lastRunAt: null });
    expect(await restarted.at('2026-11-23T09:06:00.000Z', fresh.tenant.id)).toHaveLength(1);
  });

  it('skips a quarantined integration until its quarantine ends, and file uploads always', async () => {
    const store = getStore();
    const q = await tenantWithSource(store, { timezone: 'UTC', lastRunAt: '2026-11-22T06:00:00.000Z' });
    await store.integrations.update(q.tenant.id, q.integration.id, {
      quarantinedUntil: '2026-11-23T08:00:00.000Z',
    });
    const file = await tenantWithSource(store, { timezone: 'UTC', provider: 'file', lastRunAt: null });
    const h = harness(store, { start: '2026-11-23T06:00:00.000Z' });
    expect(await h.at('2026-11-23T06:00:00.000Z', q.tenant.id)).toHaveLength(0);
    expect(await h.at('2026-11-23T07:59:00.000Z', q.tenant.id)).toHaveLength(0);
    expect(await h.at('2026-11-23T08:00:01.000Z', q.tenant.id)).toHaveLength(1);
    expect(await h.at('2026-11-23T08:00:02.000Z', file.tenant.id)).toHaveLength(0);
  });
});

describePostgres('scheduler on many processes', () => {
  it('one leader fires a slot: two schedulers, one enqueue', async () => {
    const url = postgresUrl();
    const opened = await openTestStore('postgres');
    const key = String(BigInt(`0x${randomUUID().replaceAll('-', '').slice(0, 12)}`));
    const locks = [
      createLeaderLock({ connectionString: url, key }),
      createLeaderLock({ connectionString: url, key }),
    ];
    try {
      const t = await tenantWithSource(opened.store, { timezone: 'Europe/Berlin', lastRunAt: null });
      const queue = recordingQueue();
      const now = () => new Date('2026-11-23T05:00:00.000Z');
      const schedulers = locks.map((lock) =>
        createScheduler({
          deps: testDeps(opened.store, { now }),
          queue,
          jitterMaxMs: 0,
          isLeader: () => lock.isLeader(),
        }),
      );
      await Promise.all(schedulers.map((s) => s.tick()));
      await Promise.all(schedulers.map((s) => s.tick()));
      expect(queue.jobs.filter((j) => j.tenantId === t.tenant.id)).toHaveLength(1);
      // The leader dies: the other process takes over (and has nothing new to fire for this slot).
      const leads = await Promise.all(locks.map((l) => l.isLeader()));
      expect(leads.filter(Boolean)).toHaveLength(1);
      await locks[leads.indexOf(true)]?.release();
      expect(await locks[leads.indexOf(false)]?.isLeader()).toBe(true);
    } finally {
      await Promise.all(locks.map((l) => l.release()));
      await opened.close();
    }
  });
});
