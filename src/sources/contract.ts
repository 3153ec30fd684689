/** The connector contract: every HR system is one folder that calls `defineSource` (spec, check, read, map). */
import type { LookupFunction } from 'node:net';
import type { z } from 'zod';
import type { AppError } from '../core/errors.js';
import type { ManagedField, SourcePerson } from '../core/model.js';
import type { Result } from '../core/result.js';

export const providerIds = ['personio', 'kiwihr', 'nmbrs', 'peoplehr', 'file'] as const;
export type ProviderId = (typeof providerIds)[number];

/** Static description of a source: config schema (secrets marked), the fields it manages, setup steps. */
export interface SourceSpec<C> {
  readonly id: ProviderId;
  /** Display name: "Personio", "People HR". */
  readonly title: string;
  /** zod schema of the connection settings; exported as JSON Schema for the UI forms. */
  readonly configSchema: z.ZodType<C>;
  /** Config keys that are secrets: stored encrypted, never logged, never returned. */
  readonly secretFields: readonly (keyof C & string)[];
  /** Labels and help for each config key, in form order. */
  readonly configFields: readonly ConfigFieldSpec[];
  /** The directory fields this source manages (read-only in the app while connected). */
  readonly managedFields: readonly ManagedField[];
  /** Whether the source sends webhooks (People HR). */
  readonly webhooks: boolean;
  /** Short setup steps an admin follows in the HR system (docs/providers/<id>.md has the long form). */
  readonly setupSteps: readonly string[];
}

export interface ConfigFieldSpec {
  readonly key: string;
  readonly label: string;
  readonly secret: boolean;
  readonly help?: string;
  readonly placeholder?: string;
}

/** What a connector may use at run time; everything is injected. */
export interface SourceContext {
  /** Cancels in-flight requests when the run is aborted or its lease is lost. */
  readonly signal?: AbortSignal;
  /** Loopback/private hosts (emulators) are refused unless this is true (ROSTERSYNC_ALLOW_LOOPBACK_SOURCES=1). */
  readonly allowLoopback: boolean;
  /**
   * DNS resolver behind the SSRF guard (default `dns.lookup`): tests inject one to prove a name that
   * resolves to a private address is refused before any socket opens.
   */
  readonly resolver?: LookupFunction;
  /** Counts requests made, for reports and the benchmark. */
  readonly stats?: { requests: number; retries: number };
  /** Structured debug log; never receives secrets. */
  readonly log?: (message: string, data?: Record<string, unknown>) => void;
  /** Retry tuning, for tests (default: 4 retries, 250 ms base, 10 s cap). */
  readonly retry?: {
    readonly retries?: number;
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
    /** Replaces the real timer between attempts, so tests count waits instead of sleeping. */
    readonly sleep?: (ms: number) => Promise<void>;
  };
}

/** The outcome of a preflight: who we are talking to, and how many people one page held. */
export interface CheckInfo {
  readonly summary: string;
  readonly sample: number;
}

/** What a webhook delivery asks for: re-fetch these ids, or run a full sync when it names none. */
export type WebhookHint =
  { readonly kind: 'ids'; readonly ids: readonly string[] } | { readonly kind: 'full' };

/**
 * A connector. `read` streams pages of raw provider records and throws an `AppError` with a
 * `kind` when a page still fails after retries: the engine then applies nothing.
 * `map` is pure: raw record → SourcePerson (validation happens in core).
 *
 * @example
 * export default defineSource({
 *   spec, check: (cfg, ctx) => client(cfg, ctx).preflight(),
 *   read: (cfg, ctx) => client(cfg, ctx).employees(), map: mapEmployee,
 * });
 */
export interface Source<C = unknown, R = unknown> {
  readonly spec: SourceSpec<C>;
  check(config: C, ctx: SourceContext): Promise<Result<CheckInfo, AppError>>;
  read(config: C, ctx: SourceContext): AsyncIterable<readonly R[]>;
  /** Partial fetch of the named people (webhooks); absent when the source has no such call. */
  readByIds?(config: C, ids: readonly string[], ctx: SourceContext): AsyncIterable<readonly R[]>;
  map(raw: R): SourcePerson;
  /** Turns a webhook body into what to re-fetch; never trusts the data in it. */
  parseWebhook?(body: unknown): WebhookHint;
}

export const defineSource = <C, R>(source: Source<C, R>): Source<C, R> => source;
