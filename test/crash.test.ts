/**
 * Crash test: a worker process is SIGKILLed in the middle of applying a 2 000-employee sync from the
 * Personio emulator. Its run must end `interrupted`, and the next run (a new worker) must converge:
 * no duplicates, no spurious deactivations, every employee present. SQLite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connect, type EngineDeps } from '../src/engine/index.js';
import { startEmulatorFor } from '../src/engine/emulators.js';
import { INTERRUPTED_MESSAGE } from '../src/jobs/index.js';
import { openStore, type Store, type UserRecord } from '../src/store/index.js';
import { testDeps, testKey } from './support/engine.js';
import { describePostgres, postgresUrl } from './support/jobs.js';
import { spawnWorker, waitFor, type WorkerProcess } from './support/jobs-spawn.js';

const EMPLOYEES = 2_000;

interface Target {
  readonly store: Store;
  /** Environment of the worker processes for this database. */
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'rostersync-crash-'));
  const url = `sqlite:${join(dir, 'crash.db')}`;
  const store = await openStore({ url });
  await store.migrate();
  return {
    store,
    env: { DATABASE_URL: url, TEST_ROLE: 'all' },
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(): Promise<Target> {
  const url = postgresUrl();
  const schema = `crash_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const store = await openStore({ url, schema });
  await store.migrate();
  return {
    store,
    env: {
      DATABASE_URL: url,
      TEST_DB_SCHEMA: schema,
      TEST_ROLE: 'worker',
      TEST_PGBOSS_SCHEMA: `${schema}_boss`,
      TEST_LEADER_KEY: String(BigInt(`0x${randomUUID().replaceAll('-', '').slice(0, 12)}`)),
    },
    cleanup: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
        await client.query(`drop schema if exists "${schema}_boss" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

async function tenantConnected(
  deps: EngineDeps,
  o: { slug: string; config: Record<string, string>; sync: boolean },
) {
  const tenant = await deps.store.tenants.create({ id: randomUUID(), slug: o.slug, name: o.slug });
  const connected = await connect(deps, {
    tenantId: tenant.id,
    provider: 'personio',
    config: o.config,
    sync: o.sync,
  });
  if (!connected.ok) throw connected.error;
  return tenant;
}

const allUsers = async (store: Store, tenantId: string): Promise<UserRecord[]> =>
  (await store.directory.listUsers(tenantId, { limit: 100_000 })).items;

async function crashAndConverge(makeTarget: () => Promise<Target>): Promise<void> {
  const target = await makeTarget();
  const { emulator, config } = await startEmulatorFor({
    provider: 'personio',
    employees: EMPLOYEES,
    seed: 42,
  });
  const workers: WorkerProcess[] = [];
  try {
    const deps = {
      ...testDeps(target.store, { now: () => new Date(), owner: 'crash-test' }),
      batchSize: 1000,
    };
    // What a clean sync of the same roster gives, to compare the crashed tenant with.
    const reference = await tenantConnected(deps, { slug: 'reference', config, sync: true });
    const expected = new Map((await allUsers(target.store, reference.id)).map((u) => [u.sourceId, u.active]));
    // Personio lists current staff: the roster is the emulator's people minus long-gone leavers.
    expect(expected.size).toBeGreaterThan(EMPLOYEES * 0.9);

    // Connected without a first sync: the worker's scheduler sees a missed slot and queues it at start-up.
    const tenant = await tenantConnected(deps, { slug: 'crashed', config, sync: false });
    const env = {
      ...target.env,
      ROSTERSYNC_SECRET_KEYS: `${testKey.id}:${testKey.key.toString('base64')}`,
      ROSTERSYNC_ALLOW_LOOPBACK_SOURCES: '1',
      ROSTERSYNC_LEASE_TTL_MS: '2000',
      TEST_BATCH_SIZE: '100',
      TEST_APPLY_DELAY_MS: '40',
    };
    const first = await spawnWorker(env);
    workers.push(first);
    const killedRun = await waitFor(
      'the first run to be applying',
      async () => {
        const [run] = await target.store.runs.list(tenant.id, { limit: 1 });
        if (run?.status !== 'running') return undefined;
        const { total } = await target.store.directory.listUsers(tenant.id, { limit: 1 });
        return total >= 300 ? run : undefined;
      },
      { timeoutMs: 40_000 },
    );
    await first.stop('SIGKILL');
    const partial = (await allUsers(target.store, tenant.id)).length;
    expect(partial).toBeGreaterThanOrEqual(300);
    expect(partial).toBeLessThan(expected.size);
    expect((await target.store.runs.get(tenant.id, killedRun.id))?.status).toBe('running');

    // A new worker closes the dead run and runs the sync again.
    const second = await spawnWorker({ ...env, TEST_APPLY_DELAY_MS: '0' });
    workers.push(second);
    const converged = await waitFor(
      'a run that converges',
      async () =>
        (await target.store.runs.list(tenant.id, { limit: 10 })).find((r) => r.status === 'succeeded'),
      { timeoutMs: 40_000, everyMs: 100 },
    );
    await second.stop('SIGTERM');

    const killed = await target.store.runs.get(tenant.id, killedRun.id);
    expect(killed?.status).toBe('interrupted');
    expect(killed?.message).toBe(INTERRUPTED_MESSAGE);
    expect(converged.counts.deactivated).toBe(0);
    expect(converged.counts.created).toBe(expected.size - partial);

    const users = await allUsers(target.store, tenant.id);
    expect(users).toHaveLength(expected.size);
    expect(new Set(users.map((u) => u.sourceId)).size).toBe(expected.size);
    expect(new Set(users.map((u) => u.attributes.email?.toLowerCase())).size).toBe(expected.size);
    expect(new Map(users.map((u) => [u.sourceId, u.active]))).toEqual(expected);
  } catch (error) {
    const logs = workers.map((w) => w.stderr()).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nworker logs:\n${logs}`, {
      cause: error,
    });
  } finally {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await emulator.close();
    await target.cleanup();
  }
}

describe('sqlite: crash mid-run', () => {
  it(
    'a SIGKILLed worker leaves an interrupted run; the next run converges',
    () => crashAndConverge(sqliteTarget),
    60_000,
  );
});

describePostgres('crash mid-run', () => {
  it(
    'a SIGKILLed worker leaves an interrupted run; the next run converges',
    () => crashAndConverge(postgresTarget),
    60_000,
  );
});
