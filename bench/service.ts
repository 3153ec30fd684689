/** The HTTP service as `rostersync serve` runs it (Fastify app + in-process queue), on 127.0.0.1, for scenarios 4 and 5. */
import type { FastifyInstance } from 'fastify';
import { loadEnv } from '../src/config.js';
import { createApiKey } from '../src/engine/index.js';
import type { EngineDeps } from '../src/engine/index.js';
import { createInProcessQueue } from '../src/jobs/index.js';
import type { InProcessQueue } from '../src/jobs/index.js';
import { buildServer } from '../src/server/app.js';
import { benchDeps, freshStore } from './setup.js';
import type { BenchDatabase, FreshStore } from './setup.js';

/** A listening service over a fresh database. */
export interface BenchService {
  readonly deps: EngineDeps;
  readonly origin: string;
  readonly queue: InProcessQueue;
  /** An API key of `tenantId` with the given scopes (shown once, as the real API does). */
  apiKey(o: { tenantId: string; scopes: readonly string[] }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the service on a random loopback port. Rate limits are lifted: the bench sends 200 webhooks
 * in a minute, which a real People HR account would not, and the limit is not what is measured.
 */
export async function startService(o: { db: BenchDatabase }): Promise<BenchService> {
  const fresh: FreshStore = await freshStore(o.db);
  const deps = benchDeps({ store: fresh.store });
  const queue = createInProcessQueue({ deps });
  const env = loadEnv({ ROSTERSYNC_ALLOW_LOOPBACK_SOURCES: '1', LOG_LEVEL: 'silent' });
  let app: FastifyInstance | undefined;
  try {
    app = await buildServer({
      deps,
      queue,
      env,
      limits: { uploadMax: 10_000, webhookMax: 100_000 },
    });
    const origin = await app.listen({ host: '127.0.0.1', port: 0 });
    const listening = app;
    return {
      deps,
      origin,
      queue,
      apiKey: async (k) => {
        const created = await createApiKey(deps, { tenantId: k.tenantId, name: 'bench', scopes: k.scopes });
        if (!created.ok) throw created.error;
        return created.value.key;
      },
      close: async () => {
        await listening.close();
        await queue.stop({ timeoutMs: 5_000 });
        await fresh.dispose();
      },
    };
  } catch (error) {
    await app?.close();
    await queue.stop({ timeoutMs: 1_000 });
    await fresh.dispose();
    throw error;
  }
}
