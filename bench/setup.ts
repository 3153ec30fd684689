/** Fresh databases and engine dependencies for one measurement: a new SQLite file or PostgreSQL schema each time. */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect, createCipher, silentLogger } from '../src/engine/index.js';
import type { EngineDeps } from '../src/engine/index.js';
import { sourceRegistry } from '../src/sources/registry.js';
import { openStore } from '../src/store/index.js';
import type { Dialect, Store, Tenant } from '../src/store/index.js';
import { benchToday } from './constants.js';

/** Where a run's databases live: SQLite files in a temporary folder, or schemas of one PostgreSQL database. */
export type BenchDatabase =
  { readonly dialect: 'sqlite' } | { readonly dialect: 'postgres'; readonly url: string };

/** A migrated, empty store that `dispose` deletes (file or schema). */
export interface FreshStore {
  readonly store: Store;
  dispose(): Promise<void>;
}

/**
 * A new empty database of `db`'s kind. SQLite is a file (WAL, as in production), not `:memory:`,
 * so the floor and the sync pay the same fsync and page-cache costs a deployment does.
 */
export async function freshStore(db: BenchDatabase): Promise<FreshStore> {
  if (db.dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rostersync-bench-'));
    const store = await openStore({ url: `sqlite:${join(dir, 'bench.db')}` });
    await store.migrate();
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const store = await openStore({ url: db.url, schema });
  await store.migrate();
  return {
    store,
    dispose: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

const start = Date.parse(`${benchToday}T06:00:00Z`);

/**
 * Engine dependencies as `createEngine` builds them (default apply batch size, real connectors,
 * default retries), except the clock: it starts at the bench date and advances in real time, so
 * leaving dates compare the same way on every run while leases still expire.
 */
export function benchDeps(o: { store: Store; key?: Buffer }): EngineDeps {
  const origin = Date.now();
  return {
    store: o.store,
    clock: { now: () => new Date(start + (Date.now() - origin)) },
    newId: randomUUID,
    // A profiled sync runs in another process than the connect: it is handed the same key.
    cipher: createCipher([{ id: 'bench', key: o.key ?? randomBytes(32) }]),
    sources: sourceRegistry,
    log: silentLogger,
    allowLoopbackSources: true,
    owner: `bench:${process.pid}`,
    leaseTtlMs: 10 * 60_000,
  };
}

/** A tenant connected to the emulator without its first sync (the bench times that sync itself). */
export async function connectedTenant(o: {
  deps: EngineDeps;
  provider: string;
  config: Readonly<Record<string, string>>;
}): Promise<Tenant> {
  const id = randomUUID();
  const tenant = await o.deps.store.tenants.create({
    id,
    slug: `bench-${id.slice(0, 8)}`,
    name: 'Bench Corp',
  });
  const connected = await connect(o.deps, {
    tenantId: tenant.id,
    provider: o.provider,
    config: o.config,
    sync: false,
  });
  if (!connected.ok) throw connected.error;
  return tenant;
}

/** The database a run uses: PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL, else none. */
export const postgresUrlFromEnv = (env: NodeJS.ProcessEnv): string | undefined =>
  env['BENCH_DATABASE_URL']?.trim() || env['TEST_DATABASE_URL']?.trim() || undefined;

export const dialectOf = (db: BenchDatabase): Dialect => db.dialect;
