/** The store's public contract: what the engine, server and CLI may ask of the database (SQLite or PostgreSQL). */
import type {
  FieldChange,
  Group,
  IssueCode,
  LeaverPolicy,
  ManagedField,
  PersonAttributes,
  PlanCounts,
  ReferenceKind,
  ReferenceLists,
  SyncMode,
  UserAction,
} from '../core/model.js';

export type Dialect = 'sqlite' | 'postgres';

export interface TenantSettings {
  readonly timezone: string; // IANA, default 'UTC'
  readonly syncCron: string; // croner expression in the tenant's zone, default '0 6 * * *'
  readonly leaverPolicy: LeaverPolicy; // default 'deactivate'
  readonly deletionThreshold: number; // 0..1, default 0.1
  readonly allowManualUsers: boolean; // default false
  readonly technicalUserEmail: string | null;
  readonly notificationRecipients: readonly string[];
}

export interface Tenant extends TenantSettings {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly disabled: boolean;
  readonly createdAt: string; // ISO timestamp
}

/** A directory user as stored (domain shape, camelCase). */
export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly attributes: PersonAttributes;
  readonly active: boolean;
  readonly managerId: string | null;
  readonly integrationId: string | null;
  readonly sourceId: string | null;
  readonly groupIds: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Everything the planner needs about one tenant's directory, loaded in a few bulk queries. */
export interface DirectorySnapshot {
  readonly users: readonly UserRecord[];
  readonly groups: readonly Group[];
  readonly references: ReferenceLists;
  readonly genderChoices: readonly string[];
  /** Emails of the tenant's admins: their users are protected from deactivation/deletion. */
  readonly adminEmails: readonly string[];
}

export const integrationStatuses = ['active', 'disconnected'] as const;
export type IntegrationStatus = (typeof integrationStatuses)[number];

export interface IntegrationRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly provider: string;
  readonly status: IntegrationStatus;
  /** AES-256-GCM ciphertext (engine/credentials.ts), bound to the integration id. Null after disconnect. */
  readonly credentialsCiphertext: string | null;
  /** Which config keys are set (never their values). */
  readonly configuredFields: readonly string[];
  /** Non-secret settings shown back to admins (e.g. KiwiHR URL). */
  readonly publicConfig: Readonly<Record<string, string>>;
  /** sha256 of the webhook token; null when the provider has no webhooks or after disconnect. */
  readonly webhookTokenHash: string | null;
  /** The managed fields of the last successful roster (file uploads depend on the columns). */
  readonly managedFields: readonly ManagedField[];
  /** Consecutive failed runs (failure streak; 0 after a success). */
  readonly failureStreak: number;
  readonly quarantinedUntil: string | null;
  readonly lastRunAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const runStatuses = [
  'queued',
  'running',
  'succeeded', // applied, no record errors
  'partial', // applied, some records quarantined as errors
  'failed', // nothing applied (fetch failed, bad file, bug)
  'blocked', // guard stopped it; the plan is stored until an admin confirms
  'dry_run', // plan computed, nothing applied
  'interrupted', // the process died or lost its lease mid-run; the next run converges
  'cancelled', // a blocked run superseded by a later run, or discarded
] as const;
export type RunStatus = (typeof runStatuses)[number];

export const runTriggers = ['schedule', 'manual', 'connect', 'webhook', 'upload', 'confirm', 'cli'] as const;
export type RunTrigger = (typeof runTriggers)[number];

export interface RunRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly integrationId: string | null;
  readonly provider: string;
  readonly mode: SyncMode;
  readonly trigger: RunTrigger;
  readonly status: RunStatus;
  readonly dryRun: boolean;
  readonly counts: PlanCounts;
  /** For failed/blocked runs: what happened, for admins. */
  readonly message: string | null;
  readonly errorCode: string | null;
  /** For blocked runs: the numbers that blocked it. */
  readonly guard: Readonly<Record<string, unknown>> | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

