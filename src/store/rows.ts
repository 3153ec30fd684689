/** Row → domain mappers: snake_case rows, 0/1 booleans and JSON text become the camelCase types of types.ts. */
import type { Selectable } from 'kysely';
import type {
  FieldChange,
  IssueCode,
  LeaverPolicy,
  ManagedField,
  PersonAttributes,
  PlanCounts,
  SyncMode,
} from '../core/model.js';
import { personFields } from '../core/model.js';
import type {
  AdminsRow,
  ApiKeysRow,
  AuditLogRow,
  IntegrationsRow,
  OutboxRow,
  RunItemsRow,
  SyncRunsRow,
  TenantsRow,
  UsersRow,
} from './schema.js';
import { userColumns } from './schema.js';
import type {
  AdminRecord,
  AdminRole,
  ApiKeyRecord,
  AuditRecord,
  IntegrationRecord,
  IntegrationStatus,
  OutboxRecord,
  OutboxStatus,
  RunItem,
  RunItemAction,
  RunRecord,
  RunStatus,
  RunTrigger,
  Tenant,
  UserRecord,
} from './types.js';

/** 0/1 from SQLite, true/false from PostgreSQL. */
export const bool = (v: boolean | number | bigint | string): boolean =>
  v === true || v === 1 || v === 1n || v === '1' || v === 't';

const json = <T>(text: string | null): T => JSON.parse(text ?? 'null') as T;

export const tenantFromRow = (r: Selectable<TenantsRow>): Tenant => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  disabled: bool(r.disabled),
  createdAt: r.created_at,
  timezone: r.timezone,
  syncCron: r.sync_cron,
  leaverPolicy: r.leaver_policy as LeaverPolicy,
  deletionThreshold: Number(r.deletion_threshold),
  allowManualUsers: bool(r.allow_manual_users),
  technicalUserEmail: r.technical_user_email,
  notificationRecipients: json<string[]>(r.notification_recipients),
});

export const attributesFromRow = (r: Selectable<UsersRow>): PersonAttributes => {
  const out: Record<string, string | null> = {};
  for (const field of personFields) out[field] = r[userColumns[field]];
  return out as PersonAttributes;
};

export const userFromRow = (r: Selectable<UsersRow>, groupIds: readonly string[]): UserRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  attributes: attributesFromRow(r),
  active: bool(r.active),
  managerId: r.manager_id,
  integrationId: r.integration_id,
  sourceId: r.source_id,
  groupIds,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const integrationFromRow = (r: Selectable<IntegrationsRow>): IntegrationRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  provider: r.provider,
  status: r.status as IntegrationStatus,
  credentialsCiphertext: r.credentials_ciphertext,
  configuredFields: json<string[]>(r.configured_fields),
  publicConfig: json<Record<string, string>>(r.public_config),
  webhookTokenHash: r.webhook_token_hash,
  managedFields: json<ManagedField[]>(r.managed_fields),
  failureStreak: Number(r.failure_streak),
  quarantinedUntil: r.quarantined_until,
  lastRunAt: r.last_run_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const runFromRow = (r: Selectable<SyncRunsRow>): RunRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  integrationId: r.integration_id,
  provider: r.provider,
  mode: r.mode as SyncMode,
  trigger: r.trigger as RunTrigger,
  status: r.status as RunStatus,
  dryRun: bool(r.dry_run),
  counts: json<PlanCounts>(r.counts),
  message: r.message,
  errorCode: r.error_code,
  guard: json<Record<string, unknown> | null>(r.guard),
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export const runItemFromRow = (r: Selectable<RunItemsRow>): RunItem & { id: number } => ({
  id: Number(r.id),
  action: r.action as RunItemAction,
  userId: r.user_id,
  sourceId: r.source_id,
  record: r.record,
  email: r.email,
  changes: json<FieldChange[]>(r.changes),
  code: r.code as IssueCode | null,
  field: r.field,
  message: r.message,
});

export const auditFromRow = (r: Selectable<AuditLogRow>): AuditRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  userId: r.user_id,
  runId: r.run_id,
  actor: r.actor,
  action: r.action as AuditRecord['action'],
  changes: json<FieldChange[]>(r.changes),
  at: r.at,
});

export const apiKeyFromRow = (r: Selectable<ApiKeysRow>): ApiKeyRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  scopes: json<string[]>(r.scopes),
  keyHash: r.key_hash,
  prefix: r.prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

export const adminFromRow = (r: Selectable<AdminsRow>): AdminRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  passwordHash: r.password_hash,
  role: r.role as AdminRole,
  createdAt: r.created_at,
});

export const outboxFromRow = (r: Selectable<OutboxRow>): OutboxRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  to: r.recipient,
  subject: r.subject,
  body: r.body,
  reason: r.reason,
  dedupeKey: r.dedupe_key,
  status: r.status as OutboxStatus,
  attempts: Number(r.attempts),
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});
