/** The HTTP service over a test store for the suite: real in-process queue, captured pino logs, API keys. */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { envSchema, type Env } from '../../../src/config.js';
import { createApiKey, type EngineDeps, type JobQueue, type Logger } from '../../../src/engine/index.js';
import { createInProcessQueue, type InProcessQueue } from '../../../src/jobs/index.js';
import { buildServer } from '../../../src/server/app.js';
import type { ServiceLimits } from '../../../src/server/deps.js';

/** Everything written to a log, as text (pino JSON lines), for canary searches. */
export interface LogCapture {
  readonly logger: Logger;
  /** Pino options for Fastify (`{ stream }`): the server's request log lands in the same capture. */
  readonly fastify: { stream: Writable };
  text(): string;
}

export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  // The engine's logger is pino too, at debug, with pino's standard error serializer: what production logs.
  const logger = pino({ level: 'debug' }, stream);
  return { logger, fastify: { stream }, text: () => chunks.join('') };
}

export interface App {
  readonly app: FastifyInstance;
  /** The in-process queue when the app made its own. */
  readonly inProcess: InProcessQueue | undefined;
  readonly deps: EngineDeps;
  readonly queue: JobQueue;
  readonly env: Env;
  close(): Promise<void>;
}

/**
 * Builds the Fastify app over `deps` with a job queue: the real in-process queue by default
 * (running `runSync`), or the one given. `close` stops the app and the queue.
 */
export async function startApp(o: {
  deps: EngineDeps;
  queue?: JobQueue & { stop?: (x?: { timeoutMs?: number }) => Promise<void> };
  logs?: LogCapture;
  limits?: Partial<ServiceLimits>;
  env?: Record<string, string>;
}): Promise<App> {
  const inProcess = o.queue ? undefined : createInProcessQueue({ deps: o.deps, retry: { retries: 0 } });
  const queue: JobQueue | undefined = o.queue ?? inProcess;
  if (!queue) throw new Error('startApp: no queue');
  const env = envSchema.parse({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'debug', ...o.env });
  const app = await buildServer({
    deps: o.deps,
    queue,
    env,
    ...(o.logs ? { logger: o.logs.fastify } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
  });
  return {
    app,
    deps: o.deps,
    queue,
    env,
    inProcess,
    close: async () => {
      await app.close();
      await inProcess?.stop({ timeoutMs: 5_000 });
      await o.queue?.stop?.({ timeoutMs: 5_000 });
    },
  };
}

/** A new API key of the tenant with the given scopes. */
export async function apiKey(
  deps: EngineDeps,
  tenantId: string,
  scopes: string[],
  name = scopes.join('+'),
): Promise<string> {
  const created = await createApiKey(deps, { tenantId, name, scopes });
  if (!created.ok) throw created.error;
  return created.value.key;
}

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

/** Every (method, path template) of the API, from the served OpenAPI document (new routes are covered too). */
export async function routesOf(app: FastifyInstance): Promise<{ method: string; path: string }[]> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  const paths = res.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
  return Object.entries(paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path })),
  );
}
