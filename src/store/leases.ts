/** Fencing leases (one per integration): who may apply, proven by a token that grows on every acquire. */
import { sql } from 'kysely';
import { AppError } from '../core/errors.js';
import type { StoreContext, Work } from './context.js';
import { iso } from './context.js';
import type { Store } from './store.js';
import type { Fence } from './types.js';

/** A released lease expires at the epoch: free for anyone, while its token row survives. */
const released = '1970-01-01T00:00:00.000Z';

const until = (now: Date, ttlMs: number): string => iso(new Date(now.getTime() + ttlMs));

/**
 * Inside a write transaction: proves `fence` still holds the lease at `now` (same owner and token, not
 * expired) and extends it by `ttlMs` when given. The UPDATE locks the lease row until COMMIT on PostgreSQL
 * (SQLite holds the database write lock), so no one can take the lease over between this check and
 * the writes that follow it. Throws `lease_lost` otherwise; the caller's transaction then rolls back.
 */
export const checkFence = async (
  w: Work,
  check: { fence: Fence; now: Date; ttlMs?: number },
): Promise<void> => {
  const { fence, now, ttlMs } = check;
  const result = await w.db
    .updateTable('sync_leases')
    .set((eb) => ({ expires_at: ttlMs === undefined ? eb.ref('expires_at') : until(now, ttlMs) }))
    .where('integration_id', '=', fence.integrationId)
    .where('owner', '=', fence.owner)
    .where('token', '=', fence.token)
    .where('expires_at', '>', iso(now))
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new AppError(
      'lease_lost',
      `The sync of integration '${fence.integrationId}' lost its lease (token ${fence.token}) to another worker or ` +
        'let it expire; nothing from this batch was written. The run holding the lease will finish the work.',
      { details: { integrationId: fence.integrationId, token: fence.token } },
    );
  }
};

export const leasesRepo = (ctx: StoreContext): Store['leases'] => ({
  async acquire(i) {
    const now = iso(i.now);
    // One atomic upsert: a new row starts at token 1; an existing one is taken over only when free or
    // expired, and its token grows, so a late writer holding the old token is fenced off.
    const row = await ctx.db
      .insertInto('sync_leases')
      .values({
        integration_id: i.integrationId,
        owner: i.owner,
        token: 1,
        expires_at: until(i.now, i.ttlMs),
        acquired_at: now,
      })
      .onConflict((oc) =>
        oc
          .column('integration_id')
          .doUpdateSet((eb) => ({
            owner: eb.ref('excluded.owner'),
            token: sql<number>`${sql.ref('sync_leases.token')} + 1`,
            expires_at: eb.ref('excluded.expires_at'),
            acquired_at: eb.ref('excluded.acquired_at'),
          }))
          .where((eb) =>
            eb.or([eb('sync_leases.owner', 'is', null), eb('sync_leases.expires_at', '<=', now)]),
          ),
      )
      .returning('token')
      .executeTakeFirst();
    return row ? { integrationId: i.integrationId, owner: i.owner, token: Number(row.token) } : null;
  },

  async renew(f, i) {
    const result = await ctx.db
      .updateTable('sync_leases')
      .set({ expires_at: until(i.now, i.ttlMs) })
      .where('integration_id', '=', f.integrationId)
      .where('owner', '=', f.owner)
      .where('token', '=', f.token)
      .where('expires_at', '>', iso(i.now))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async release(f) {
    await ctx.db
      .updateTable('sync_leases')
      .set({ owner: null, expires_at: released })
      .where('integration_id', '=', f.integrationId)
      .where('owner', '=', f.owner)
      .where('token', '=', f.token)
      .execute();
  },

  async holder(integrationId) {
    const row = await ctx.db
      .selectFrom('sync_leases')
      .select(['owner', 'token', 'expires_at'])
      .where('integration_id', '=', integrationId)
      .executeTakeFirst();
    if (!row || row.owner === null) return undefined;
    return { owner: row.owner, token: Number(row.token), expiresAt: row.expires_at };
  },
});
