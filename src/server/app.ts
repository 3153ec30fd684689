/** The Fastify app: plugins, auth, the admin API, the upload API, webhooks, directory API, SCIM, OpenAPI, admin UI. */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { Env } from '../config.js';
import { AppError } from '../core/errors.js';
import type { EngineDeps, JobQueue } from '../engine/index.js';
import { backgroundTasks, defaultLimits, type RouteDeps, type ServiceLimits } from './deps.js';
import { registerErrorHandling } from './errors.js';
import { loggerOptions } from './logging.js';
import { registerAuth, SESSION_COOKIE, type Access } from './plugins/auth.js';
import { zodSwaggerTransform } from './plugins/zod.js';
import apiKeyRoutes from './routes/api-keys.js';
import directoryRoutes from './routes/directory.js';
import integrationRoutes from './routes/integration.js';
import referenceRoutes from './routes/reference.js';
import runRoutes from './routes/runs.js';
import scimRoutes from './routes/scim/index.js';
import sessionRoutes from './routes/session.js';
import settingsRoutes from './routes/settings.js';
import uploadRoutes from './routes/upload.js';
import userRoutes from './routes/users.js';
import webhookRoutes from './routes/webhooks.js';
import staticUi from './static-ui.js';

export interface BuildServerOptions {
  readonly deps: EngineDeps;
  readonly queue: JobQueue;
  readonly env: Env;
  /** false (default): no logs; true: pino at LOG_LEVEL; an object: pino options merged in (e.g. `{ stream }`). */
  readonly logger?: boolean | object;
  /** Rate limits and body sizes (tests lower them); defaults in `defaultLimits`. */
  readonly limits?: Partial<ServiceLimits>;
}

/** OpenAPI security of a route, from its `config.access`. */
function securityOf(route: RouteOptions): Record<string, string[]>[] | undefined {
  const access = (route.config as { access?: Access } | undefined)?.access;
  if (!access) return undefined;
  const out: Record<string, string[]>[] = [];
  if (access.session) out.push({ sessionCookie: [] });
  if (access.scopes && access.scopes.length > 0) out.push({ apiKey: [...access.scopes] });
  return out;
}

/**
 * Builds the HTTP service (not listening yet: call `listen`, or `inject` in tests). Closing the app
 * waits for uploads still running after their 202; it does not close the store or the queue.
 *
 * @example
 * const app = await buildServer({ deps, queue, env });
 * await app.listen({ host: env.HOST, port: env.PORT });
 */
export async function buildServer(o: BuildServerOptions): Promise<FastifyInstance> {
  const limits: ServiceLimits = { ...defaultLimits, ...o.limits };
  const routeDeps: RouteDeps = {
    deps: o.deps,
    queue: o.queue,
    env: o.env,
    limits,
    background: backgroundTasks(),
  };
  const app = Fastify({
    logger: loggerOptions({ logger: o.logger, level: o.env.LOG_LEVEL }),
    bodyLimit: limits.jsonBodyBytes,
    // Our own ids would leak nothing, but a client-sent request id must not be trusted for logs.
    requestIdHeader: false,
  });

  registerErrorHandling(app);
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('rate_limited', `Too many requests: try again in ${ctx.after}.`, {
        details: { retryAfterSeconds: Math.ceil(ctx.ttl / 1000), limit: ctx.max },
      }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'rostersync API',
        version: '1',
        description:
          'Admin API (session cookie + x-csrf-token, or an API key with scope admin), upload API (API key with hr-data:write) and webhooks. Errors: {"error":{"code","message","details"}}.',
      },
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'rs_<prefix>_<secret>' },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const out = zodSwaggerTransform({ schema, url });
      const security = securityOf(route);
      return security ? { ...out, schema: { ...out.schema, security } } : out;
    },
  });
  registerAuth(app, o.deps);

  app.get('/api/v1/openapi.json', { schema: { tags: ['meta'], summary: 'This OpenAPI 3 document' } }, () =>
    app.swagger(),
  );
  app.get('/healthz', { schema: { tags: ['meta'], summary: 'Liveness: the process answers' } }, () => ({
    ok: true,
  }));

  for (const plugin of [
    sessionRoutes,
    integrationRoutes,
    userRoutes,
    referenceRoutes,
    runRoutes,
    settingsRoutes,
    apiKeyRoutes,
    uploadRoutes,
  ]) {
    await app.register(plugin, { ...routeDeps, prefix: '/api/v1' });
  }
  await app.register(webhookRoutes, routeDeps);
  await app.register(directoryRoutes, routeDeps);
  await app.register(scimRoutes, routeDeps);
  // Last: the admin UI answers every other GET (SPA fallback).
  await app.register(staticUi);

  app.addHook('onClose', async () => {
    await routeDeps.background.drain();
  });
  return app;
}
