/** API keys of the company: list (never the secrets), create (the key shown once), revoke. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiKeyScopes, createApiKey, revokeApiKey } from '../../engine/index.js';
import type { CreateApiKeyResponse } from '../contract.js';
import type { RouteDeps } from '../deps.js';
import { adminRead, adminWrite } from '../plugins/auth.js';
import { withZod } from '../plugins/zod.js';
import { apiKeyView } from '../views.js';
import { callerTenant, idParams, responses, unwrap } from './common.js';

export default function apiKeyRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const r = withZod(app);
  const { deps } = opts;

  r.get(
    '/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'API keys (names, scopes, prefixes, last use; never the keys)',
        response: responses({ 200: 'Keys' }),
      },
      config: { access: adminRead },
    },
    async (request) => {
      const tenant = await callerTenant(deps, request);
      return { items: (await deps.store.apiKeys.list(tenant.id)).map(apiKeyView) };
    },
  );

  r.post(
    '/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the key is in this answer only',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          scopes: z.array(z.enum(apiKeyScopes)).min(1).max(apiKeyScopes.length),
        }),
        response: responses({ 201: 'The key, shown once', 422: 'Invalid name or scope' }),
      },
      config: { access: adminWrite },
    },
    async (request, reply) => {
      const tenant = await callerTenant(deps, request);
      const { key, record } = unwrap(
        await createApiKey(deps, {
          tenantId: tenant.id,
          name: request.body.name,
          scopes: request.body.scopes,
        }),
      );
      const body: CreateApiKeyResponse = { ...apiKeyView(record), key };
      return reply.status(201).header('cache-control', 'no-store').send(body);
    },
  );

  r.delete(
    '/api-keys/:id',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key (at once; revoking twice is fine)',
        params: idParams,
        response: responses({ 204: 'Revoked', 404: 'No such key in this company' }),
      },
      config: { access: adminWrite },
    },
    async (request, reply) => {
      const tenant = await callerTenant(deps, request);
      unwrap(await revokeApiKey(deps, { tenantId: tenant.id, id: request.params.id }));
      return reply.status(204).send();
    },
  );
  return Promise.resolve();
}
