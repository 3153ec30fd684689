/** Migration 0003: indexes for the directory API's (updated_at, id) keyset and SCIM's (created_at, id) pages. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../types.js';

/**
 * Measured on 100 000 users of one tenant (SQLite): a keyset page inside a run of equal updated_at
 * (a sync writes thousands of users with one timestamp) took 30–80 ms with (tenant_id, updated_at) and
 * 7 ms with id in the index; SCIM startIndex=50 000 took 237 ms (a sort of every user) and 10 ms.
 * (tenant_id, updated_at, id) serves every query the 0001 index (tenant_id, updated_at) served, so that
 * one goes: keeping both would double the index writes of every user update.
 */
export const directoryIndexesMigration = (dialect: Dialect) => {
  const createAll = async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createIndex('users_tenant_updated_id_idx')
      .on('users')
      .columns(['tenant_id', 'updated_at', 'id'])
      .execute();
    await db.schema
      .createIndex('users_tenant_created_id_idx')
      .on('users')
      .columns(['tenant_id', 'created_at', 'id'])
      .execute();
    await db.schema.dropIndex('users_tenant_updated_idx').execute();
  };
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // Same reason as 0001: Kysely does not wrap SQLite migrations in a transaction.
      if (dialect === 'sqlite') await db.transaction().execute(createAll);
      else await createAll(db);
    },
  };
};
