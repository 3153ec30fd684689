/** Tenants repository: companies, their sync settings, and the default gender choices of a new tenant. */
import type { Updateable } from 'kysely';
import { AppError } from '../core/errors.js';
import type { StoreContext } from './context.js';
import { iso, transact, uniqueViolation } from './context.js';
import { tenantFromRow } from './rows.js';
import type { TenantsRow } from './schema.js';
import type { Store, TenantPatch } from './store.js';
import type { Tenant } from './types.js';

/** Every new tenant can pick these; admins add more (Personio also has `diverse`, `undefined`). */
export const defaultGenderChoices = ['female', 'male'] as const;

const notFound = (id: string): AppError =>
  new AppError('not_found', `Tenant '${id}' does not exist: check the tenant id or slug.`);

export const tenantsRepo = (ctx: StoreContext): Store['tenants'] => {
  const get = async (id: string): Promise<Tenant | undefined> => {
    const row = await ctx.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && tenantFromRow(row);
  };

  return {
    async create(i) {
      const now = iso(ctx.clock.now());
      try {
        await transact(ctx, async (w) => {
          await w.db
            .insertInto('tenants')
            .values({
              id: i.id,
              slug: i.slug,
              name: i.name,
              timezone: i.timezone ?? 'UTC',
              sync_cron: '0 6 * * *',
              leaver_policy: 'deactivate',
              deletion_threshold: 0.1,
              allow_manual_users: false,
              technical_user_email: null,
              notification_recipients: '[]',
              disabled: false,
              created_at: now,
              updated_at: now,
            })
            .execute();
          await w.db
            .insertInto('gender_choices')
            .values(defaultGenderChoices.map((value, seq) => ({ tenant_id: i.id, value, seq })))
            .execute();
        });
      } catch (error) {
        const hit = uniqueViolation(error);
        if (hit === undefined) throw error;
        const what = hit.includes('slug') ? `slug '${i.slug}'` : `id '${i.id}'`;
        throw new AppError('conflict', `A tenant with ${what} already exists: choose another one.`, {
          cause: error,
        });
      }
      const created = await get(i.id);
      if (!created) throw notFound(i.id);
      return created;
    },

    get,

    async getBySlug(slug) {
      const row = await ctx.db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row && tenantFromRow(row);
    },

    async list() {
      const rows = await ctx.db
        .selectFrom('tenants')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(tenantFromRow);
    },

    async update(id, patch: TenantPatch) {
      const set: Updateable<TenantsRow> = { updated_at: iso(ctx.clock.now()) };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.disabled !== undefined) set.disabled = patch.disabled;
      if (patch.timezone !== undefined) set.timezone = patch.timezone;
      if (patch.syncCron !== undefined) set.sync_cron = patch.syncCron;
      if (patch.leaverPolicy !== undefined) set.leaver_policy = patch.leaverPolicy;
      if (patch.deletionThreshold !== undefined) set.deletion_threshold = patch.deletionThreshold;
      if (patch.allowManualUsers !== undefined) set.allow_manual_users = patch.allowManualUsers;
      if (patch.technicalUserEmail !== undefined) set.technical_user_email = patch.technicalUserEmail;
      if (patch.notificationRecipients !== undefined) {
        set.notification_recipients = JSON.stringify(patch.notificationRecipients);
      }
      const result = await ctx.db.updateTable('tenants').set(set).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw notFound(id);
      const updated = await get(id);
      if (!updated) throw notFound(id);
      return updated;
    },
  };
};
