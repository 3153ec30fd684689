/** Opens a Kysely instance from a database URL: better-sqlite3 (file or memory) or a pg Pool. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { LogEvent, SqliteDatabase } from 'kysely';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import type { Database } from './schema.js';
import type { Dialect } from './types.js';

/** Structured log sink; receives SQL text and timings, never parameter values (they may hold secrets). */
export type StoreLog = (message: string, data?: Record<string, unknown>) => void;

export interface ConnectOptions {
  readonly url: string;
  readonly schema?: string;
  readonly log?: StoreLog;
  /** Called once per statement sent (for `stats.statements`). */
  readonly onStatement: () => void;
}

export interface Connection {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** PostgreSQL schema holding the tables, when one was asked for. */
  readonly schema: string | undefined;
}

const schemaName = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

type Target =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | { readonly dialect: 'postgres'; readonly url: string };

/** Parses `sqlite:<path>`, `sqlite::memory:`, `postgres://...`, `postgresql://...`. */
export const parseDatabaseUrl = (url: string): Target => {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw badUrl('the SQLite path is empty');
    return { dialect: 'sqlite', file };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  // Only the scheme is echoed: the rest of a URL may carry a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
  throw badUrl(`the scheme '${scheme}' is not supported`);
};

const badUrl = (why: string): AppError =>
  new AppError(
    'invalid_config',
    `The database URL is not usable: ${why}. Use sqlite:./data/rostersync.db, sqlite::memory: or postgres://user@host:5432/db.`,
  );

/**
 * better-sqlite3 refuses JS booleans as parameters; SQLite stores booleans as 0/1. Converting here lets
 * every query write `true`/`false` on both dialects.
 */
const toSqliteParams = (params: ReadonlyArray<unknown>): unknown[] =>
  params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

const wrapSqlite = (raw: BetterSqlite3.Database): SqliteDatabase => ({
  close: () => raw.close(),
  prepare(sqlText) {
    const stmt = raw.prepare(sqlText);
    return {
      reader: stmt.reader,
      all: (params) => stmt.all(toSqliteParams(params)),
      run: (params) => stmt.run(toSqliteParams(params)),
      iterate: (params) => stmt.iterate(toSqliteParams(params)),
    };
  },
});

const openSqlite = (file: string): BetterSqlite3.Database => {
  const memory = file === ':memory:';
  if (!memory) mkdirSync(dirname(resolve(file)), { recursive: true });
  const raw = new BetterSqlite3(memory ? ':memory:' : resolve(file));
  // WAL + NORMAL survives kill -9 without torn transactions (reference/reliability.md §3.4).
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  return raw;
};

const ensureSchema = async (url: string, schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two processes creating the same schema at once: the loser sees a duplicate, which is fine.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  } finally {
    await client.end();
  }
};

/** Opens the database; does not migrate (see `Store.migrate`). */
export const connect = async (options: ConnectOptions): Promise<Connection> => {
  const target = parseDatabaseUrl(options.url);
  const { log, onStatement } = options;
  const logQuery = (event: LogEvent): void => {
    onStatement();
    if (event.level === 'error') {
      log?.('store query failed', {
        sql: event.query.sql.slice(0, 500),
        durationMs: Math.round(event.queryDurationMillis),
        error: event.error instanceof Error ? event.error.message : String(event.error),
      });
    }
  };

  if (target.dialect === 'sqlite') {
    if (options.schema !== undefined) {
      throw new AppError('invalid_config', 'A database schema can only be chosen on PostgreSQL, not SQLite.');
    }
    const database = wrapSqlite(openSqlite(target.file));
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }), log: logQuery });
    return { db, dialect: 'sqlite', schema: undefined };
  }

  const { schema } = options;
  if (schema !== undefined) {
    if (!schemaName.test(schema)) {
      throw new AppError(
        'invalid_config',
        `The PostgreSQL schema name '${schema.slice(0, 64)}' is not valid: use letters, digits and underscores.`,
      );
    }
    await ensureSchema(target.url, schema);
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    // search_path on every pooled connection: unqualified table names resolve in our schema.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client's network error is emitted on the pool; unhandled, it would crash the process.
  pool.on('error', (error) => log?.('store connection error', { error: error.message }));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: logQuery });
  return { db, dialect: 'postgres', schema };
};
