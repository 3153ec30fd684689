/** `serve` (the HTTP service and background jobs, by role) and `demo` (the product on local HR emulators). */
import { createServer } from 'node:net';
import type { Command } from 'commander';
import pino from 'pino';
import { loadEnv, type Env } from '../../config.js';
import { createEngine, type EngineDeps, type Logger } from '../../engine/index.js';
import { roles, startBackground, type Background, type Role } from '../../jobs/index.js';
import { buildServer } from '../../server/app.js';
import { CliExit, EXIT } from '../context.js';
import { printDemo, setUpDemo, type DemoSetup } from './demo.js';

/** Structured logs (pino, JSON) with secrets redacted, to stdout (`serve`) or stderr (`demo`). */
export function createLogger(o: { level: Env['LOG_LEVEL']; toStderr?: boolean }): Logger {
  return pino(
    {
      level: o.level,
      base: { service: 'rostersync' },
      redact: {
        paths: [
          'password',
          'token',
          'apiKey',
          'secret',
          'clientSecret',
          'credentials',
          '*.password',
          '*.token',
          '*.apiKey',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(o.toStderr ? 2 : 1),
  );
}

/** Resolves with the first SIGINT/SIGTERM; a second one ends the process at once. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals): void => {
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.once('SIGINT', first);
    process.once('SIGTERM', first);
  });
}

const isFree = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });

/** `port`, or the next free one after it (the demo must start even when 3000 is taken). */
export async function freePort(host: string, port: number, tries = 20): Promise<number> {
  if (port === 0) return 0;
  for (let p = port; p < port + tries; p += 1) if (await isFree(host, p)) return p;
  throw new CliExit(EXIT.failed, `Ports ${port}-${port + tries - 1} on ${host} are all in use: pass --port.`);
}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliExit(EXIT.usage, `--port must be 0-65535, not '${value}'`);
  return port;
}

/** Everything a running process holds, closed in reverse order on shutdown. */
interface Running {
  readonly deps: EngineDeps;
  readonly background: Background;
  readonly app: Awaited<ReturnType<typeof buildServer>> | null;
  readonly demo?: DemoSetup;
}

async function shutdown(r: Running, log: Logger): Promise<void> {
  log.info({}, 'shutting down: finishing running syncs');
  await r.app?.close();
  await r.background.stop({ timeoutMs: 30_000 });
  await r.demo?.close();
  await r.deps.store.close();
}

interface ServeOptions {
  role: string;
  port?: string;
  host?: string;
}

async function serve(o: ServeOptions): Promise<void> {
  if (!(roles as readonly string[]).includes(o.role)) {
    throw new CliExit(EXIT.usage, `--role must be one of ${roles.join(', ')}, not '${o.role}'`);
  }
  const role = o.role as Role;
  const env = loadEnv();
  const host = o.host ?? env.HOST;
  const port = parsePort(o.port, env.PORT);
  const log = createLogger({ level: env.LOG_LEVEL });
  const deps = await createEngine(env, { log });
  let background: Background;
  try {
    background = await startBackground({
      deps,
      role,
      databaseUrl: env.DATABASE_URL,
      smtpUrl: env.SMTP_URL,
      smtpFrom: env.SMTP_FROM,
      log,
    });
  } catch (error) {
    await deps.store.close();
    throw error;
  }
  let app: Running['app'] = null;
  try {
    if (role !== 'worker') {
      app = await buildServer({ deps, queue: background.queue, env, logger: true });
      await app.listen({ host, port });
      const address = app.server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      process.stdout.write(
        `rostersync ${role} listening on http://${host}:${bound} (${deps.store.dialect})\n`,
      );
    } else {
      process.stdout.write(`rostersync worker running (${deps.store.dialect}); Ctrl-C to stop\n`);
    }
  } catch (error) {
    // A port in use must not leave the queue's workers keeping the process alive.
    await shutdown({ deps, background, app }, log);
    throw error;
  }
  const signal = await untilSignal();
  log.info({ signal }, 'signal received');
  await shutdown({ deps, background, app }, log);
}

interface DemoOptions {
  port?: string;
  host?: string;
  employees: string;
  exit?: boolean;
}

async function demo(o: DemoOptions): Promise<void> {
  // The demo's HR systems are emulators on 127.0.0.1: loopback sources must be allowed here.
  const env = loadEnv({ ...process.env, ROSTERSYNC_ALLOW_LOOPBACK_SOURCES: '1' });
  const employees = Number(o.employees);
  if (!Number.isInteger(employees) || employees < 1 || employees > 100_000) {
    throw new CliExit(EXIT.usage, `--employees must be 1-100000, not '${o.employees}'`);
  }
  const quiet = process.env.LOG_LEVEL === undefined;
  const log = createLogger({ level: quiet ? 'warn' : env.LOG_LEVEL, toStderr: true });
  const started = Date.now();
  const deps = await createEngine(env, { log });
  const setup = await setUpDemo({ deps, env, employees }).catch(async (error: unknown) => {
    await deps.store.close();
    throw error;
  });
  const background = await startBackground({
    deps,
    role: 'all',
    databaseUrl: env.DATABASE_URL,
    smtpUrl: env.SMTP_URL,
    smtpFrom: env.SMTP_FROM,
    log,
  });
  const host = o.host ?? '127.0.0.1';
  const app = await buildServer({ deps, queue: background.queue, env, logger: !quiet });
  const running: Running = { deps, background, app, demo: setup };
  try {
    await app.listen({ host, port: await freePort(host, parsePort(o.port, env.PORT)) });
    const address = app.server.address();
    const url = `http://${host}:${typeof address === 'object' && address !== null ? address.port : env.PORT}`;
    await setup.wireWebhooks(url);
    await printDemo({ deps, setup, url, seconds: (Date.now() - started) / 1000 });
  } catch (error) {
    await shutdown(running, log);
    throw error;
  }
  if (o.exit) {
    await shutdown(running, log);
    return;
  }
  process.stdout.write('Ctrl-C to stop.\n');
  await untilSignal();
  await shutdown(running, log);
}

export function registerService(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API and the background jobs (queue, daily schedule, notifications)')
    .option('--role <role>', 'web (HTTP only) | worker (jobs only, PostgreSQL) | all', 'all')
    .option('--port <n>', 'listen port (default PORT or 3000)')
    .option('--host <host>', 'listen address (default HOST or 127.0.0.1)')
    .action((o: ServeOptions) => serve(o));

  program
    .command('demo')
    .description(
      'the product on local HR emulators: a synced demo tenant per source, then the server (npm start)',
    )
    .option('--port <n>', 'listen port, or the next free one (default PORT or 3000)')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--employees <n>', 'employees per emulated HR system', '200')
    .option('--exit', 'set up, sync, print the summary, and exit (no server left running)')
    .action((o: DemoOptions) => demo(o));
}
