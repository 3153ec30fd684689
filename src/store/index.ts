/** The store's entry point: `openStore` and the public types; repositories stay internal. */
import { randomUUID } from 'node:crypto';
import { Migrator } from 'kysely';
import { AppError } from '../core/errors.js';
import type { Clock, IdGenerator } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import { adminsRepo, apiKeysRepo } from './accounts.js';
import { applyOps } from './apply.js';
import { connect } from './connect.js';
import type { StoreLog } from './connect.js';
import type { StoreContext } from './context.js';
import { directoryRepo } from './directory.js';
import { directoryReadsRepo } from './directory-reads.js';
import { integrationsRepo } from './integrations.js';
import { leasesRepo } from './leases.js';
import { migrationProvider } from './migrations/index.js';
import { auditRepo, outboxRepo } from './outbox.js';
import { runsRepo } from './runs.js';
import { orgChartRepo, sessionsRepo } from './sessions.js';
import type { Store } from './store.js';
import { tenantsRepo } from './tenants.js';
import type { WriteStats } from './types.js';

export type {
  GroupSummary,
  IntegrationPatch,
  LeaseHolder,
  NewIntegration,
  RunFinish,
  Store,
  TenantPatch,
  UserQuery,
} from './store.js';
export type * from './types.js';
export type { OrgChartRepo, SessionRecord, SessionsRepo, UserSummary } from './sessions.js';
export type {
  DirectoryGroupRecord,
  DirectoryReadsRepo,
  KeysetQuery,
  PersonSummary,
} from './directory-reads.js';
export { adminRoles, integrationStatuses, outboxStatuses, runStatuses, runTriggers } from './types.js';
export { parseDatabaseUrl } from './connect.js';
export type { StoreLog } from './connect.js';
export { defaultGenderChoices } from './tenants.js';

export interface OpenStoreOptions {
  /** `sqlite:./data/rostersync.db`, `sqlite::memory:`, `postgres://...` or `postgresql://...`. */
  readonly url: string;
  /** PostgreSQL only: every table lives in this schema (created if missing), e.g. one per test file. */
  readonly schema?: string;
  /** Failed queries (SQL text and timing only, never parameters). */
  readonly log?: StoreLog;
  /** Timestamps the store sets itself (created_at, started_at...); `apply` and leases take `now` instead. */
  readonly clock?: Clock;
  /** Ids of rows the store creates itself (audit entries). */
  readonly newId?: IdGenerator;
}

/**
 * Opens the database named by `url`. Call `migrate()` before first use.
 *
 * @example
 * const store = await openStore({ url: 'sqlite:./data/rostersync.db' });
 * await store.migrate();
 */
export const openStore = async (options: OpenStoreOptions): Promise<Store> => {
  const stats: WriteStats = { directoryRows: 0, transactions: 0, statements: 0 };
  const { db, dialect, schema } = await connect({
    url: options.url,
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    ...(options.log === undefined ? {} : { log: options.log }),
    onStatement: () => {
      stats.statements += 1;
    },
  });
  const ctx: StoreContext = {
    db,
    dialect,
    stats,
    clock: options.clock ?? systemClock,
    newId: options.newId ?? randomUUID,
  };
  let closed = false;

  return {
    dialect,
    stats,
    async migrate() {
      const migrator = new Migrator({
        db,
        provider: migrationProvider(dialect),
        // Kysely looks for its migration table in every schema unless told which one.
        ...(schema === undefined ? {} : { migrationTableSchema: schema }),
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error !== undefined) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
        throw new AppError(
          'internal',
          `Database migration '${failed}' failed; nothing after it ran. Check the database and run \`rostersync migrate\` again.`,
          { cause: error },
        );
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
    tenants: tenantsRepo(ctx),
    directory: directoryRepo(ctx),
    integrations: integrationsRepo(ctx),
    runs: runsRepo(ctx),
    leases: leasesRepo(ctx),
    apply: (ops, opts) => applyOps(ctx, ops, opts),
    audit: auditRepo(ctx),
    apiKeys: apiKeysRepo(ctx),
    admins: adminsRepo(ctx),
    outbox: outboxRepo(ctx),
    sessions: sessionsRepo(ctx),
    orgChart: orgChartRepo(ctx),
    directoryReads: directoryReadsRepo(ctx),
  };
};
