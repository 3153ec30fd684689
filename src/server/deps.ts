/** What every route plugin receives: the engine, the job queue, the environment and the service limits. */
import type { Env } from '../config.js';
import type { EngineDeps, JobQueue } from '../engine/index.js';

/** Rate limits and sizes; defaults in `defaultLimits`, tests lower them. */
export interface ServiceLimits {
  /** Login attempts per IP and email in `loginWindowMs`. */
  readonly loginMax: number;
  readonly loginWindowMs: number;
  /** Uploads per API key in `uploadWindowMs`. */
  readonly uploadMax: number;
  readonly uploadWindowMs: number;
  /** Webhook deliveries per token in `webhookWindowMs`. */
  readonly webhookMax: number;
  readonly webhookWindowMs: number;
  /** JSON bodies of the admin API. */
  readonly jsonBodyBytes: number;
  /** Webhook bodies (People HR sends a few hundred bytes). */
  readonly webhookBodyBytes: number;
}

export const defaultLimits: ServiceLimits = {
  loginMax: 10,
  loginWindowMs: 15 * 60_000,
  uploadMax: 30,
  uploadWindowMs: 60_000,
  webhookMax: 120,
  webhookWindowMs: 60_000,
  jsonBodyBytes: 1024 * 1024,
  webhookBodyBytes: 256 * 1024,
};

/** Work that outlives its request (an upload after its 202); `app.close()` waits for it. */
export interface BackgroundTasks {
  track(task: Promise<unknown>): void;
  /** Resolves when every tracked task has settled. */
  drain(): Promise<void>;
}

export function backgroundTasks(): BackgroundTasks {
  const pending = new Set<Promise<unknown>>();
  return {
    track(task) {
      const settled = task.then(
        () => undefined,
        () => undefined,
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/**
 * The options of every route plugin, `buildServer`'s own and the directory/SCIM plugins alike
 * (`export default async function (app, opts: RouteDeps)`).
 */
export interface RouteDeps {
  readonly deps: EngineDeps;
  readonly queue: JobQueue;
  readonly env: Env;
  readonly limits: ServiceLimits;
  readonly background: BackgroundTasks;
}
