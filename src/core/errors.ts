/** The one error type of rostersync: a closed set of codes, mapped to HTTP in one place (server/errors.ts). */

export const errorCodes = [
  'invalid_input', // a request or file is malformed (422)
  'invalid_config', // a connector setting is wrong or missing (422)
  'unauthorized', // no or bad credentials for rostersync itself (401)
  'forbidden', // authenticated but not allowed (403)
  'not_found', // no such object in the caller's tenant (404)
  'conflict', // the object is in a state that forbids this (409)
  'managed_field', // a field managed by the HR source was edited in the app (409)
  'payload_too_large', // body or file over the limit (413)
  'rate_limited', // too many requests (429)
  'source_auth', // the HR system refused our credentials (502 to API callers, 'auth' kind)
  'source_unavailable', // the HR system failed or is unreachable after retries (502, 'transient')
  'source_bad_response', // the HR system answered something we cannot read (502, 'system')
  'run_in_progress', // another run of this integration holds the lease (409)
  'lease_lost', // our lease was taken over; a write was fenced off (409)
  'blocked', // the run needs an admin's confirmation (409)
  'internal', // a bug (500)
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Why a connector failed; the job queue decides retries from this alone (Airbyte `failure_type`). */
export const failureKinds = ['config', 'auth', 'transient', 'system'] as const;
export type FailureKind = (typeof failureKinds)[number];

export interface AppErrorOptions {
  readonly cause?: unknown;
  readonly kind?: FailureKind;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** One error class with a code; `message` is for users: what went wrong, for which record, what to do. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly kind: FailureKind | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.kind = options.kind;
    this.details = options.details;
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;
