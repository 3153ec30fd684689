/** In-code migration provider: migrations ship in the bundle, nothing is read from the filesystem. */
import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../types.js';
import { initialMigration } from './0001-initial.js';
import { sessionsMigration } from './0002-sessions.js';
import { directoryIndexesMigration } from './0003-directory-indexes.js';

/**
 * Every migration, by name; Kysely runs them in name order. Never rename or edit a released one:
 * add `0002-...` instead.
 */
export const migrationProvider = (dialect: Dialect): MigrationProvider => ({
  getMigrations: (): Promise<Record<string, Migration>> =>
    Promise.resolve({
      '0001-initial': initialMigration(dialect),
      '0002-sessions': sessionsMigration(dialect),
      '0003-directory-indexes': directoryIndexesMigration(dialect),
    }),
});
