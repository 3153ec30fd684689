/** The Store interface: every read and write the engine, server and CLI make, on SQLite or PostgreSQL. */
import type { Group, ManagedField, PlanCounts, ReferenceKind } from '../core/model.js';
import type {
  AdminRecord,
  AdminRole,
  ApiKeyRecord,
  ApplyOps,
  AuditRecord,
  Dialect,
  DirectorySnapshot,
  Fence,
  IntegrationRecord,
  NewRun,
  OutboxRecord,
  RunItem,
  RunItemAction,
  RunRecord,
  RunStatus,
  Tenant,
  TenantSettings,
  UserRecord,
  WriteStats,
} from './types.js';
import type { OrgChartRepo, SessionsRepo } from './sessions.js';
import type { DirectoryReadsRepo } from './directory-reads.js';

/** Filters of `directory.listUsers`; results are ordered by user id so `afterId` pages stably. */
export interface UserQuery {
  /** Case-insensitive substring of email, first name, last name, full name or employee number. */
  readonly search?: string;
  readonly active?: boolean;
  readonly integrationId?: string;
  readonly department?: string;
  readonly groupId?: string;
  /** ISO timestamp: users updated at or after it. */
  readonly updatedSince?: string;
  readonly limit: number;
  readonly offset?: number;
  /** Keyset paging: users whose id sorts after this one. `total` ignores it. */
  readonly afterId?: string;
}

export type GroupSummary = Group & { memberCount: number; createdAt: string; updatedAt: string };

export interface LeaseHolder {
  readonly owner: string;
  readonly token: number;
  readonly expiresAt: string;
}

export interface NewIntegration {
  readonly id: string;
  readonly tenantId: string;
  readonly provider: string;
  readonly credentialsCiphertext: string | null;
  readonly configuredFields: string[];
  readonly publicConfig: Record<string, string>;
  readonly webhookTokenHash: string | null;
  readonly managedFields: ManagedField[];
}

export type IntegrationPatch = Partial<
  Pick<
    IntegrationRecord,
    | 'credentialsCiphertext'
    | 'configuredFields'
    | 'publicConfig'
    | 'webhookTokenHash'
    | 'managedFields'
    | 'failureStreak'
    | 'quarantinedUntil'
    | 'lastRunAt'
  >
>;

export type TenantPatch = Partial<TenantSettings> & { name?: string; disabled?: boolean };

export interface RunFinish {
  readonly status: RunStatus;
  readonly counts: PlanCounts;
  readonly message?: string | null;
  readonly errorCode?: string | null;
  readonly guard?: Record<string, unknown> | null;
}

/**
 * The database behind rostersync. Every tenant-scoped method filters by `tenantId`: an id of another
 * tenant reads as "not found". Expected failures throw `AppError` (`conflict`, `not_found`, `lease_lost`).
 *
 * @example
 * const store = await openStore({ url: 'sqlite::memory:' });
 * await store.migrate();
 * await store.tenants.create({ id: 't1', slug: 'acme', name: 'Acme' });
 */
