/** The Fastify app: plugins, auth, the admin API, the upload API, webhooks, OpenAPI, and the optional route plugins. */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type RouteOptions } from 'fastify';
import type { Env } from '../config.js';
import { AppError } from '../core/errors.js';
import type { EngineDeps, JobQueue } from '../engine/index.js';
import { backgroundTasks, defaultLimits, type RouteDeps, type ServiceLimits } from './deps.js';
import { registerErrorHandling } from './errors.js';
import { loggerOptions } from './logging.js';
import { registerAuth, SESSION_COOKIE, type Access } from './plugins/auth.js';
import { zodSwaggerTransform } from './plugins/zod.js';
import apiKeyRoutes from './routes/api-keys.js';
import integrationRoutes from './routes/integration.js';
import referenceRoutes from './routes/reference.js';
import runRoutes from './routes/runs.js';
import sessionRoutes from './routes/session.js';
import settingsRoutes from './routes/settings.js';
import uploadRoutes from './routes/upload.js';
import userRoutes from './routes/users.js';
import webhookRoutes from './routes/webhooks.js';

export interface BuildServerOptions {
  readonly deps: EngineDeps;
  readonly queue: JobQueue;
  readonly env: Env;
  /** false (default): no logs; true: pino at LOG_LEVEL; an object: pino options merged in (e.g. `{ stream }`). */
  readonly logger?: boolean | object;
  /** Rate limits and body sizes (tests lower them); defaults in `defaultLimits`. */
  readonly limits?: Partial<ServiceLimits>;
}

/** Route plugins other engineers own, registered when their file exists (agreed by file name). */
const optionalPlugins = ['./routes/directory.js', './routes/scim/index.js'] as const;

async function loadOptional(specifier: string): Promise<FastifyPluginAsync<RouteDeps> | undefined> {
  const url = new URL(specifier, import.meta.url);
  const path = fileURLToPath(url);
  // Running from TypeScript sources (tsx, vitest) the file on disk is the .ts twin of the .js specifier.
  if (!existsSync(path) && !existsSync(path.replace(/\.js$/, '.ts'))) return undefined;
  const mod = (await import(pathToFileURL(path).href)) as { default?: FastifyPluginAsync<RouteDeps> };
  if (typeof mod.default !== 'function') {
    throw new Error(
      `${specifier} must default-export a Fastify plugin (app, opts: RouteDeps) => Promise<void>`,
    );
  }
  return mod.default;
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
  for (const specifier of optionalPlugins) {
    const plugin = await loadOptional(specifier);
    if (plugin) await app.register(plugin, routeDeps);
  }

  app.addHook('onClose', async () => {
    await routeDeps.background.drain();
  });
  return app;
}
