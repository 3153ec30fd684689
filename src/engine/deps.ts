/** What the engine's use cases need, injected by the entry points (server, jobs, CLI, tests). */
import type { Clock, IdGenerator } from '../core/ports.js';
import type { Source, SourceContext } from '../sources/contract.js';
import type { Store } from '../store/index.js';
import type { CredentialCipher } from './credentials.js';

/** Structured logger (pino-compatible subset); the engine never passes secrets to it. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export interface EngineDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly cipher: CredentialCipher;
  readonly sources: (provider: string) => Source | undefined;
  readonly log: Logger;
  /** Loopback HR hosts (emulators) allowed: ROSTERSYNC_ALLOW_LOOPBACK_SOURCES. */
  readonly allowLoopbackSources: boolean;
  /** This process's lease owner id (host:pid:random). */
  readonly owner: string;
  readonly leaseTtlMs: number;
  /** User writes per apply transaction (default 5 000, see run-sync.ts). */
  readonly batchSize?: number;
  /** Retry tuning handed to connectors (tests make it instant). */
  readonly retry?: NonNullable<SourceContext['retry']>;
}

/** Today in a time zone, `YYYY-MM-DD` (leaving dates are compared in the tenant's zone). */
export function todayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
