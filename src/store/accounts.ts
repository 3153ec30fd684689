/** Who may use rostersync: admins (case-insensitive email per tenant) and hashed API keys. */
import { AppError } from '../core/errors.js';
import type { StoreContext } from './context.js';
import { iso, normalizeEmail, uniqueViolation } from './context.js';
import { adminFromRow, apiKeyFromRow } from './rows.js';
import type { Store } from './store.js';

export const apiKeysRepo = (ctx: StoreContext): Store['apiKeys'] => ({
  async create(i) {
    const row = {
      id: i.id,
      tenant_id: i.tenantId,
      name: i.name,
      scopes: JSON.stringify(i.scopes),
      key_hash: i.keyHash,
      prefix: i.prefix,
      created_at: iso(ctx.clock.now()),
      revoked_at: null,
      last_used_at: null,
    };
    try {
      await ctx.db.insertInto('api_keys').values(row).execute();
    } catch (error) {
      if (uniqueViolation(error) === undefined) throw error;
      // A prefix collision is astronomically rare with random keys: generating a new key resolves it.
      throw new AppError(
        'conflict',
        'An API key with this prefix or id already exists: generate a new key.',
        {
          cause: error,
        },
      );
    }
    return apiKeyFromRow(row);
  },

  async findByPrefix(prefix) {
    const row = await ctx.db
      .selectFrom('api_keys')
      .selectAll()
      .where('prefix', '=', prefix)
      .executeTakeFirst();
    return row && apiKeyFromRow(row);
  },

  async list(tenantId) {
    const rows = await ctx.db
      .selectFrom('api_keys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(apiKeyFromRow);
  },

  async revoke(tenantId, id) {
    const result = await ctx.db
      .updateTable('api_keys')
      .set({ revoked_at: iso(ctx.clock.now()) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async touch(id, at) {
    await ctx.db
      .updateTable('api_keys')
      .set({ last_used_at: iso(at) })
      .where('id', '=', id)
      .execute();
  },
});

export const adminsRepo = (ctx: StoreContext): Store['admins'] => ({
  async create(i) {
    const row = {
      id: i.id,
      tenant_id: i.tenantId,
      email: i.email.trim(),
      email_normalized: normalizeEmail(i.email),
      password_hash: i.passwordHash,
      role: i.role,
      created_at: iso(ctx.clock.now()),
    };
    try {
      await ctx.db.insertInto('admins').values(row).execute();
    } catch (error) {
      const hit = uniqueViolation(error);
      if (hit === undefined) throw error;
      const message = hit.includes('email')
        ? `This tenant already has an admin with the email ${row.email}: sign in with it or choose another email.`
        : `Admin '${i.id}' already exists.`;
      throw new AppError('conflict', message, { cause: error });
    }
    return adminFromRow(row);
  },

  async findByEmail(tenantId, email) {
    const row = await ctx.db
      .selectFrom('admins')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('email_normalized', '=', normalizeEmail(email))
      .executeTakeFirst();
    return row && adminFromRow(row);
  },

  async findByEmailAnyTenant(email) {
    const rows = await ctx.db
      .selectFrom('admins')
      .selectAll()
      .where('email_normalized', '=', normalizeEmail(email))
      .orderBy('tenant_id')
      .execute();
    return rows.map(adminFromRow);
  },

  async list(tenantId) {
    const rows = await ctx.db
      .selectFrom('admins')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('email_normalized')
      .execute();
    return rows.map(adminFromRow);
  },
});
