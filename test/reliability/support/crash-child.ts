/**
 * A sync worker process for the crash test: runs `runSync` for one tenant until one run has ended
 * (waiting while another process holds the lease), and logs every apply batch it starts and ends to a
 * shared file so the parent can prove no two processes ever applied to the integration at once.
 */
import { appendFileSync } from 'node:fs';
import { systemClock } from '../../../src/core/ports.js';
import {
  createCipher,
  parseKeys,
  runSync,
  silentLogger,
  type EngineDeps,
} from '../../../src/engine/index.js';
import { sourceRegistry } from '../../../src/sources/registry.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { randomUUID } from 'node:crypto';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`crash-child: ${name} is not set`);
  return value;
};

const owner = env('CRASH_OWNER');
const logFile = env('CRASH_LOG');
const schema = process.env['CRASH_SCHEMA'];
const store = await openStore({ url: env('CRASH_DATABASE_URL'), ...(schema ? { schema } : {}) });
const line = (event: string, extra: Record<string, unknown> = {}): void =>
  appendFileSync(logFile, `${JSON.stringify({ event, owner, at: Date.now(), ...extra })}\n`);

const logged: Store = {
  ...store,
  apply: async (ops, opts) => {
    line('apply-start', { token: opts.fence?.token ?? null });
    await store.apply(ops, opts);
    line('apply-end', { token: opts.fence?.token ?? null });
  },
};

const deps: EngineDeps = {
  store: logged,
  clock: systemClock,
  newId: randomUUID,
  cipher: createCipher(parseKeys(env('CRASH_SECRET_KEYS'))),
  sources: sourceRegistry,
  log: silentLogger,
  allowLoopbackSources: true,
  owner,
  leaseTtlMs: Number(env('CRASH_LEASE_TTL_MS')),
  batchSize: Number(process.env['CRASH_BATCH_SIZE'] ?? 250),
  retry: { retries: 2, baseDelayMs: 50, maxDelayMs: 200 },
};

process.stdout.write(`${JSON.stringify({ event: 'ready', owner })}\n`);
line('ready');
for (let attempt = 0; attempt < 200; attempt++) {
  const result = await runSync(deps, { tenantId: env('CRASH_TENANT'), trigger: 'manual' });
  if (!result.ok && result.error.code === 'run_in_progress') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    continue;
  }
  line('done', { status: result.ok ? result.value.status : result.error.code });
  break;
}
await store.close();
process.exit(0);