export interface NewRun {
  readonly id: string;
  readonly tenantId: string;
  readonly integrationId: string | null;
  readonly provider: string;
  readonly mode: SyncMode;
  readonly trigger: RunTrigger;
  readonly dryRun: boolean;
}

export type RunItemAction = UserAction | 'error' | 'warning';

/** One line of a run's report: a user change with its field diff, or a record error/warning. */
export interface RunItem {
  readonly action: RunItemAction;
  readonly userId: string | null;
  readonly sourceId: string | null;
  /** Record locator: `row 12`, `employee 42`, or the email. */
  readonly record: string;
  readonly email: string | null;
  readonly changes: readonly FieldChange[];
  readonly code: IssueCode | null;
  readonly field: string | null;
  readonly message: string | null;
}

export interface AuditEntry {
  readonly userId: string;
  readonly runId: string | null;
  /** `run` for syncs, `admin:<email>`, `api:<key name>`, `cli`. */
  readonly actor: string;
  readonly action: UserAction | 'edit';
  readonly changes: readonly FieldChange[];
}

export interface AuditRecord extends AuditEntry {
  readonly id: string;
  readonly tenantId: string;
  readonly at: string;
}

/** A lease token proves the holder still owns the integration's apply slot (fencing, docs/adr). */
export interface Fence {
  readonly integrationId: string;
  readonly owner: string;
  readonly token: number;
}

/** One batch of writes, applied in one transaction after checking the fence. All lists optional. */
export interface ApplyOps {
  readonly tenantId: string;
  readonly runId: string | null;
  readonly references?: readonly { readonly kind: ReferenceKind; readonly names: readonly string[] }[];
  readonly groups?: readonly Group[];
  readonly createUsers?: readonly {
    readonly id: string;
    readonly attributes: PersonAttributes;
    readonly active: boolean;
    readonly integrationId: string | null;
    readonly sourceId: string | null;
    /** The manager, when that user exists before this batch: one write instead of insert + `setManagers`. */
    readonly managerId?: string | null;
  }[];
  /** Only the listed keys change; `attributes` is a partial patch. */
  readonly updateUsers?: readonly {
    readonly id: string;
    readonly attributes?: Partial<PersonAttributes>;
    readonly active?: boolean;
    readonly link?: { readonly integrationId: string | null; readonly sourceId: string | null };
  }[];
  readonly setManagers?: readonly { readonly userId: string; readonly managerId: string | null }[];
  readonly deleteUsers?: readonly string[];
  readonly addMemberships?: readonly { readonly userId: string; readonly groupId: string }[];
  readonly removeMemberships?: readonly { readonly userId: string; readonly groupId: string }[];
  readonly runItems?: readonly RunItem[];
  readonly audit?: readonly AuditEntry[];
}

/** Counters the store keeps so tests can prove "nothing written" by counting, not timing. */
export interface WriteStats {
  /** Rows inserted/updated/deleted in directory tables (users, groups, memberships, references). */
  directoryRows: number;
  transactions: number;
  /** SQL statements sent to the database (queries and writes; not BEGIN/COMMIT). */
  statements: number;
}

/** An API key as stored: only its hash and display prefix, never the key itself. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly scopes: readonly string[];
  /** sha256 of the full key. */
  readonly keyHash: string;
  /** The first characters of the key, unique across tenants: the lookup key at authentication. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

export const adminRoles = ['admin', 'viewer'] as const;
export type AdminRole = (typeof adminRoles)[number];

/** A company manager who signs in to the admin UI. */
export interface AdminRecord {
  readonly id: string;
  readonly tenantId: string;
  /** As entered; compared case-insensitively. */
  readonly email: string;
  readonly passwordHash: string;
  readonly role: AdminRole;
  readonly createdAt: string;
}

export const outboxStatuses = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** A notification email waiting to be sent (or sent, or failed). */
export interface OutboxRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  /** Why it was sent: `run_failed`, `run_recovered`, `run_blocked`, ... */
  readonly reason: string;
  /** Unique per tenant when set: enqueueing the same key twice sends once. */
  readonly dedupeKey: string | null;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}
