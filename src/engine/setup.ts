/** Builds the engine's dependencies from the environment (one place for entry points). */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../config.js';
import { systemClock } from '../core/ports.js';
import { sourceRegistry } from '../sources/registry.js';
import { openStore } from '../store/index.js';
import { createCipher, loadOrCreateKeyFile, parseKeys } from './credentials.js';
import { silentLogger, type EngineDeps, type Logger } from './deps.js';

export async function createEngine(
  env: Env,
  o: { log?: Logger; migrate?: boolean } = {},
): Promise<EngineDeps> {
  const store = await openStore({ url: env.DATABASE_URL });
  if (o.migrate ?? true) await store.migrate();
  const keys = env.ROSTERSYNC_SECRET_KEYS
    ? parseKeys(env.ROSTERSYNC_SECRET_KEYS)
    : loadOrCreateKeyFile(join(env.ROSTERSYNC_DATA_DIR, 'secret.key'));
  return {
    store,
    clock: systemClock,
    newId: randomUUID,
    cipher: createCipher(keys),
    sources: sourceRegistry,
    log: o.log ?? silentLogger,
    allowLoopbackSources: env.ROSTERSYNC_ALLOW_LOOPBACK_SOURCES,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseTtlMs: env.ROSTERSYNC_LEASE_TTL_MS,
  };
}
