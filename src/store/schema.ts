/** Kysely table types (snake_case rows); mapped to the domain shapes in rows.ts, never leaked past the store. */
import type { ColumnType, Generated, SqlBool } from 'kysely';
import type { PersonField } from '../core/model.js';

/** Booleans are INTEGER 0/1 on SQLite and BOOLEAN on PostgreSQL; we write JS booleans (see connect.ts). */
type Bool = ColumnType<SqlBool, boolean, boolean>;
/** bigserial comes back as a string from pg, as a number from better-sqlite3. */
type BigId = ColumnType<number | string | bigint, never, never>;

export interface TenantsRow {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  sync_cron: string;
  leaver_policy: string;
  deletion_threshold: number;
  allow_manual_users: Bool;
  technical_user_email: string | null;
  /** JSON array of emails. */
  notification_recipients: string;
  disabled: Bool;
  created_at: string;
  updated_at: string;
}

export interface UsersRow {
  id: string;
  tenant_id: string;
  email: string | null;
  /** trim + lower-case of `email`: the unique, case-insensitive key. */
  email_normalized: string | null;
  first_name: string | null;
  last_name: string | null;
  birth_date: string | null;
  gender: string | null;
  employee_number: string | null;
  job_title: string | null;
  department: string | null;
  location: string | null;
  phone_number: string | null;
  contract_type: string | null;
  first_hired_on: string | null;
  current_hired_on: string | null;
  leaving_date: string | null;
  active: Bool;
  manager_id: string | null;
  integration_id: string | null;
  source_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface GroupsRow {
  id: string;
  tenant_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface MembershipsRow {
  tenant_id: string;
  user_id: string;
  group_id: string;
  created_at: string;
}

/** departments, positions and locations share this shape; positions also use code and department. */
export interface ReferencesRow {
  tenant_id: string;
  name: string;
  name_normalized: string;
  created_at: string;
}

export interface PositionsRow extends ReferencesRow {
  code: string | null;
  department: string | null;
  updated_at: string;
}

export interface GenderChoicesRow {
  tenant_id: string;
  value: string;
  /** Keeps choices in the order they were added (female, male, then the admin's). */
  seq: number;
}

export interface IntegrationsRow {
  id: string;
  tenant_id: string;
  provider: string;
  status: string;
  credentials_ciphertext: string | null;
  /** JSON string[] */
  configured_fields: string;
  /** JSON Record<string, string> */
  public_config: string;
  webhook_token_hash: string | null;
  /** JSON ManagedField[] */
  managed_fields: string;
  failure_streak: number;
  quarantined_until: string | null;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SyncRunsRow {
  id: string;
  tenant_id: string;
  integration_id: string | null;
  provider: string;
  mode: string;
  trigger: string;
  status: string;
  dry_run: Bool;
  /** JSON PlanCounts */
  counts: string;
  message: string | null;
  error_code: string | null;
  /** JSON object or null */
  guard: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface RunItemsRow {
  id: Generated<BigId>;
  tenant_id: string;
  run_id: string;
  action: string;
  user_id: string | null;
  source_id: string | null;
  record: string;
  email: string | null;
  /** JSON FieldChange[] */
  changes: string;
  code: string | null;
  field: string | null;
  message: string | null;
}

export interface RunPlansRow {
  run_id: string;
  tenant_id: string;
  plan_json: string;
  created_at: string;
}

export interface SyncLeasesRow {
  integration_id: string;
  /** Null once released: the token stays, so the next holder's is still higher. */
  owner: string | null;
  token: number;
  expires_at: string;
  acquired_at: string;
}

export interface AuditLogRow {
  id: string;
  tenant_id: string;
  user_id: string;
  run_id: string | null;
  actor: string;
  action: string;
  /** JSON FieldChange[] */
  changes: string;
  at: string;
}

export interface ApiKeysRow {
  id: string;
  tenant_id: string;
  name: string;
  /** JSON string[] */
  scopes: string;
  key_hash: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface AdminsRow {
  id: string;
  tenant_id: string;
  email: string;
  email_normalized: string;
  password_hash: string;
  role: string;
  created_at: string;
}

export interface OutboxRow {
  id: string;
  tenant_id: string;
  /** `to` is a reserved word in SQL. */
  recipient: string;
  subject: string;
  body: string;
  reason: string;
  dedupe_key: string | null;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface Database {
  tenants: TenantsRow;
  users: UsersRow;
  groups: GroupsRow;
  memberships: MembershipsRow;
  departments: ReferencesRow;
  positions: PositionsRow;
  locations: ReferencesRow;
  gender_choices: GenderChoicesRow;
  integrations: IntegrationsRow;
  sync_runs: SyncRunsRow;
  run_items: RunItemsRow;
  run_plans: RunPlansRow;
  sync_leases: SyncLeasesRow;
  audit_log: AuditLogRow;
  api_keys: ApiKeysRow;
  admins: AdminsRow;
  outbox: OutboxRow;
}

/** Person attribute (camelCase) → users column. */
export const userColumns = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  birthDate: 'birth_date',
  gender: 'gender',
  employeeNumber: 'employee_number',
  jobTitle: 'job_title',
  department: 'department',
  location: 'location',
  phoneNumber: 'phone_number',
  contractType: 'contract_type',
  firstHiredOn: 'first_hired_on',
  currentHiredOn: 'current_hired_on',
  leavingDate: 'leaving_date',
} as const satisfies { readonly [K in PersonField]: keyof UsersRow };
