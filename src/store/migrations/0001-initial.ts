/** Migration 0001: every table of the store, the same DDL on SQLite and PostgreSQL except column types. */
import { sql } from 'kysely';
import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Dialect } from '../types.js';

type Table = CreateTableBuilder<string, string>;

/** Builds the migration for one dialect: booleans and serial ids are the only types that differ. */
export const initialMigration = (dialect: Dialect) => {
  const bool = dialect === 'sqlite' ? 'integer' : 'boolean';
  const text = (t: Table, ...names: string[]): Table => names.reduce((acc, n) => acc.addColumn(n, 'text'), t);
  const requiredText = (t: Table, ...names: string[]): Table =>
    names.reduce((acc, n) => acc.addColumn(n, 'text', (c) => c.notNull()), t);
  const tenantColumn = (t: Table): Table =>
    t.addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'));

  const createAll = async (db: Kysely<unknown>): Promise<void> => {
    const s = db.schema;
    let t: Table;

    t = s.createTable('tenants').addColumn('id', 'text', (c) => c.primaryKey());
    t = requiredText(t, 'slug', 'name', 'timezone', 'sync_cron', 'leaver_policy');
    t = t.addColumn('deletion_threshold', 'double precision', (c) => c.notNull());
    t = t.addColumn('allow_manual_users', bool, (c) => c.notNull());
    t = text(t, 'technical_user_email');
    t = requiredText(t, 'notification_recipients');
    t = t.addColumn('disabled', bool, (c) => c.notNull());
    t = requiredText(t, 'created_at', 'updated_at');
    await t.addUniqueConstraint('tenants_slug_uq', ['slug']).execute();

    t = tenantColumn(s.createTable('users').addColumn('id', 'text', (c) => c.primaryKey()));
    t = text(t, 'email', 'email_normalized', 'first_name', 'last_name', 'birth_date', 'gender');
    t = text(t, 'employee_number', 'job_title', 'department', 'location', 'phone_number', 'contract_type');
    t = text(t, 'first_hired_on', 'current_hired_on', 'leaving_date');
    t = t.addColumn('active', bool, (c) => c.notNull());
    // Deleting a manager leaves her reports without one (ARCHITECTURE: delete cascades, reports keep existing).
    t = t.addColumn('manager_id', 'text', (c) => c.references('users.id').onDelete('set null'));
    t = text(t, 'integration_id', 'source_id');
    await requiredText(t, 'created_at', 'updated_at').execute();
    await s
      .createIndex('users_tenant_email_uq')
      .unique()
      .on('users')
      .columns(['tenant_id', 'email_normalized'])
      .execute();
    // NULLs are distinct in unique indexes on both databases, so unlinked users never collide.
    await s
      .createIndex('users_tenant_link_uq')
      .unique()
      .on('users')
      .columns(['tenant_id', 'integration_id', 'source_id'])
      .execute();
    await s.createIndex('users_tenant_id_idx').on('users').columns(['tenant_id', 'id']).execute();
    await s
      .createIndex('users_tenant_updated_idx')
      .on('users')
      .columns(['tenant_id', 'updated_at'])
      .execute();
    await s
      .createIndex('users_tenant_department_idx')
      .on('users')
      .columns(['tenant_id', 'department'])
      .execute();
    // ON DELETE SET NULL scans reports by manager_id: without this index each delete is a full scan.
    await s.createIndex('users_manager_idx').on('users').column('manager_id').execute();

    t = tenantColumn(s.createTable('groups').addColumn('id', 'text', (c) => c.primaryKey()));
    await requiredText(t, 'name', 'created_at', 'updated_at').execute();
    await s.createIndex('groups_tenant_idx').on('groups').columns(['tenant_id', 'created_at']).execute();

    t = tenantColumn(s.createTable('memberships'));
    t = t.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'));
    t = t.addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'));
    t = requiredText(t, 'created_at');
    await t.addPrimaryKeyConstraint('memberships_pk', ['user_id', 'group_id']).execute();
    await s.createIndex('memberships_group_idx').on('memberships').column('group_id').execute();
    // (tenant, user, group) rather than tenant alone: a page of users then reads only its own memberships.
    await s
      .createIndex('memberships_tenant_user_idx')
      .on('memberships')
      .columns(['tenant_id', 'user_id', 'group_id'])
      .execute();

    for (const name of ['departments', 'positions', 'locations'] as const) {
      t = requiredText(tenantColumn(s.createTable(name)), 'name', 'name_normalized', 'created_at');
      if (name === 'positions') t = requiredText(text(t, 'code', 'department'), 'updated_at');
      await t.addPrimaryKeyConstraint(`${name}_pk`, ['tenant_id', 'name_normalized']).execute();
    }

    t = requiredText(tenantColumn(s.createTable('gender_choices')), 'value');
    t = t.addColumn('seq', 'integer', (c) => c.notNull());
    await t.addPrimaryKeyConstraint('gender_choices_pk', ['tenant_id', 'value']).execute();

    t = tenantColumn(s.createTable('integrations').addColumn('id', 'text', (c) => c.primaryKey()));
    t = requiredText(t, 'provider', 'status');
    t = text(t, 'credentials_ciphertext');
    t = requiredText(t, 'configured_fields', 'public_config');
    t = text(t, 'webhook_token_hash');
    t = requiredText(t, 'managed_fields');
    t = t.addColumn('failure_streak', 'integer', (c) => c.notNull());
    t = text(t, 'quarantined_until', 'last_run_at');
    await requiredText(t, 'created_at', 'updated_at').execute();
    await s.createIndex('integrations_tenant_idx').on('integrations').column('tenant_id').execute();
    // The rule "at most one active user source per tenant" lives in the database, not in a race-prone check.
    await s
      .createIndex('integrations_one_active_uq')
      .unique()
      .on('integrations')
      .column('tenant_id')
      .where(sql.ref('status'), '=', 'active')
      .execute();
    await s
      .createIndex('integrations_webhook_uq')
      .unique()
      .on('integrations')
      .column('webhook_token_hash')
      .execute();
    await s.createIndex('integrations_status_idx').on('integrations').column('status').execute();

    t = tenantColumn(s.createTable('sync_runs').addColumn('id', 'text', (c) => c.primaryKey()));
    t = text(t, 'integration_id');
    t = requiredText(t, 'provider', 'mode', 'trigger', 'status');
    t = t.addColumn('dry_run', bool, (c) => c.notNull());
    t = requiredText(t, 'counts');
    t = text(t, 'message', 'error_code', 'guard');
    await text(requiredText(t, 'started_at'), 'finished_at').execute();
    await s
      .createIndex('sync_runs_tenant_idx')
      .on('sync_runs')
      .columns(['tenant_id', 'started_at'])
      .execute();
    await s
      .createIndex('sync_runs_integration_idx')
      .on('sync_runs')
      .columns(['tenant_id', 'integration_id', 'started_at'])
      .execute();
    await s.createIndex('sync_runs_status_idx').on('sync_runs').column('status').execute();

    // High-volume tables (items, plans, audit) carry tenant_id without a foreign key: cheaper bulk inserts.
    t = s
      .createTable('run_items')
      .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigserial', (c) => c.primaryKey());
    t = requiredText(t, 'tenant_id', 'run_id', 'action');
    t = text(t, 'user_id', 'source_id');
    t = requiredText(t, 'record');
    t = text(t, 'email');
    t = requiredText(t, 'changes');
    await text(t, 'code', 'field', 'message').execute();
    await s.createIndex('run_items_run_idx').on('run_items').columns(['tenant_id', 'run_id', 'id']).execute();

    t = s.createTable('run_plans').addColumn('run_id', 'text', (c) => c.primaryKey());
    await requiredText(t, 'tenant_id', 'plan_json', 'created_at').execute();

    t = s.createTable('sync_leases').addColumn('integration_id', 'text', (c) => c.primaryKey());
    t = text(t, 'owner').addColumn('token', 'integer', (c) => c.notNull());
    await requiredText(t, 'expires_at', 'acquired_at').execute();

    t = s.createTable('audit_log').addColumn('id', 'text', (c) => c.primaryKey());
    t = requiredText(t, 'tenant_id', 'user_id');
    t = text(t, 'run_id');
    await requiredText(t, 'actor', 'action', 'changes', 'at').execute();
    await s.createIndex('audit_log_tenant_idx').on('audit_log').columns(['tenant_id', 'at']).execute();
    await s
      .createIndex('audit_log_user_idx')
      .on('audit_log')
      .columns(['tenant_id', 'user_id', 'at'])
      .execute();
    await s.createIndex('audit_log_run_idx').on('audit_log').columns(['tenant_id', 'run_id']).execute();

    t = tenantColumn(s.createTable('api_keys').addColumn('id', 'text', (c) => c.primaryKey()));
    t = requiredText(t, 'name', 'scopes', 'key_hash', 'prefix', 'created_at');
    await text(t, 'revoked_at', 'last_used_at').execute();
    await s.createIndex('api_keys_prefix_uq').unique().on('api_keys').column('prefix').execute();
    await s.createIndex('api_keys_tenant_idx').on('api_keys').column('tenant_id').execute();

    t = tenantColumn(s.createTable('admins').addColumn('id', 'text', (c) => c.primaryKey()));
    await requiredText(t, 'email', 'email_normalized', 'password_hash', 'role', 'created_at').execute();
    await s
      .createIndex('admins_tenant_email_uq')
      .unique()
      .on('admins')
      .columns(['tenant_id', 'email_normalized'])
      .execute();
    await s.createIndex('admins_email_idx').on('admins').column('email_normalized').execute();

    t = tenantColumn(s.createTable('outbox').addColumn('id', 'text', (c) => c.primaryKey()));
    t = requiredText(t, 'recipient', 'subject', 'body', 'reason');
    t = requiredText(text(t, 'dedupe_key'), 'status');
    t = t.addColumn('attempts', 'integer', (c) => c.notNull());
    t = text(t, 'last_error');
    await text(requiredText(t, 'created_at'), 'sent_at').execute();
    await s
      .createIndex('outbox_dedupe_uq')
      .unique()
      .on('outbox')
      .columns(['tenant_id', 'dedupe_key'])
      .execute();
    await s.createIndex('outbox_status_idx').on('outbox').columns(['status', 'created_at']).execute();
    await s.createIndex('outbox_tenant_idx').on('outbox').columns(['tenant_id', 'created_at']).execute();
  };

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // Kysely runs PostgreSQL migrations in a transaction but not SQLite ones (it reports no
      // transactional DDL there); SQLite has it, so a crash mid-migration cannot leave half a schema.
      if (dialect === 'sqlite') await db.transaction().execute(createAll);
      else await createAll(db);
    },
  };
};
