/**
 * A worker process for the crash and two-workers tests: the production background (queue, scheduler,
 * sweepers) on the database named by the environment, with test knobs (schema, batch size, a delay
 * before each apply batch so a SIGKILL lands mid-apply). Prints `{"event":"ready","owner":...}`.
 */
import { randomUUID } from 'node:crypto';
import { loadEnv } from '../../src/config.js';
import { systemClock } from '../../src/core/ports.js';
import { createCipher, parseKeys, type EngineDeps, type Logger } from '../../src/engine/index.js';
import { startBackground, type Role } from '../../src/jobs/index.js';
import { sourceRegistry } from '../../src/sources/registry.js';
import { openStore, type Store } from '../../src/store/index.js';

const env = loadEnv();
const knob = (name: string): string | undefined => process.env[name]?.trim() || undefined;
const number = (name: string, fallback: number): number => Number(knob(name) ?? fallback);

const log: Logger = {
  info: () => undefined,
  debug: () => undefined,
  warn: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...obj })}\n`),
  error: (obj, msg) =>
    process.stderr.write(
      `${JSON.stringify({ level: 'error', msg, ...obj, err: String((obj as { err?: unknown }).err) })}\n`,
    ),
};

const schema = knob('TEST_DB_SCHEMA');
const store = await openStore({ url: env.DATABASE_URL, ...(schema ? { schema } : {}) });
await store.migrate();
const delayMs = number('TEST_APPLY_DELAY_MS', 0);
const slowed: Store = {
  ...store,
  apply: async (ops, opts) => {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return store.apply(ops, opts);
  },
};

const owner = `worker-${process.pid}-${randomUUID().slice(0, 6)}`;
const deps: EngineDeps = {
  store: slowed,
  clock: systemClock,
  newId: randomUUID,
  cipher: createCipher(parseKeys(env.ROSTERSYNC_SECRET_KEYS ?? '')),
  sources: sourceRegistry,
  log,
  allowLoopbackSources: env.ROSTERSYNC_ALLOW_LOOPBACK_SOURCES,
  owner,
  leaseTtlMs: env.ROSTERSYNC_LEASE_TTL_MS,
  batchSize: number('TEST_BATCH_SIZE', 1000),
};

const background = await startBackground({
  deps,
  role: (knob('TEST_ROLE') ?? 'all') as Role,
  databaseUrl: env.DATABASE_URL,
  smtpFrom: env.SMTP_FROM,
  intervalMs: number('TEST_INTERVAL_MS', 300),
  jitterMaxMs: 0,
  concurrency: number('TEST_CONCURRENCY', 2),
  retry: { retries: 3, baseDelayMs: 1_000, maxDelayMs: 2_000 },
  log,
  pgBossSchema: knob('TEST_PGBOSS_SCHEMA') ?? 'pgboss',
  queueName: knob('TEST_QUEUE') ?? 'sync',
  ...(knob('TEST_LEADER_KEY') === undefined ? {} : { leaderKey: knob('TEST_LEADER_KEY') ?? '' }),
});
process.stdout.write(`${JSON.stringify({ event: 'ready', owner })}\n`);

const shutdown = async (): Promise<void> => {
  await background.stop({ timeoutMs: 5_000 });
  await store.close();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
