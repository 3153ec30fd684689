/**
 * Case 16, queue: the same sync requested 50 times at once gives one active run (queue coalescing, and
 * the lease when callers bypass the queue); a duplicate delivery that runs after its lease expired is
 * fenced off: it cannot write, and its run is marked interrupted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runSync, type EngineDeps } from '../../src/engine/index.js';
import {
  createInProcessQueue,
  createPgBossQueue,
  type InProcessQueue,
  type PgBossQueue,
} from '../../src/jobs/index.js';
import type { Store } from '../../src/store/index.js';
import { describeEachDialect } from '../db.js';
import { describePostgres } from '../support/jobs.js';
import { openRawDb, type RawDb } from './support/dialects.js';
import { allUsers, fakeWorld, people, type World } from './support/world.js';

/** A gate the source's reads (or the store's applies) wait on; records how many waited at once. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let waiting = 0;
  let maxWaiting = 0;
  return {
    async pass() {
      waiting += 1;
      maxWaiting = Math.max(maxWaiting, waiting);
      await opened;
      waiting -= 1;
    },
    open: () => open(),
    maxWaiting: () => maxWaiting,
  };
}

/** A store whose `apply` waits on `g` first (a slow apply, or a paused worker). */
const slowApply = (store: Store, g: { pass(): Promise<void> }): Store => ({
  ...store,
  apply: async (ops, opts) => (await g.pass(), store.apply(ops, opts)),
});

let queue: InProcessQueue | PgBossQueue | undefined;
afterEach(async () => {
  await queue?.stop({ timeoutMs: 2_000 });
  queue = undefined;
});

describeEachDialect('reliability 16: queue', (getStore) => {
  it('50 identical requests to the queue at once: one run active at a time, at most one more queued', async () => {
    const store = getStore();
    const w = await fakeWorld(store, { roster: people(30) });
    w.control.people = w.control.people.map((p) => ({ ...p, jobTitle: 'Queued' }));
    const g = gate();
    const deps: EngineDeps = { ...w.deps, store: slowApply(store, g) };
    const q = createInProcessQueue({ deps, concurrency: 4, retry: { retries: 0 } });
    queue = q;
    const job = {
      tenantId: w.tenant.id,
      integrationId: w.integrationId,
      trigger: 'manual' as const,
      input: { kind: 'pull' as const },
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => q.enqueueSync(job)));
    await new Promise((r) => setImmediate(r));
    g.open();
    await q.idle();
    expect(answers.filter((a) => a.queued).length).toBeLessThanOrEqual(2);
    expect(q.stats.maxRunning).toBe(1);
    const runs = await store.runs.list(w.tenant.id, { limit: 100 });
    const fromQueue = runs.filter((r) => r.id !== w.first?.id);
    expect(fromQueue.length).toBeLessThanOrEqual(2);
    expect(fromQueue.reduce((n, r) => n + r.counts.updated, 0)).toBe(30);
  });

  it('50 "sync now" calls that bypass the queue: one run, 49 refused by the lease', async () => {
    const store = getStore();
    const w = await fakeWorld(store, { roster: people(10) });
    w.control.people[0] = { ...w.control.people[0]!, lastName: 'Once' };
    const g = gate();
    const deps: EngineDeps = { ...w.deps, store: slowApply(store, g) };
    const results = Promise.all(
      Array.from({ length: 50 }, () => runSync(deps, { tenantId: w.tenant.id, trigger: 'manual' })),
    );
    await new Promise((r) => setTimeout(r, 50));
    g.open();
    const done = await results;
    expect(done.filter((r) => r.ok)).toHaveLength(1);
    expect(done.filter((r) => !r.ok && r.error.code === 'run_in_progress')).toHaveLength(49);
    expect(g.maxWaiting()).toBe(1);
  });

  it('a duplicate delivery running after its lease expired cannot write: fenced off, marked interrupted', async () => {
    const store = getStore();
    const w: World = await fakeWorld(store, { roster: people(20) });
    const t0 = Date.parse('2026-11-23T06:00:00Z');
    const ttl = 60_000;
    // Delivery 1 plans a rename, then stalls before its first write (a GC pause, a slow disk)...
    w.control.people[3] = { ...w.control.people[3]!, lastName: 'Stale' };
    const g = gate();
    const first = runSync(
      {
        ...w.deps,
        store: slowApply(store, g),
        leaseTtlMs: ttl,
        owner: 'worker-1',
        clock: { now: () => new Date(t0) },
      },
      { tenantId: w.tenant.id, trigger: 'manual' },
    );
    await new Promise((r) => setTimeout(r, 50));
    // ...its lease expires, and the queue's duplicate delivery (another worker) runs the sync to the end.
    w.control.people[3] = { ...w.control.people[3], lastName: 'Fresh' };
    const second = await runSync(
      { ...w.deps, leaseTtlMs: ttl, owner: 'worker-2', clock: { now: () => new Date(t0 + ttl + 1) } },
      { tenantId: w.tenant.id, trigger: 'manual' },
    );
    expect(second.ok && second.value.status).toBe('succeeded');
    const rowsAfterSecond = store.stats.directoryRows;
    g.open();
    const stale = await first;
    expect(stale.ok && stale.value.status).toBe('interrupted');
    expect(stale.ok && stale.value.errorCode).toBe('lease_lost');
    expect(store.stats.directoryRows).toBe(rowsAfterSecond);
    expect((await allUsers(store, w.tenant.id)).find((u) => u.sourceId === 'p4')?.attributes.lastName).toBe(
      'Fresh',
    );
  });
});

describePostgres('reliability 16: pg-boss', () => {
  let db: RawDb | undefined;
  beforeAll(async () => {
    db = await openRawDb('postgres');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('50 identical requests at once leave at most one queued or active job for the integration', async () => {
    if (!db) throw new Error('no database');
    const w = await fakeWorld(db.store, { roster: people(5) });
    const schema = `${db.schema ?? 'x'}_boss`;
    const q = createPgBossQueue({
      deps: w.deps,
      connectionString: db.url,
      schema,
      queueName: `q${randomUUID().slice(0, 8)}`,
      work: false,
    });
    queue = q;
    await q.start();
    try {
      const job = {
        tenantId: w.tenant.id,
        integrationId: w.integrationId,
        trigger: 'manual' as const,
        input: { kind: 'pull' as const },
      };
      const answers = await Promise.all(Array.from({ length: 50 }, () => q.enqueueSync(job)));
      expect(answers.filter((a) => a.queued)).toHaveLength(1);
      const rows = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".job WHERE state IN ('created', 'retry', 'active')`,
      );
      expect(Number(rows[0]?.n)).toBe(1);
    } finally {
      await q.stop({ timeoutMs: 1_000 });
      queue = undefined;
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});
