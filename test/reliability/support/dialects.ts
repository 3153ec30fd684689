/**
 * Per-dialect suites with raw SQL access: a SQLite file (so child processes and a second connection
 * can open it) or a fresh PostgreSQL schema, each with a `query` function beside the store.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openStore, type Dialect, type Store } from '../../../src/store/index.js';
import { dialects } from '../../db.js';

export interface RawDb {
  readonly dialect: Dialect;
  readonly store: Store;
  /** The database URL the store was opened with (child processes open the same database). */
  readonly url: string;
  /** PostgreSQL schema of this suite (undefined on SQLite). */
  readonly schema: string | undefined;
  /** Runs SQL written with `?` placeholders (rewritten to `$n` on PostgreSQL); returns the rows. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const toPg = (text: string): string => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** Opens a migrated database of its own with a raw connection beside the store. */
export async function openRawDb(dialect: Dialect): Promise<RawDb> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rostersync-rel-'));
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    const store = await openStore({ url });
    await store.migrate();
    const raw = new BetterSqlite3(join(dir, 'db.sqlite'));
    raw.pragma('busy_timeout = 5000');
    return {
      dialect,
      store,
      url,
      schema: undefined,
      query: <T>(text: string, params: readonly unknown[] = []) => {
        const stmt = raw.prepare(text);
        return Promise.resolve((stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[]);
      },
      close: async () => {
        raw.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = dialects.find((d) => d.dialect === 'postgres')?.url;
  if (base === undefined) throw new Error('PostgreSQL is not configured: set TEST_DATABASE_URL.');
  const schema = `rel_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const store = await openStore({ url: base, schema });
  await store.migrate();
  const pool = new pg.Pool({ connectionString: base, max: 2, options: `-c search_path=${schema}` });
  return {
    dialect,
    store,
    url: base,
    schema,
    query: async <T>(text: string, params: readonly unknown[] = []) =>
      (await pool.query(toPg(text), [...params])).rows as T[],
    close: async () => {
      await store.close();
      await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.end();
    },
  };
}

/**
 * Like `describeEachDialect` (test/db.ts), with a `RawDb` per dialect: skipped loudly without
 * TEST_DATABASE_URL, failing when ROSTERSYNC_REQUIRE_POSTGRES=1 and PostgreSQL is unusable.
 */
export function describeEachRawDb(name: string, fn: (get: () => RawDb) => void): void {
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
      console.warn(`[rostersync tests] PostgreSQL suite SKIPPED: ${name} (${target.reason ?? ''})`);
      describe.skip(title, () =>
        fn(() => {
          throw new Error('skipped');
        }),
      );
      continue;
    }
    describe(title, () => {
      let db: RawDb | undefined;
      beforeAll(async () => {
        db = await openRawDb(target.dialect);
      });
      afterAll(async () => {
        await db?.close();
      });
      fn(() => {
        if (!db) throw new Error('The database is not open yet: call get() inside a test or hook.');
        return db;
      });
    });
  }
}

/**
 * Users of a tenant that sit on or lead into a manager cycle: everyone not reachable downward from a
 * user without a manager. Linear, since each user has at most one manager (a recursive CTE).
 */
export async function usersInCycles(db: RawDb, tenantId: string): Promise<number> {
  const [row] = await db.query<{ total: number | string; reached: number | string }>(
    `WITH RECURSIVE reach(id) AS (
       SELECT id FROM users WHERE tenant_id = ? AND manager_id IS NULL
       UNION ALL
       SELECT u.id FROM users u JOIN reach r ON u.manager_id = r.id WHERE u.tenant_id = ?
     )
     SELECT (SELECT count(*) FROM users WHERE tenant_id = ?) AS total, (SELECT count(*) FROM reach) AS reached`,
    [tenantId, tenantId, tenantId],
  );
  return Number(row?.total ?? 0) - Number(row?.reached ?? 0);
}
