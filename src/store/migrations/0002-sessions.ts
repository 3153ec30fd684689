/** Migration 0002: admin sessions (browser sign-ins), stored by the sha256 of their cookie token. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../types.js';

/** Builds the migration for one dialect; the DDL is the same on SQLite and PostgreSQL. */
export const sessionsMigration = (dialect: Dialect) => {
  const createAll = async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      // Deleting an admin ends her sessions.
      .addColumn('admin_id', 'text', (c) => c.notNull().references('admins.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addUniqueConstraint('sessions_token_hash_uq', ['token_hash'])
      .execute();
    await db.schema
      .createIndex('sessions_admin_idx')
      .on('sessions')
      .columns(['tenant_id', 'admin_id'])
      .execute();
    await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();
  };
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // Same reason as 0001: Kysely does not wrap SQLite migrations in a transaction.
      if (dialect === 'sqlite') await db.transaction().execute(createAll);
      else await createAll(db);
    },
  };
};
