/** The webhook receiver: `POST /webhooks/:provider/:token` queues a (partial) sync and answers 202 at once. */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { hashToken } from '../../engine/index.js';
import type { WebhookHint } from '../../sources/contract.js';
import type { RouteDeps } from '../deps.js';
import { withZod } from '../plugins/zod.js';
import { responses } from './common.js';

/** Ids a generic source may name in one delivery; more becomes a full sync. */
const MAX_IDS = 1000;

const unknownUrl = (): AppError =>
  new AppError(
    'not_found',
    'Unknown webhook URL: it was regenerated or the integration was disconnected. Copy the current URL from rostersync into the HR system.',
  );

/** The raw body as the connector's parser expects it: JSON when it is JSON, else the text. */
function decodeBody(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return body ?? null;
  const text = body.toString('utf8');
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Never trust a delivery: only short string ids survive, and too many of them mean "read everything". */
function sanitize(hint: WebhookHint): WebhookHint {
  if (hint.kind !== 'ids') return { kind: 'full' };
  const ids = [
    ...new Set(hint.ids.filter((id) => typeof id === 'string' && id.length > 0 && id.length <= 100)),
  ];
  return ids.length === 0 || ids.length > MAX_IDS ? { kind: 'full' } : { kind: 'ids', ids };
}

const tokenKey = (req: FastifyRequest): string => {
  const token = (req.params as { token?: unknown }).token;
  return `webhook:${createHash('sha256')
    .update(typeof token === 'string' ? token : '')
    .digest('hex')}`;
};

export default function webhookRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const { deps, queue, limits } = opts;
  // Any content type, kept raw: the connector's parser decides what it means.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: limits.webhookBodyBytes },
    (_req, body, done) => {
      done(null, body);
    },
  );
  const r = withZod(app);

  r.post(
    '/webhooks/:provider/:token',
    {
      bodyLimit: limits.webhookBodyBytes,
      schema: {
        tags: ['webhooks'],
        summary:
          'Webhook from the HR system (People HR): the secret URL shown at connect; queues a sync of the named employees',
        params: z.object({ provider: z.string().min(1).max(40), token: z.string().min(1).max(200) }),
        response: responses({
          202: 'Accepted',
          404: 'Unknown, regenerated or disconnected URL',
          413: 'Body over 256 KB',
          429: 'Too many deliveries',
        }),
      },
      config: {
        rateLimit: { max: limits.webhookMax, timeWindow: limits.webhookWindowMs, keyGenerator: tokenKey },
      },
    },
    async (request, reply) => {
      const { provider, token } = request.params;
      const integration = await deps.store.integrations.findByWebhookTokenHash(hashToken(token));
      if (!integration || integration.provider !== provider || integration.status !== 'active')
        throw unknownUrl();
      const source = deps.sources(provider);
      const tenant = await deps.store.tenants.get(integration.tenantId);
      if (!source?.spec.webhooks || !source.parseWebhook || !tenant || tenant.disabled) throw unknownUrl();
      let hint: WebhookHint;
      try {
        hint = sanitize(source.parseWebhook(decodeBody(request.body)));
      } catch {
        // An unreadable delivery on a valid URL still means "something changed": read everything.
        hint = { kind: 'full' };
      }
      const { queued } = await queue.enqueueSync({
        tenantId: integration.tenantId,
        integrationId: integration.id,
        trigger: 'webhook',
        input: hint.kind === 'ids' ? { kind: 'ids', ids: hint.ids } : { kind: 'pull' },
      });
      request.log.info(
        { integrationId: integration.id, ids: hint.kind === 'ids' ? hint.ids.length : 'all', queued },
        'webhook',
      );
      return reply.status(202).send({ accepted: true });
    },
  );
  return Promise.resolve();
}
