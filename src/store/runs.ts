/** Sync runs repository: run lifecycle, per-record items (bulk), and the stored plan of blocked runs. */
import { emptyCounts } from '../core/model.js';
import { AppError } from '../core/errors.js';
import type { StoreContext, Work } from './context.js';
import { chunk, iso, rowsPerStatement, transact } from './context.js';
import { runFromRow, runItemFromRow } from './rows.js';
import type { Store } from './store.js';
import type { RunItem, RunRecord } from './types.js';

const itemColumns = 11;

/** Inserts run items in as few statements as the parameter limit allows (used by `apply` too). */
export const insertRunItems = async (
  w: Work,
  target: { tenantId: string; runId: string; items: readonly RunItem[] },
): Promise<void> => {
  for (const part of chunk(target.items, rowsPerStatement(w.dialect, itemColumns))) {
    await w.db
      .insertInto('run_items')
      .values(
        part.map((i) => ({
          tenant_id: target.tenantId,
          run_id: target.runId,
          action: i.action,
          user_id: i.userId,
          source_id: i.sourceId,
          record: i.record,
          email: i.email,
          changes: JSON.stringify(i.changes),
          code: i.code,
          field: i.field,
          message: i.message,
        })),
      )
      .execute();
  }
};

const notFound = (id: string): AppError =>
  new AppError('not_found', `Sync run '${id}' does not exist in this tenant: check the run id.`);

export const runsRepo = (ctx: StoreContext): Store['runs'] => {
  const byId = async (id: string): Promise<RunRecord | undefined> => {
    const row = await ctx.db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && runFromRow(row);
  };

  return {
    async create(r) {
      await ctx.db
        .insertInto('sync_runs')
        .values({
          id: r.id,
          tenant_id: r.tenantId,
          integration_id: r.integrationId,
          provider: r.provider,
          mode: r.mode,
          trigger: r.trigger,
          status: 'running',
          dry_run: r.dryRun,
          counts: JSON.stringify(emptyCounts),
          message: null,
          error_code: null,
          guard: null,
          started_at: iso(ctx.clock.now()),
          finished_at: null,
        })
        .execute();
      const created = await byId(r.id);
      if (!created) throw notFound(r.id);
      return created;
    },

    async get(tenantId, id) {
      const row = await ctx.db
        .selectFrom('sync_runs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && runFromRow(row);
    },

    async list(tenantId, q) {
      let query = ctx.db
        .selectFrom('sync_runs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.limit);
      if (q.integrationId !== undefined) query = query.where('integration_id', '=', q.integrationId);
      if (q.offset !== undefined && q.offset > 0) query = query.offset(q.offset);
      return (await query.execute()).map(runFromRow);
    },

    async finish(id, r) {
      const result = await ctx.db
        .updateTable('sync_runs')
        .set({
          status: r.status,
          counts: JSON.stringify(r.counts),
          message: r.message ?? null,
          error_code: r.errorCode ?? null,
          guard: r.guard == null ? null : JSON.stringify(r.guard),
          finished_at: iso(ctx.clock.now()),
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw notFound(id);
      const finished = await byId(id);
      if (!finished) throw notFound(id);
      return finished;
    },

    async listByStatus(status) {
      const rows = await ctx.db
        .selectFrom('sync_runs')
        .selectAll()
        .where('status', '=', status)
        .orderBy('started_at')
        .execute();
      return rows.map(runFromRow);
    },

    async addItems(tenantId, runId, items) {
      if (items.length === 0) return;
      await transact(ctx, (w) => insertRunItems(w, { tenantId, runId, items }));
    },

    async listItems(tenantId, runId, q) {
      const actions = q.action === undefined ? undefined : Array.isArray(q.action) ? q.action : [q.action];
      let base = ctx.db.selectFrom('run_items').where('tenant_id', '=', tenantId).where('run_id', '=', runId);
      if (actions !== undefined) {
        if (actions.length === 0) return { items: [], total: 0 };
        base = base.where('action', 'in', actions);
      }
      const count = await base
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      let page = base.selectAll().orderBy('id').limit(q.limit);
      if (q.offset !== undefined && q.offset > 0) page = page.offset(q.offset);
      const rows = await page.execute();
      return { items: rows.map(runItemFromRow), total: Number(count.n) };
    },

    async savePlan(tenantId, runId, planJson) {
      await ctx.db
        .insertInto('run_plans')
        .values({ run_id: runId, tenant_id: tenantId, plan_json: planJson, created_at: iso(ctx.clock.now()) })
        .onConflict((oc) =>
          oc
            .column('run_id')
            .doUpdateSet((eb) => ({
              plan_json: eb.ref('excluded.plan_json'),
              created_at: eb.ref('excluded.created_at'),
            }))
            // A run id of another tenant is never overwritten.
            .where((eb) => eb('run_plans.tenant_id', '=', eb.ref('excluded.tenant_id'))),
        )
        .execute();
    },

    async loadPlan(tenantId, runId) {
      const row = await ctx.db
        .selectFrom('run_plans')
        .select('plan_json')
        .where('tenant_id', '=', tenantId)
        .where('run_id', '=', runId)
        .executeTakeFirst();
      return row?.plan_json;
    },

    async deletePlan(runId) {
      await ctx.db.deleteFrom('run_plans').where('run_id', '=', runId).execute();
    },
  };
};
