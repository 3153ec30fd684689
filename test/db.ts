/** Dialect test helper: runs a suite on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL too. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { PersonAttributes } from '../src/core/model.js';
import { openStore } from '../src/store/index.js';
import type { Dialect, Store, Tenant } from '../src/store/index.js';

/** One database a suite runs on; `skip` or `fail` carry the reason it does not. */
export interface DialectTarget {
  readonly dialect: Dialect;
  readonly url: string | undefined;
  readonly status: 'run' | 'skip' | 'fail';
  readonly reason: string | undefined;
}

const postgresUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;
const requirePostgres = process.env.ROSTERSYNC_REQUIRE_POSTGRES === '1';

/** Connects once (3 s at most) so an unreachable server is reported up front, not as 60 s hook timeouts. */
const probe = async (url: string): Promise<string | undefined> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
};

const postgresTarget = async (): Promise<DialectTarget> => {
  if (postgresUrl === undefined) {
    const reason = 'TEST_DATABASE_URL is not set';
    return { dialect: 'postgres', url: undefined, status: requirePostgres ? 'fail' : 'skip', reason };
  }
  const failure = await probe(postgresUrl);
  if (failure === undefined)
    return { dialect: 'postgres', url: postgresUrl, status: 'run', reason: undefined };
  const reason = `PostgreSQL at TEST_DATABASE_URL is unreachable (${failure})`;
  return { dialect: 'postgres', url: postgresUrl, status: requirePostgres ? 'fail' : 'skip', reason };
};

/** The databases every `describeEachDialect` suite runs on. */
export const dialects: readonly DialectTarget[] = [
  { dialect: 'sqlite', url: 'sqlite::memory:', status: 'run', reason: undefined },
  await postgresTarget(),
];

let warned = false;
const warnSkipped = (reason: string | undefined): void => {
  if (warned) return;
  warned = true;
  console.warn(
    `[rostersync tests] PostgreSQL suites SKIPPED: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (${reason ?? ''})`,
  );
};

/**
 * A migrated store of its own: SQLite in memory, or a fresh random schema on PostgreSQL that `close`
 * drops. For tests that need isolation beyond a fresh tenant.
 */
export const openTestStore = async (
  dialect: Dialect,
): Promise<{ store: Store; close: () => Promise<void> }> => {
  if (dialect === 'sqlite') {
    const store = await openStore({ url: 'sqlite::memory:' });
    await store.migrate();
    return { store, close: () => store.close() };
  }
  const url = dialects.find((d) => d.dialect === 'postgres')?.url;
  if (url === undefined) throw new Error('PostgreSQL is not configured: set TEST_DATABASE_URL.');
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const store = await openStore({ url, schema });
  await store.migrate();
  return {
    store,
    close: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
};

/**
 * Declares `name` once per database (`sqlite: name`, `postgres: name`). The suite shares one migrated
 * store, so tests create their own tenants (`newTenant`). PostgreSQL suites are skipped with one loud
 * line when TEST_DATABASE_URL is unset, and fail when ROSTERSYNC_REQUIRE_POSTGRES=1 and it is unusable.
 */
export const describeEachDialect = (name: string, fn: (getStore: () => Store) => void): void => {
  for (const target of dialects) {
    const title = `${target.dialect}: ${name}`;
    if (target.status === 'fail') {
      describe(title, () => {
        it('has a PostgreSQL database (ROSTERSYNC_REQUIRE_POSTGRES=1)', () => {
          throw new Error(`${target.reason ?? 'PostgreSQL unavailable'}; PostgreSQL is required here.`);
        });
      });
      continue;
    }
    if (target.status === 'skip') {
      warnSkipped(target.reason);
      describe.skip(title, () =>
        fn(() => {
          throw new Error('skipped');
        }),
      );
      continue;
    }
    describe(title, () => {
      let opened: { store: Store; close: () => Promise<void> } | undefined;
      beforeAll(async () => {
        opened = await openTestStore(target.dialect);
      });
      afterAll(async () => {
        await opened?.close();
      });
      fn(() => {
        if (!opened) throw new Error('The store is not open yet: call getStore() inside a test or hook.');
        return opened.store;
      });
    });
  }
};

/** A new tenant with a unique slug. */
export const newTenant = (store: Store, name = 'Acme'): Promise<Tenant> => {
  const id = randomUUID();
  return store.tenants.create({ id, slug: `t-${id.slice(0, 13)}`, name });
};

/** Person attributes with every field null except the given ones. */
export const person = (attributes: Partial<PersonAttributes>): PersonAttributes => ({
  email: null,
  firstName: null,
  lastName: null,
  birthDate: null,
  gender: null,
  employeeNumber: null,
  jobTitle: null,
  department: null,
  location: null,
  phoneNumber: null,
  contractType: null,
  firstHiredOn: null,
  currentHiredOn: null,
  leavingDate: null,
  ...attributes,
});
