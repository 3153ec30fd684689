/** Company settings (schedule, time zone, leavers, threshold, manual users, recipients) and the notification outbox. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { leaverPolicies } from '../../core/model.js';
import { updateSettings } from '../../engine/index.js';
import type { RouteDeps } from '../deps.js';
import { adminRead, adminWrite } from '../plugins/auth.js';
import { withZod } from '../plugins/zod.js';
import { notificationView, settingsView } from '../views.js';
import { callerTenant, pagingQuery, responses, unwrap } from './common.js';

const settingsPatch = z
  .object({
    timezone: z.string().min(1).max(100),
    syncCron: z.string().min(1).max(100),
    leaverPolicy: z.enum(leaverPolicies),
    deletionThreshold: z.number().min(0).max(1),
    allowManualUsers: z.boolean(),
    technicalUserEmail: z.string().max(254).nullable(),
    notificationRecipients: z.array(z.string().max(254)).max(50),
  })
  .partial()
  .strict();

export default function settingsRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const r = withZod(app);
  const { deps } = opts;

  r.get(
    '/settings',
    {
      schema: { tags: ['settings'], summary: 'Company settings', response: responses({ 200: 'Settings' }) },
      config: { access: adminRead },
    },
    async (request) => settingsView(await callerTenant(deps, request), deps.clock.now()),
  );

  r.patch(
    '/settings',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Change settings: time zone (IANA), sync cron (five fields, in that zone), leaver policy, threshold 0-1, manual users, technical user, recipients',
        body: settingsPatch,
        response: responses({ 200: 'Settings after the change', 422: 'Invalid value (named)' }),
      },
      config: { access: adminWrite },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const b = request.body;
      const updated = unwrap(
        await updateSettings(deps, {
          tenantId: tenant.id,
          patch: {
            ...(b.timezone === undefined ? {} : { timezone: b.timezone }),
            ...(b.syncCron === undefined ? {} : { syncCron: b.syncCron }),
            ...(b.leaverPolicy === undefined ? {} : { leaverPolicy: b.leaverPolicy }),
            ...(b.deletionThreshold === undefined ? {} : { deletionThreshold: b.deletionThreshold }),
            ...(b.allowManualUsers === undefined ? {} : { allowManualUsers: b.allowManualUsers }),
            ...(b.technicalUserEmail === undefined ? {} : { technicalUserEmail: b.technicalUserEmail }),
            ...(b.notificationRecipients === undefined
              ? {}
              : { notificationRecipients: b.notificationRecipients }),
          },
        }),
      );
      return settingsView(updated, deps.clock.now());
    },
  );

  r.get(
    '/notifications',
    {
      schema: {
        tags: ['settings'],
        summary: 'The notification outbox, newest first (pending, sent, failed)',
        querystring: pagingQuery,
        response: responses({ 200: 'A page of notifications' }),
      },
      config: { access: adminRead },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const { limit, offset } = request.query;
      const rows = await deps.store.outbox.list(tenant.id, { limit: limit + 1, offset });
      return {
        items: rows.slice(0, limit).map(notificationView),
        limit,
        offset,
        hasMore: rows.length > limit,
      };
    },
  );
  return Promise.resolve();
}
