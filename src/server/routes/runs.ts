/** Runs: list, show with items (filter by action), the error file (CSV), confirm a blocked run. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { confirmRun, errorFileCsv } from '../../engine/index.js';
import type { RunItemAction } from '../../store/types.js';
import type { RouteDeps } from '../deps.js';
import { adminRead, adminWrite, type Access } from '../plugins/auth.js';
import { withZod } from '../plugins/zod.js';
import { runDetail, runSummary } from '../views.js';
import { callerTenant, idParams, pagingQuery, responses, unwrap } from './common.js';

const runItemActions = [
  'create',
  'update',
  'deactivate',
  'reactivate',
  'delete',
  'unchanged',
  'error',
  'warning',
] as const satisfies readonly RunItemAction[];

/** `?action=error,warning` */
const actionList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
  )
  .pipe(z.array(z.enum(runItemActions)).min(1));

/** Upload clients follow their runs with the key they uploaded with. */
const runReadAccess: Access = { session: 'read', scopes: ['admin', 'hr-data:write'] };

export default function runRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const r = withZod(app);
  const { deps } = opts;
  const notFound = (id: string) =>
    new AppError('not_found', `Sync run '${id}' does not exist in this company: check the run id.`);

  r.get(
    '/runs',
    {
      schema: {
        tags: ['runs'],
        summary: 'Sync runs, newest first',
        querystring: pagingQuery.extend({ integrationId: z.string().min(1).max(200).optional() }),
        response: responses({ 200: 'A page of runs' }),
      },
      config: { access: adminRead },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const q = request.query;
      const rows = await deps.store.runs.list(tenant.id, {
        limit: q.limit + 1,
        offset: q.offset,
        ...(q.integrationId === undefined ? {} : { integrationId: q.integrationId }),
      });
      return {
        items: rows.slice(0, q.limit).map(runSummary),
        limit: q.limit,
        offset: q.offset,
        hasMore: rows.length > q.limit,
      };
    },
  );

  r.get(
    '/runs/:id',
    {
      schema: {
        tags: ['runs'],
        summary: 'A run: status, counts, what blocked it, and a page of its items (field diffs, errors)',
        params: idParams,
        querystring: pagingQuery.extend({ action: actionList.optional() }),
        response: responses({ 200: 'The run', 404: 'No such run in this company' }),
      },
      config: { access: runReadAccess },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const run = await deps.store.runs.get(tenant.id, request.params.id);
      if (!run) throw notFound(request.params.id);
      const q = request.query;
      return runDetail(deps, run, {
        limit: q.limit,
        offset: q.offset,
        ...(q.action ? { actions: q.action } : {}),
      });
    },
  );

  r.get(
    '/runs/:id/errors.csv',
    {
      schema: {
        tags: ['runs'],
        summary:
          'The error file of a run: every record error and warning (CSV, safe to open in a spreadsheet)',
        params: idParams,
        produces: ['text/csv'],
        response: responses({ 200: 'CSV', 404: 'No such run in this company' }),
      },
      config: { access: runReadAccess },
    },
    async (request, reply) => {
      const tenant = await callerTenant(deps, request);
      const run = await deps.store.runs.get(tenant.id, request.params.id);
      if (!run) throw notFound(request.params.id);
      const csv = await errorFileCsv(deps, run);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="run-${run.id.replace(/[^A-Za-z0-9-]/g, '')}-errors.csv"`,
        )
        .header('x-content-type-options', 'nosniff')
        .send(csv);
    },
  );

  r.post(
    '/runs/:id/confirm',
    {
      schema: {
        tags: ['runs'],
        summary: 'Confirm a blocked run: apply exactly the plan that was stopped by the mass-change guard',
        params: idParams,
        response: responses({ 200: 'Applied', 404: 'No such run', 409: 'Not blocked, or a sync is running' }),
      },
      config: { access: adminWrite },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const run = unwrap(await confirmRun(deps, { tenantId: tenant.id, runId: request.params.id }));
      return { run: runSummary(run) };
    },
  );
  return Promise.resolve();
}
