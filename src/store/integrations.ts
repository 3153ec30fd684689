/** Integrations repository: the tenant's HR source, its encrypted credentials, webhook hash and health. */
import type { Updateable } from 'kysely';
import { AppError } from '../core/errors.js';
import type { StoreContext } from './context.js';
import { iso, transact, uniqueViolation } from './context.js';
import { integrationFromRow } from './rows.js';
import type { IntegrationsRow } from './schema.js';
import type { IntegrationPatch, Store } from './store.js';
import type { IntegrationRecord } from './types.js';

const notFound = (id: string): AppError =>
  new AppError(
    'not_found',
    `Integration '${id}' does not exist in this tenant: list the integrations and retry.`,
  );

export const integrationsRepo = (ctx: StoreContext): Store['integrations'] => {
  const get = async (tenantId: string, id: string): Promise<IntegrationRecord | undefined> => {
    const row = await ctx.db
      .selectFrom('integrations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && integrationFromRow(row);
  };

  const getOrThrow = async (tenantId: string, id: string): Promise<IntegrationRecord> => {
    const found = await get(tenantId, id);
    if (!found) throw notFound(id);
    return found;
  };

  return {
    async create(i) {
      const now = iso(ctx.clock.now());
      try {
        await ctx.db
          .insertInto('integrations')
          .values({
            id: i.id,
            tenant_id: i.tenantId,
            provider: i.provider,
            status: 'active',
            credentials_ciphertext: i.credentialsCiphertext,
            configured_fields: JSON.stringify(i.configuredFields),
            public_config: JSON.stringify(i.publicConfig),
            webhook_token_hash: i.webhookTokenHash,
            managed_fields: JSON.stringify(i.managedFields),
            failure_streak: 0,
            quarantined_until: null,
            last_run_at: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
      } catch (error) {
        const hit = uniqueViolation(error);
        if (hit === undefined) throw error;
        const message = hit.includes('webhook')
          ? 'This webhook token is already in use: generate a new one and retry.'
          : hit.includes('tenant')
            ? 'This tenant already has an active HR integration: disconnect it before connecting another one.'
            : `Integration '${i.id}' already exists.`;
        throw new AppError('conflict', message, { cause: error });
      }
      return getOrThrow(i.tenantId, i.id);
    },

    get,

    async getActive(tenantId) {
      const row = await ctx.db
        .selectFrom('integrations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return row && integrationFromRow(row);
    },

    async list(tenantId) {
      const rows = await ctx.db
        .selectFrom('integrations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(integrationFromRow);
    },

    async listActive() {
      const rows = await ctx.db
        .selectFrom('integrations')
        .selectAll()
        .where('status', '=', 'active')
        .orderBy('tenant_id')
        .execute();
      return rows.map(integrationFromRow);
    },

    async findByWebhookTokenHash(hash) {
      const row = await ctx.db
        .selectFrom('integrations')
        .selectAll()
        .where('webhook_token_hash', '=', hash)
        .executeTakeFirst();
      return row && integrationFromRow(row);
    },

    async update(tenantId, id, patch: IntegrationPatch) {
      const set: Updateable<IntegrationsRow> = { updated_at: iso(ctx.clock.now()) };
      if (patch.credentialsCiphertext !== undefined) set.credentials_ciphertext = patch.credentialsCiphertext;
      if (patch.configuredFields !== undefined)
        set.configured_fields = JSON.stringify(patch.configuredFields);
      if (patch.publicConfig !== undefined) set.public_config = JSON.stringify(patch.publicConfig);
      if (patch.webhookTokenHash !== undefined) set.webhook_token_hash = patch.webhookTokenHash;
      if (patch.managedFields !== undefined) set.managed_fields = JSON.stringify(patch.managedFields);
      if (patch.failureStreak !== undefined) set.failure_streak = patch.failureStreak;
      if (patch.quarantinedUntil !== undefined) set.quarantined_until = patch.quarantinedUntil;
      if (patch.lastRunAt !== undefined) set.last_run_at = patch.lastRunAt;
      try {
        const result = await ctx.db
          .updateTable('integrations')
          .set(set)
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) throw notFound(id);
      } catch (error) {
        if (uniqueViolation(error) === undefined) throw error;
        throw new AppError(
          'conflict',
          'This webhook token is already in use: generate a new one and retry.',
          {
            cause: error,
          },
        );
      }
      return getOrThrow(tenantId, id);
    },

    async disconnect(tenantId, id) {
      const unlinkedUsers = await transact(ctx, async (w) => {
        const result = await w.db
          .updateTable('integrations')
          .set({
            status: 'disconnected',
            credentials_ciphertext: null,
            webhook_token_hash: null,
            updated_at: iso(ctx.clock.now()),
          })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) throw notFound(id);
        // Only the link goes: attributes, status and updated_at stay exactly as they were (seeds: People HR).
        const unlinked = await w.db
          .updateTable('users')
          .set({ integration_id: null, source_id: null })
          .where('tenant_id', '=', tenantId)
          .where('integration_id', '=', id)
          .executeTakeFirst();
        w.rows(unlinked.numUpdatedRows);
        return Number(unlinked.numUpdatedRows);
      });
      return { unlinkedUsers };
    },
  };
};
