/** What every repository shares: the Kysely handle, counters, clock, and the transaction/chunking helpers. */
import type { Kysely } from 'kysely';
import type { Clock, IdGenerator } from '../core/ports.js';
import type { Database } from './schema.js';
import type { Dialect, WriteStats } from './types.js';

export interface StoreContext {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly stats: WriteStats;
  readonly clock: Clock;
  readonly newId: IdGenerator;
}

/** A database handle (inside a transaction or not) plus a counter of directory rows written through it. */
export interface Work {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Adds affected directory rows (Kysely reports them as bigint). */
  rows(n: bigint | number | undefined): void;
}

/**
 * Runs `fn` in one transaction. Directory rows are added to `stats` only after COMMIT, so a rolled back
 * transaction leaves the counters as they were ("nothing written" is then provable by counting).
 */
export const transact = async <T>(ctx: StoreContext, fn: (work: Work) => Promise<T>): Promise<T> => {
  let pending = 0;
  ctx.stats.transactions += 1;
  const result = await ctx.db.transaction().execute((trx) =>
    fn({
      db: trx,
      dialect: ctx.dialect,
      rows: (n) => {
        pending += Number(n ?? 0);
      },
    }),
  );
  ctx.stats.directoryRows += pending;
  return result;
};

/** A handle outside any transaction: rows count immediately (a single statement commits on its own). */
export const direct = (ctx: StoreContext): Work => ({
  db: ctx.db,
  dialect: ctx.dialect,
  rows: (n) => {
    ctx.stats.directoryRows += Number(n ?? 0);
  },
});

/**
 * Bind parameters one statement may carry. SQLite's limit is 32 766 (checked on the bundled 3.53),
 * PostgreSQL's 65 535 (the wire protocol's int16 count); we keep a margin for the WHERE parameters.
 */
const parameterBudget: Record<Dialect, number> = { sqlite: 30_000, postgres: 60_000 };

/** How many rows of `columns` parameters fit in one statement. */
export const rowsPerStatement = (dialect: Dialect, columns: number): number =>
  Math.max(1, Math.floor(parameterBudget[dialect] / Math.max(1, columns)));

export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export const iso = (d: Date): string => d.toISOString();

/** The case-insensitive key of an email: what the unique index and lookups compare. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Reference names (departments, positions, locations) compare case- and space-insensitively. */
export const normalizeName = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

const errorCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * If `error` is a unique-constraint violation, what it hit: the PostgreSQL constraint name
 * (`users_tenant_email_uq`) or SQLite's column list (`users.tenant_id, users.email_normalized`).
 * Callers look for a keyword (`email`, `slug`) in it.
 */
export const uniqueViolation = (error: unknown): string | undefined => {
  const code = errorCode(error);
  if (code === '23505') {
    const constraint = (error as { constraint?: unknown }).constraint;
    return typeof constraint === 'string' ? constraint : 'unique';
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const message = error instanceof Error ? error.message : '';
    return message.replace(/^UNIQUE constraint failed: /, '');
  }
  return undefined;
};

export const isForeignKeyViolation = (error: unknown): boolean => {
  const code = errorCode(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
};

/** Escapes LIKE wildcards so a search for `50%` matches the text, with `escape '\'`. */
export const likePattern = (search: string): string =>
  `%${search
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
