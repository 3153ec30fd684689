/** The service under test, in this process: SQLite in a temp folder, the in-process queue, the built UI, a KiwiHR emulator. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadEnv } from '../../../src/config.js';
import { createAdmin, createEngine, createTenant, type EngineDeps } from '../../../src/engine/index.js';
import { createInProcessQueue, type InProcessQueue } from '../../../src/jobs/index.js';
import { buildServer } from '../../../src/server/app.js';
import type { RunningEmulator } from '../../../src/sources/_shared/emulator-kit.js';
import { startKiwihrEmulator } from '../../../src/sources/kiwihr/emulator.js';
import { ensureUiBuilt } from './build.js';

export const ADMIN = { email: 'ada@acme.example', password: 'correct horse battery staple' } as const;
export const TENANT = { slug: 'acme', name: 'Acme Robotics' } as const;

export interface Stack {
  /** http://127.0.0.1:PORT of the service (UI and API). */
  readonly baseUrl: string;
  readonly deps: EngineDeps;
  readonly queue: InProcessQueue;
  readonly kiwihr: RunningEmulator;
  readonly tenantId: string;
  close(): Promise<void>;
}

const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: Error }): T => {
  if (!r.ok) throw r.error;
  return r.value;
};

/** Starts everything on 127.0.0.1 with random ports; `close()` stops it all and removes the temp folder. */
export async function startStack(o: { employees?: number } = {}): Promise<Stack> {
  await ensureUiBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'rostersync-ui-'));
  const env = loadEnv({
    DATABASE_URL: `sqlite:${join(dir, 'rostersync.db')}`,
    ROSTERSYNC_DATA_DIR: dir,
    ROSTERSYNC_SECRET_KEYS: `ui:${randomBytes(32).toString('base64')}`,
    ROSTERSYNC_ALLOW_LOOPBACK_SOURCES: '1',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const deps = await createEngine(env);
  const queue = createInProcessQueue({ deps, concurrency: 1, retry: { retries: 0 } });
  const kiwihr = await startKiwihrEmulator({ count: o.employees ?? 24, seed: 11 });
  let app: FastifyInstance | null = null;
  try {
    app = await buildServer({ deps, queue, env, limits: { loginMax: 1000, uploadMax: 1000 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const tenant = unwrap(await createTenant(deps, { ...TENANT, timezone: 'Europe/Berlin' }));
    unwrap(await createAdmin(deps, { tenantId: tenant.id, ...ADMIN }));
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
    const running = app;
    return {
      baseUrl: `http://127.0.0.1:${address.port}`,
      deps,
      queue,
      kiwihr,
      tenantId: tenant.id,
      async close() {
        await running.close();
        await queue.stop({ timeoutMs: 5000 });
        await kiwihr.close();
        await deps.store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close();
    await queue.stop({ timeoutMs: 1000 });
    await kiwihr.close();
    await deps.store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
