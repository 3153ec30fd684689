/** Route-test harness: the Fastify app over a test store, a recording job queue, signed-in admins and API keys. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { envSchema, type Env } from '../src/config.js';
import {
  createApiKey,
  hashPassword,
  login,
  runSync,
  type EngineDeps,
  type JobQueue,
  type SyncJob,
} from '../src/engine/index.js';
import { buildServer } from '../src/server/app.js';
import type { ServiceLimits } from '../src/server/deps.js';
import type { Source } from '../src/sources/contract.js';
import type { Store, Tenant } from '../src/store/index.js';
import { newTenant } from './db.js';
import { testDeps } from './support/engine.js';

/**
 * A JobQueue that records what it was asked to run (webhook and sync-now tests count jobs). With
 * `execute`, it also runs each job at once in the background, like the in-process queue would.
 */
export class RecordingQueue implements JobQueue {
  readonly jobs: SyncJob[] = [];
  execute: EngineDeps | null = null;
  private running: Promise<unknown> = Promise.resolve();
  enqueueSync(job: SyncJob): Promise<{ queued: boolean }> {
    this.jobs.push(job);
    const deps = this.execute;
    if (deps) {
      this.running = this.running.then(() =>
        runSync(deps, {
          tenantId: job.tenantId,
          trigger: job.trigger,
          input: job.input.kind === 'ids' ? { kind: 'ids', ids: job.input.ids } : { kind: 'pull' },
        }),
      );
    }
    return Promise.resolve({ queued: true });
  }
  /** Resolves when every executed job has finished. */
  async idle(): Promise<void> {
    await this.running;
  }
}

export interface Service {
  readonly app: FastifyInstance;
  readonly deps: EngineDeps;
  readonly queue: RecordingQueue;
  readonly env: Env;
}

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

export async function startService(
  store: Store,
  o: { source?: Source; limits?: Partial<ServiceLimits>; env?: Record<string, string>; logger?: object } = {},
): Promise<Service> {
  // A clock that moves (one second per reading) so audit entries and runs have an order.
  let tick = 0;
  const now = () => new Date(Date.parse('2026-11-23T06:00:00Z') + 1000 * tick++);
  const deps = testDeps(store, { now, ...(o.source ? { source: o.source } : {}) });
  const queue = new RecordingQueue();
  const env = envSchema.parse({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'info', ...o.env });
  const app = await buildServer({
    deps,
    queue,
    env,
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
  });
  return { app, deps, queue, env };
}

/** A signed-in browser: the session cookie and the CSRF token to send with writes. */
export interface Browser {
  readonly cookie: string;
  readonly csrf: string;
}

export interface Company {
  readonly tenant: Tenant;
  readonly admin: Browser;
  readonly viewer: Browser;
  readonly adminEmail: string;
  /** API keys by scope. */
  readonly keys: { admin: string; upload: string; directory: string };
}

/** A tenant with an admin and a viewer (both signed in) and one API key per scope. */
export async function company(svc: Service, name = 'Acme'): Promise<Company> {
  const { store } = svc.deps;
  const tenant = await newTenant(store, name);
  passwordHash ??= hashPassword(PASSWORD);
  const hash = await passwordHash;
  const slug = tenant.slug;
  const adminEmail = `admin@${slug}.example`;
  await store.admins.create({
    id: `${slug}-a`,
    tenantId: tenant.id,
    email: adminEmail,
    passwordHash: hash,
    role: 'admin',
  });
  await store.admins.create({
    id: `${slug}-v`,
    tenantId: tenant.id,
    email: `viewer@${slug}.example`,
    passwordHash: hash,
    role: 'viewer',
  });
  const browser = async (email: string): Promise<Browser> => {
    const res = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email, password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    return {
      cookie: `rs_session=${res.cookies.find((c) => c.name === 'rs_session')?.value ?? ''}`,
      csrf: res.json<{ csrfToken: string }>().csrfToken,
    };
  };
  const key = async (scope: string): Promise<string> => {
    const created = await createApiKey(svc.deps, {
      tenantId: tenant.id,
      name: `${scope} key`,
      scopes: [scope],
    });
    if (!created.ok) throw created.error;
    return created.value.key;
  };
  return {
    tenant,
    adminEmail,
    admin: await browser(adminEmail),
    viewer: await browser(`viewer@${slug}.example`),
    keys: {
      admin: await key('admin'),
      upload: await key('hr-data:write'),
      directory: await key('directory:read'),
    },
  };
}

/** Headers of a browser request; writes carry the CSRF token. */
export const asBrowser = (b: Browser): Record<string, string> => ({
  cookie: b.cookie,
  'x-csrf-token': b.csrf,
});
export const asKey = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

/** The parsed error body of a response. */
export const errorOf = (
  res: LightMyRequestResponse,
): { code: string; message: string; details?: Record<string, unknown> } =>
  res.json<{ error: { code: string; message: string; details?: Record<string, unknown> } }>().error;

export { login };
