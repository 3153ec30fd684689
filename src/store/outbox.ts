/** Notification outbox and audit log reads: rows written once, read in pages. */
import type { StoreContext } from './context.js';
import { iso } from './context.js';
import { auditFromRow, outboxFromRow } from './rows.js';
import type { Store } from './store.js';

export const outboxRepo = (ctx: StoreContext): Store['outbox'] => ({
  async enqueue(m) {
    // (tenant_id, dedupe_key) is unique: "notify once per failure streak" holds across processes.
    const result = await ctx.db
      .insertInto('outbox')
      .values({
        id: m.id,
        tenant_id: m.tenantId,
        recipient: m.to,
        subject: m.subject,
        body: m.body,
        reason: m.reason,
        dedupe_key: m.dedupeKey ?? null,
        status: 'pending',
        attempts: 0,
        last_error: null,
        created_at: iso(ctx.clock.now()),
        sent_at: null,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  },

  async listPending(limit) {
    const rows = await ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(outboxFromRow);
  },

  async markSent(id, at) {
    await ctx.db
      .updateTable('outbox')
      .set((eb) => ({ status: 'sent', sent_at: iso(at), attempts: eb('attempts', '+', 1), last_error: null }))
      .where('id', '=', id)
      .execute();
  },

  async markFailed(id, error) {
    await ctx.db
      .updateTable('outbox')
      .set((eb) => ({ status: 'failed', attempts: eb('attempts', '+', 1), last_error: error.slice(0, 2000) }))
      .where('id', '=', id)
      .execute();
  },

  async list(tenantId, q) {
    let query = ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit);
    if (q.offset !== undefined && q.offset > 0) query = query.offset(q.offset);
    return (await query.execute()).map(outboxFromRow);
  },
});

export const auditRepo = (ctx: StoreContext): Store['audit'] => ({
  async list(tenantId, q) {
    let query = ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit);
    if (q.userId !== undefined) query = query.where('user_id', '=', q.userId);
    if (q.runId !== undefined) query = query.where('run_id', '=', q.runId);
    if (q.offset !== undefined && q.offset > 0) query = query.offset(q.offset);
    return (await query.execute()).map(auditFromRow);
  },
});
