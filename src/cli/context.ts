/** What every command shares: the engine from the environment, output as a table or JSON, exit codes. */
import cliProgress from 'cli-progress';
import { loadEnv } from '../config.js';
import { AppError, isAppError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { createEngine, tenantBySlug, type EngineDeps, type Progress } from '../engine/index.js';
import type { RunRecord, Tenant } from '../store/types.js';

/** Exit codes (README): 0 ok, 1 failed, 2 usage, 3 blocked (needs confirmation), 4 partial (record errors). */
export const EXIT = { ok: 0, failed: 1, usage: 2, blocked: 3, partial: 4 } as const;

export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export async function withEngine<T>(fn: (deps: EngineDeps) => Promise<T>): Promise<T> {
  const deps = await createEngine(loadEnv());
  try {
    return await fn(deps);
  } finally {
    await deps.store.close();
  }
}

/** Unwraps a Result or stops the command with the error's message (no stack trace for expected errors). */
export function unwrap<T>(result: Result<T, AppError>): T {
  if (result.ok) return result.value;
  throw result.error;
}

export async function requireTenant(deps: EngineDeps, slug: string): Promise<Tenant> {
  return unwrap(await tenantBySlug(deps, slug));
}

export function print(value: unknown, json: boolean, table?: () => void): void {
  if (json || !table) process.stdout.write(`${JSON.stringify(value, null, json ? 0 : 2)}\n`);
  else table();
}

export function exitCodeFor(run: RunRecord): number {
  switch (run.status) {
    case 'succeeded':
    case 'dry_run':
      return EXIT.ok;
    case 'partial':
      return EXIT.partial;
    case 'blocked':
      return EXIT.blocked;
    default:
      return EXIT.failed;
  }
}

/** A progress bar on stderr for long work (only on a terminal, never in --json mode). */
export function progressBar(enabled: boolean): { onProgress?: (p: Progress) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (p) => {
      const total = p.total ?? Math.max(p.done, 1);
      if (!started) {
        bar.start(total, p.done, { phase: p.phase });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(p.done, { phase: p.phase });
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** Prints an error the way users should see it and returns the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CliExit) {
    if (error.message) process.stderr.write(`${error.message}\n`);
    return error.code;
  }
  if (isAppError(error)) {
    process.stderr.write(`✗ ${error.message}\n`);
    return error.code === 'invalid_input' || error.code === 'invalid_config' ? EXIT.usage : EXIT.failed;
  }
  process.stderr.write(
    `✗ Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.failed;
}

export { AppError };
