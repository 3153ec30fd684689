/** pg-boss on PostgreSQL: coalescing, retries by kind, the fence against expired deliveries, two worker processes. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { ok } from '../src/core/result.js';
import { connect, emptyCounts, runSync, type EngineDeps, type SyncJob } from '../src/engine/index.js';
import { startEmulatorFor } from '../src/engine/emulators.js';
import { createPgBossQueue, type PgBossQueue, type SyncRunner } from '../src/jobs/index.js';
import { openStore, type RunRecord, type Store } from '../src/store/index.js';
import { testDeps, testKey } from './support/engine.js';
import { fakeSource, people, type FakeSourceControl } from './support/fake-source.js';
import { describePostgres, postgresUrl } from './support/jobs.js';
import { spawnWorker, waitFor, type WorkerProcess } from './support/jobs-spawn.js';

interface Db {
  readonly url: string;
  readonly store: Store;
  readonly schema: string;
  readonly bossSchema: string;
  count(sql: string, values?: unknown[]): Promise<number>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function database(): Promise<Db> {
  const url = postgresUrl();
  const schema = `jobs_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const bossSchema = `${schema}_boss`;
  const store = await openStore({ url, schema });
  await store.migrate();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  cleanups.push(async () => {
    await store.close();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.query(`drop schema if exists "${bossSchema}" cascade`);
    await client.end();
  });
  return {
    url,
    store,
    schema,
    bossSchema,
    count: async (sql, values = []) =>
      Number((await client.query<{ n: string }>(sql, values)).rows[0]?.n ?? 0),
  };
}

function queue(
  db: Db,
  deps: EngineDeps,
  o: { work: boolean; runner?: SyncRunner; retries?: number; expire?: number; concurrency?: number },
) {
  const q: PgBossQueue = createPgBossQueue({
    deps,
    connectionString: db.url,
    schema: db.bossSchema,
    work: o.work,
    concurrency: o.concurrency ?? 2,
    pollingIntervalSeconds: 0.5,
    retry: { retries: o.retries ?? 1, baseDelayMs: 1_000, maxDelayMs: 2_000 },
    ...(o.expire === undefined ? {} : { expireInSeconds: o.expire }),
    ...(o.runner ? { runner: o.runner } : {}),
  });
  cleanups.push(() => q.stop({ timeoutMs: 2_000 }));
  return q;
}

const run = (status: RunRecord['status'], errorCode: string | null = null): RunRecord => ({
  id: randomUUID(),
  tenantId: 't',
  integrationId: 'i',
  provider: 'personio',
  mode: 'full',
  trigger: 'manual',
  status,
  dryRun: false,
  counts: emptyCounts,
  message: null,
  errorCode,
  guard: null,
  startedAt: new Date().toISOString(),
  finishedAt: new Date().toISOString(),
});

const job = (integrationId: string, input: SyncJob['input'] = { kind: 'pull' }): SyncJob => ({
  tenantId: 'tenant',
  integrationId,
  trigger: input.kind === 'pull' ? 'manual' : 'webhook',
  input,
});

const unfinished = (db: Db) =>
  db.count(`select count(*) as n from "${db.bossSchema}".job where name = 'sync' and state < 'completed'`);

describePostgres('pg-boss queue', () => {
  it('the same sync requested 50 times is one job and one run', async () => {
    const db = await database();
    const deps = testDeps(db.store);
    const calls: SyncJob[] = [];
    const sender = queue(db, deps, { work: false });
    await sender.start();
    const answers = await Promise.all(Array.from({ length: 50 }, () => sender.enqueueSync(job('one'))));
    expect(answers.filter((a) => a.queued)).toHaveLength(1);
    expect(await db.count(`select count(*) as n from "${db.bossSchema}".job where name = 'sync'`)).toBe(1);
    const worker = queue(db, deps, {
      work: true,
      runner: (j) => {
        calls.push(j);
        return Promise.resolve(ok(run('succeeded')));
      },
    });
    await worker.start();
    await waitFor('the job to finish', async () => (await unfinished(db)) === 0);
    expect(calls).toHaveLength(1);
  });

  it('requests arriving while a job runs become one follow-up job (ids merged)', async () => {
    const db = await database();
    const deps = testDeps(db.store);
    const calls: SyncJob[] = [];
    let release: () => void = () => undefined;
    const worker = queue(db, deps, {
      work: true,
      runner: async (j) => {
        calls.push(j);
        if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return ok(run('succeeded'));
      },
    });
    await worker.start();
    await worker.enqueueSync(job('busy'));
    await waitFor('the first attempt', () => Promise.resolve(calls.length === 1));
    expect(await worker.enqueueSync(job('busy', { kind: 'ids', ids: ['1'] }))).toEqual({ queued: false });
    await worker.enqueueSync(job('busy', { kind: 'ids', ids: ['2', '1'] }));
    await worker.enqueueSync(job('other'));
    expect(await db.count(`select count(*) as n from "${db.bossSchema}".job where name = 'sync'`)).toBe(2);
    release();
    await waitFor('every job to finish', async () => (await unfinished(db)) === 0 && calls.length === 3);
    const busy = calls.filter((c) => c.integrationId === 'busy');
    expect(busy.map((c) => c.input)).toEqual([{ kind: 'pull' }, { kind: 'ids', ids: ['1', '2'] }]);
  });

  it('retries transient failures (pg-boss backoff) and not auth failures', async () => {
    const db = await database();
    const deps = testDeps(db.store);
    const attempts = new Map<string, number>();
    const worker = queue(db, deps, {
      work: true,
      retries: 1,
      runner: (j) => {
        attempts.set(j.integrationId, (attempts.get(j.integrationId) ?? 0) + 1);
        return Promise.resolve(
          ok(run('failed', j.integrationId === 'flaky' ? 'source_unavailable' : 'source_auth')),
        );
      },
    });
    await worker.start();
    await worker.enqueueSync(job('flaky'));
    await worker.enqueueSync(job('revoked'));
    await waitFor('both jobs to end', async () => (await unfinished(db)) === 0, { timeoutMs: 20_000 });
    expect(Object.fromEntries(attempts)).toEqual({ flaky: 2, revoked: 1 });
    expect(worker.stats.retried).toBe(1);
  });

  it('a delivery whose job expired while it ran cannot write once the redelivery holds the lease', async () => {
    const db = await database();
    const control: FakeSourceControl = { people: people(30), pageSize: 10, failPage: null, reads: 0 };
    let now = Date.now();
    // The first attempt stalls before its first write, longer than the job's expiry (1 s) and the lease.
    let stalled: (() => void) | null = null;
    const stallingStore: Store = {
      ...db.store,
      apply: async (ops, opts) => {
        if (stalled === null) await new Promise<void>((resolve) => (stalled = resolve));
        return db.store.apply(ops, opts);
      },
    };
    const deps = testDeps(stallingStore, {
      source: fakeSource(control),
      owner: 'worker-a',
      now: () => new Date(now),
    });
    const tenant = await db.store.tenants.create({ id: randomUUID(), slug: 'fence', name: 'Fence' });
    const connected = await connect(deps, {
      tenantId: tenant.id,
      provider: 'personio',
      config: { token: 'good' },
      sync: false,
    });
    if (!connected.ok) throw connected.error;
    const results: { attempt: number; status: string }[] = [];
    let attempts = 0;
    const q = queue(db, deps, {
      work: true,
      expire: 1,
      retries: 2,
      concurrency: 1,
      runner: async (j) => {
        const attempt = ++attempts;
        const result = await runSync(deps, { tenantId: j.tenantId, trigger: j.trigger, input: j.input });
        results.push({ attempt, status: result.ok ? result.value.status : result.error.code });
        return result;
      },
    });
    await q.start();
    await q.enqueueSync({
      tenantId: tenant.id,
      integrationId: connected.value.integration.id,
      trigger: 'manual',
      input: { kind: 'pull' },
    });
    await waitFor('the first attempt to stall before writing', () => Promise.resolve(stalled !== null));
    now += deps.leaseTtlMs + 1_000; // its lease has expired too

    // pg-boss gives up waiting on the handler after expireInSeconds and delivers the job again; the
    // first handler is not stopped (pg-boss #555).
    await waitFor('the redelivery to apply', () => Promise.resolve(results.some((r) => r.attempt === 2)), {
      timeoutMs: 20_000,
    });
    const afterRedelivery = await db.store.directory.listUsers(tenant.id, { limit: 100 });
    (stalled as (() => void) | null)?.();
    await waitFor('the first attempt to end', () => Promise.resolve(results.length === 2));

    expect(results).toEqual([
      { attempt: 2, status: 'succeeded' },
      { attempt: 1, status: 'interrupted' },
    ]);
    expect(afterRedelivery.total).toBe(30);
    const users = await db.store.directory.listUsers(tenant.id, { limit: 100 });
    expect(users.items.map((u) => [u.id, u.updatedAt])).toEqual(
      afterRedelivery.items.map((u) => [u.id, u.updatedAt]),
    );
    const runs = await db.store.runs.list(tenant.id, { limit: 10 });
    const fenced = runs.find((r) => r.status === 'interrupted');
    expect(fenced?.errorCode).toBe('lease_lost');
    expect((await db.store.runs.listItems(tenant.id, fenced?.id ?? '', { limit: 10 })).total).toBe(0);
  });
  it('two worker processes never run the same integration at once', async () => {
    const db = await database();
    const { config, emulator } = await startEmulatorFor({ provider: 'personio', employees: 120, seed: 3 });
    cleanups.push(() => emulator.close());
    emulator.control.setFaults({ latencyMs: 5 });
    const deps = testDeps(db.store, { now: () => new Date() });
    const integrations: { tenantId: string; integrationId: string }[] = [];
    for (let i = 0; i < 3; i += 1) {
      const tenant = await db.store.tenants.create({ id: randomUUID(), slug: `two-${i}`, name: `Two ${i}` });
      const connected = await connect(deps, {
        tenantId: tenant.id,
        provider: 'personio',
        config,
        sync: false,
      });
      if (!connected.ok) throw connected.error;
      integrations.push({ tenantId: tenant.id, integrationId: connected.value.integration.id });
    }
    const env = {
      DATABASE_URL: db.url,
      TEST_DB_SCHEMA: db.schema,
      TEST_PGBOSS_SCHEMA: db.bossSchema,
      TEST_ROLE: 'worker',
      TEST_LEADER_KEY: String(BigInt(`0x${randomUUID().replaceAll('-', '').slice(0, 12)}`)),
      ROSTERSYNC_SECRET_KEYS: `${testKey.id}:${testKey.key.toString('base64')}`,
      ROSTERSYNC_ALLOW_LOOPBACK_SOURCES: '1',
      ROSTERSYNC_LEASE_TTL_MS: '10000',
      TEST_BATCH_SIZE: '20',
      // One slot each: with three integrations busy, both processes must take jobs.
      TEST_CONCURRENCY: '1',
      TEST_APPLY_DELAY_MS: '10',
    };
    const workers: WorkerProcess[] = [];
    cleanups.push(() => Promise.all(workers.map((w) => w.stop('SIGTERM'))).then(() => undefined));
    workers.push(...(await Promise.all([spawnWorker(env), spawnWorker(env)])));

    // Record every lease holder we see while the workers run.
    const holders = new Map<string, { owner: string; token: number }[]>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const { integrationId } of integrations) {
          const h = await db.store.leases.holder(integrationId);
          const seen = holders.get(integrationId) ?? [];
          if (h && seen.at(-1)?.token !== h.token) seen.push({ owner: h.owner, token: h.token });
          holders.set(integrationId, seen);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    const sender = queue(db, deps, { work: false });
    await sender.start();
    for (let round = 0; round < 4; round += 1) {
      for (const i of integrations) {
        await sender.enqueueSync({ ...i, trigger: 'manual', input: { kind: 'pull' } });
        await sender.enqueueSync({
          ...i,
          trigger: 'webhook',
          input: { kind: 'ids', ids: [String(1001 + round)] },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await waitFor('the queue to drain', async () => (await unfinished(db)) === 0, {
      timeoutMs: 45_000,
      everyMs: 100,
    });
    watching = false;
    await watcher;

    for (const { tenantId, integrationId } of integrations) {
      const runs = (await db.store.runs.list(tenantId, { limit: 100 })).sort((x, y) =>
        x.startedAt.localeCompare(y.startedAt),
      );
      expect(runs.length).toBeGreaterThan(1);
      expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
      for (let k = 1; k < runs.length; k += 1) {
        // Each run finished before the next one of the integration started.
        expect(
          (runs[k - 1]?.finishedAt ?? '') <= (runs[k]?.startedAt ?? ''),
          `${integrationId} runs overlap`,
        ).toBe(true);
      }
      const tokens = (holders.get(integrationId) ?? []).map((h) => h.token);
      expect(tokens).toEqual([...tokens].sort((x, y) => x - y));
    }
    const owners = new Set([...holders.values()].flat().map((h) => h.owner));
    expect([...owners].sort()).toEqual(workers.map((w) => w.owner).sort());
  });
});
