/** Providers and the tenant's HR integration: connect, credentials, webhook URL, disconnect, sync now, preview. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import {
  connect,
  disconnect,
  DISCONNECT_CONFIRMATION,
  regenerateWebhook,
  runSync,
  updateCredentials,
} from '../../engine/index.js';
import { providerIds } from '../../sources/contract.js';
import type { ConnectResponse, ProviderView } from '../contract.js';
import type { RouteDeps } from '../deps.js';
import { adminRead, adminWrite } from '../plugins/auth.js';
import { jsonSchemaOf, withZod } from '../plugins/zod.js';
import { runDetail, runSummary, integrationView } from '../views.js';
import { callerTenant, publicBase, responses, unwrap } from './common.js';

const configObject = z.record(z.string(), z.unknown());

export default function integrationRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const r = withZod(app);
  const { deps, queue, env } = opts;

  r.get(
    '/providers',
    {
      schema: {
        tags: ['integration'],
        summary:
          'HR systems that can be connected, with their settings form (JSON Schema), setup steps and managed fields',
        response: responses({ 200: 'Providers' }),
      },
      config: { access: adminRead },
    },
    () => {
      const items: ProviderView[] = [];
      for (const id of providerIds) {
        const source = deps.sources(id);
        if (!source) continue;
        const s = source.spec;
        items.push({
          id: s.id,
          title: s.title,
          webhooks: s.webhooks,
          configFields: s.configFields,
          secretFields: s.secretFields,
          configSchema: jsonSchemaOf(s.configSchema),
          setupSteps: s.setupSteps,
          managedFields: s.managedFields,
        });
      }
      return { items };
    },
  );

  r.get(
    '/integration',
    {
      schema: {
        tags: ['integration'],
        summary: 'The connected HR source (never its credentials), or null',
        response: responses({ 200: 'The integration or null' }),
      },
      config: { access: adminRead },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const active = await deps.store.integrations.getActive(tenant.id);
      return { integration: active ? await integrationView(deps, { integration: active, tenant }) : null };
    },
  );

  r.post(
    '/integration',
    {
      schema: {
        tags: ['integration'],
        summary:
          'Connect an HR source: verify the credentials, store them encrypted, run the first full sync',
        body: z.object({ provider: z.enum(providerIds), config: configObject.default({}) }),
        response: responses({
          201: 'Connected; the first run and (People HR) the webhook URL, shown once',
          409: 'Already connected',
          422: 'Invalid settings',
          502: 'The HR system refused the credentials or failed',
        }),
      },
      config: { access: adminWrite },
    },
    async (request, reply) => {
      const tenant = await callerTenant(deps, request);
      const connected = unwrap(
        await connect(deps, {
          tenantId: tenant.id,
          provider: request.body.provider,
          config: request.body.config,
          // Files arrive through the upload API: there is nothing to pull on connect.
          sync: request.body.provider !== 'file',
        }),
      );
      const body: ConnectResponse = {
        integration: await integrationView(deps, { integration: connected.integration, tenant }),
        check: connected.check,
        run: connected.run ? runSummary(connected.run) : null,
        webhookUrl: connected.webhookPath
          ? `${publicBase(env.PUBLIC_URL, request)}${connected.webhookPath}`
          : null,
      };
      return reply.status(201).send(body);
    },
  );

  r.put(
    '/integration/credentials',
    {
      schema: {
        tags: ['integration'],
        summary: 'Update credentials: verify the new ones, replace them, run a full sync',
        body: z.object({ config: configObject }),
        response: responses({
          200: 'Updated',
          404: 'Nothing connected',
          422: 'Invalid settings',
          502: 'Refused',
        }),
      },
      config: { access: adminWrite },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const updated = unwrap(
        await updateCredentials(deps, { tenantId: tenant.id, config: request.body.config }),
      );
      return {
        integration: await integrationView(deps, { integration: updated.integration, tenant }),
        run: updated.run ? runSummary(updated.run) : null,
      };
    },
  );

  r.post(
    '/integration/webhook-url',
    {
      schema: {
        tags: ['integration'],
        summary: 'Issue a new webhook URL (shown once); the old one stops working at once',
        response: responses({ 200: 'The new URL', 404: 'The connected source has no webhooks' }),
      },
      config: { access: adminWrite },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      const { webhookPath } = unwrap(await regenerateWebhook(deps, { tenantId: tenant.id }));
      return { webhookUrl: `${publicBase(env.PUBLIC_URL, request)}${webhookPath}` };
    },
  );

  r.post(
    '/integration/disconnect',
    {
      schema: {
        tags: ['integration'],
        summary: `Disconnect: credentials deleted, webhook URL invalidated, links dropped, users kept. Body {"confirm":"${DISCONNECT_CONFIRMATION}"}`,
        body: z.object({ confirm: z.string() }),
        response: responses({
          200: 'Disconnected',
          404: 'Nothing connected',
          409: 'A sync is running',
          422: 'Not confirmed',
        }),
      },
      config: { access: adminWrite },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      return unwrap(await disconnect(deps, { tenantId: tenant.id, confirm: request.body.confirm }));
    },
  );

  r.post(
    '/integration/sync',
    {
      schema: {
        tags: ['integration'],
        summary: 'Sync now: queue a full sync of the connected source',
        response: responses({
          202: 'Queued (or merged with a waiting one)',
          404: 'Nothing connected',
          409: 'Uploads only',
        }),
      },
      config: { access: adminWrite },
    },
    async (request, reply) => {
      const tenant = await callerTenant(deps, request);
      const active = await deps.store.integrations.getActive(tenant.id);
      if (!active) throw new AppError('not_found', 'No HR source is connected: connect one first.');
      if (active.provider === 'file') {
        throw new AppError('conflict', 'This company syncs from uploaded files: upload a new file to sync.');
      }
      const { queued } = await queue.enqueueSync({
        tenantId: tenant.id,
        integrationId: active.id,
        trigger: 'manual',
        input: { kind: 'pull' },
      });
      return reply.status(202).send({ queued });
    },
  );

  r.post(
    '/integration/preview',
    {
      schema: {
        tags: ['integration'],
        summary: 'Dry run: read the source and plan, apply nothing; returns the planned changes',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: responses({
          200: 'The dry run with its items',
          404: 'Nothing connected',
          409: 'Uploads only',
        }),
      },
      config: { access: adminWrite },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      if (!(await deps.store.integrations.getActive(tenant.id))) {
        throw new AppError('not_found', 'No HR source is connected: connect one first.');
      }
      const run = unwrap(await runSync(deps, { tenantId: tenant.id, trigger: 'manual', dryRun: true }));
      return { run: await runDetail(deps, run, { limit: request.query.limit, offset: 0 }) };
    },
  );
  return Promise.resolve();
}