export interface Store {
  readonly dialect: Dialect;
  /** Counters incremented by every write, so tests count work instead of timing it. */
  readonly stats: WriteStats;
  /** Runs pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  tenants: {
    /** New tenants get the default settings and the gender choices `female`, `male`. `conflict` on a taken slug. */
    create(i: { id: string; slug: string; name: string; timezone?: string }): Promise<Tenant>;
    get(id: string): Promise<Tenant | undefined>;
    getBySlug(slug: string): Promise<Tenant | undefined>;
    list(): Promise<Tenant[]>;
    update(id: string, patch: TenantPatch): Promise<Tenant>;
  };
  directory: {
    /** The planner's input, in a handful of bulk queries whatever the directory's size. */
    snapshot(tenantId: string): Promise<DirectorySnapshot>;
    listUsers(tenantId: string, q: UserQuery): Promise<{ items: UserRecord[]; total: number }>;
    getUser(tenantId: string, userId: string): Promise<UserRecord | undefined>;
    /** Case-insensitive. */
    getUserByEmail(tenantId: string, email: string): Promise<UserRecord | undefined>;
    /** Oldest first: among groups sharing a name, the first is the one a sync uses. */
    listGroups(tenantId: string): Promise<GroupSummary[]>;
    listReferences(tenantId: string, kind: ReferenceKind): Promise<string[]>;
    listGenderChoices(tenantId: string): Promise<string[]>;
    addGenderChoice(tenantId: string, value: string): Promise<void>;
    /** Creates or updates positions by title (case-insensitive); returns how many rows changed. */
    upsertPositions(
      tenantId: string,
      positions: { code: string | null; title: string; department: string | null }[],
    ): Promise<number>;
  };
  integrations: {
    /** Status `active`. At most one active integration per tenant: `conflict` otherwise. */
    create(i: NewIntegration): Promise<IntegrationRecord>;
    get(tenantId: string, id: string): Promise<IntegrationRecord | undefined>;
    getActive(tenantId: string): Promise<IntegrationRecord | undefined>;
    list(tenantId: string): Promise<IntegrationRecord[]>;
    /** Active integrations of every tenant, for the scheduler. */
    listActive(): Promise<IntegrationRecord[]>;
    findByWebhookTokenHash(hash: string): Promise<IntegrationRecord | undefined>;
    update(tenantId: string, id: string, patch: IntegrationPatch): Promise<IntegrationRecord>;
    /** One transaction: status `disconnected`, secrets dropped, users unlinked (otherwise untouched). */
    disconnect(tenantId: string, id: string): Promise<{ unlinkedUsers: number }>;
  };
  runs: {
    /** Status `running`, started now. */
    create(r: NewRun): Promise<RunRecord>;
    get(tenantId: string, id: string): Promise<RunRecord | undefined>;
    /** Newest first. */
    list(
      tenantId: string,
      q: { integrationId?: string; limit: number; offset?: number },
    ): Promise<RunRecord[]>;
    finish(id: string, r: RunFinish): Promise<RunRecord>;
    /** Every tenant's runs in this status (stale-run recovery). */
    listByStatus(status: RunStatus): Promise<RunRecord[]>;
    addItems(tenantId: string, runId: string, items: readonly RunItem[]): Promise<void>;
    /** In insertion order. */
    listItems(
      tenantId: string,
      runId: string,
      q: { action?: RunItemAction | RunItemAction[]; limit: number; offset?: number },
    ): Promise<{ items: Array<RunItem & { id: number }>; total: number }>;
    savePlan(tenantId: string, runId: string, planJson: string): Promise<void>;
    loadPlan(tenantId: string, runId: string): Promise<string | undefined>;
    deletePlan(runId: string): Promise<void>;
  };
  leases: {
    /** Succeeds if the lease is free, released or expired at `now`; the token grows on every acquire. */
    acquire(i: { integrationId: string; owner: string; ttlMs: number; now: Date }): Promise<Fence | null>;
    /** False when the lease was taken over or expired: stop writing. */
    renew(f: Fence, i: { ttlMs: number; now: Date }): Promise<boolean>;
    release(f: Fence): Promise<void>;
    /** The last holder, expired or not; undefined when free or released. */
    holder(integrationId: string): Promise<LeaseHolder | undefined>;
  };
  /**
   * One transaction: checks the fence (throws `lease_lost`, writes nothing), then references, groups,
   * createUsers, updateUsers, setManagers, deleteUsers, addMemberships, removeMemberships, runItems, audit.
   * Idempotent: existing references, groups, users (by id) and memberships are left as they are.
   */
  apply(ops: ApplyOps, opts: { fence: Fence | null; now: Date; ttlMs?: number }): Promise<void>;
  audit: {
    /** Newest first. */
    list(
      tenantId: string,
      q: { userId?: string; runId?: string; limit: number; offset?: number },
    ): Promise<AuditRecord[]>;
  };
  apiKeys: {
    create(i: {
      id: string;
      tenantId: string;
      name: string;
      scopes: string[];
      keyHash: string;
      prefix: string;
    }): Promise<ApiKeyRecord>;
    /** Any tenant: the prefix is how a presented key is found. Revoked keys are returned too. */
    findByPrefix(prefix: string): Promise<ApiKeyRecord | undefined>;
    list(tenantId: string): Promise<ApiKeyRecord[]>;
    /** True when an active key was revoked now. */
    revoke(tenantId: string, id: string): Promise<boolean>;
    touch(id: string, at: Date): Promise<void>;
  };
  admins: {
    /** `conflict` when the tenant already has an admin with this email (case-insensitive). */
    create(i: {
      id: string;
      tenantId: string;
      email: string;
      passwordHash: string;
      role: AdminRole;
    }): Promise<AdminRecord>;
    findByEmail(tenantId: string, email: string): Promise<AdminRecord | undefined>;
    findByEmailAnyTenant(email: string): Promise<AdminRecord[]>;
    list(tenantId: string): Promise<AdminRecord[]>;
  };
  /** Admin sign-in sessions (migration 0002). */
  sessions: SessionsRepo;
  /** Managers' reports. */
  orgChart: OrgChartRepo;
  /** Directory API and SCIM reads: keyset pages, SCIM filters, groups with members. */
  directoryReads: DirectoryReadsRepo;
  outbox: {
    /** False when `dedupeKey` was already enqueued for this tenant. */
    enqueue(m: {
      id: string;
      tenantId: string;
      to: string;
      subject: string;
      body: string;
      reason: string;
      dedupeKey?: string;
    }): Promise<boolean>;
    /** Oldest first, every tenant. */
    listPending(limit: number): Promise<OutboxRecord[]>;
    markSent(id: string, at: Date): Promise<void>;
    /** Terminal: a failed message is not picked up again by `listPending`. */
    markFailed(id: string, error: string): Promise<void>;
    /** Newest first. */
    list(tenantId: string, q: { limit: number; offset?: number }): Promise<OutboxRecord[]>;
  };
}
