/** Bulk statements Kysely has no builder for: many-row UPDATE from a VALUES list, and pair-wise DELETE. */
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Work } from './context.js';
import { chunk, rowsPerStatement } from './context.js';
import type { UsersRow } from './schema.js';

export type UserColumn = Exclude<keyof UsersRow, 'id' | 'tenant_id' | 'created_at' | 'updated_at'>;

/** Columns PostgreSQL must cast: VALUES lists of untyped parameters resolve to text. */
const postgresCasts: Partial<Record<UserColumn, string>> = { active: 'boolean' };

/**
 * Sets `columns` on many users at once, each row to its own values, and bumps `updated_at`:
 *
 *   with "v"("id", "c1", ...) as (values (?, ?, ...), ...)
 *   update "users" set "c1" = "v"."c1", ..., "updated_at" = ? from "v"
 *   where "users"."id" = "v"."id" and "users"."tenant_id" = ?
 *
 * The same SQL runs on SQLite (3.33+ has UPDATE ... FROM) and PostgreSQL; one statement per chunk
 * of rows, so 100 000 updates of one shape take a few dozen statements instead of 100 000.
 * Returns the number of users updated.
 */
export const bulkUpdateUsers = async (
  w: Work,
  update: {
    tenantId: string;
    updatedAt: string;
    columns: readonly UserColumn[];
    /** `[id, ...values in columns order]` */
    rows: readonly (readonly unknown[])[];
  },
): Promise<number> => {
  const { columns } = update;
  const names = sql.join([sql.id('id'), ...columns.map((c) => sql.id(c))]);
  const assignments = sql.join(
    columns.map((c) => {
      const cast = w.dialect === 'postgres' ? postgresCasts[c] : undefined;
      const value = sql.ref(`v.${c}`);
      return sql`${sql.id(c)} = ${cast ? sql`cast(${value} as ${sql.raw(cast)})` : value}`;
    }),
  );
  // SQLite's planner, lacking statistics, would drive the join from the (tenant_id, ...) indexes and scan
  // the VALUES list once per user of the tenant (minutes at 20 000 users). A unary `+` is SQLite's
  // documented way to keep a term off an index, so each VALUES row looks its user up by primary key.
  const tenantColumn =
    w.dialect === 'sqlite' ? sql`+${sql.ref('users.tenant_id')}` : sql.ref('users.tenant_id');
  let updated = 0;
  for (const part of chunk(update.rows, rowsPerStatement(w.dialect, columns.length + 1))) {
    const values = sql.join(part.map((row) => sql`(${sql.join(row as unknown[])})`));
    const result = await sql`with ${sql.id('v')}(${names}) as (values ${values})
      update ${sql.id('users')} set ${assignments}, ${sql.id('updated_at')} = ${update.updatedAt}
      from ${sql.id('v')}
      where ${sql.ref('users.id')} = ${sql.ref('v.id')} and ${tenantColumn} = ${update.tenantId}`.execute(
      w.db,
    );
    updated += Number(result.numAffectedRows ?? 0n);
  }
  return updated;
};

/** Deletes memberships by (user, group) pairs: `(user_id, group_id) in (values ...)`, chunked. */
export const deleteMembershipPairs = async (
  w: Work,
  target: { tenantId: string; pairs: readonly { userId: string; groupId: string }[] },
): Promise<number> => {
  let deleted = 0;
  for (const part of chunk(target.pairs, rowsPerStatement(w.dialect, 2))) {
    const values: RawBuilder<unknown>[] = part.map((p) => sql`(${p.userId}, ${p.groupId})`);
    const result = await sql`delete from ${sql.id('memberships')}
      where ${sql.ref('tenant_id')} = ${target.tenantId}
      and (${sql.ref('user_id')}, ${sql.ref('group_id')}) in (values ${sql.join(values)})`.execute(w.db);
    deleted += Number(result.numAffectedRows ?? 0n);
  }
  return deleted;
};
