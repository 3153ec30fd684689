/** The one fetch wrapper of the UI: JSON in and out, the CSRF header on writes, API errors as ApiRequestError. */
import type { ApiError, ErrorCode } from './types.js';

/** Base path of the admin API. */
export const API_BASE = '/api/v1';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One problem with one field, as a 422 names it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** An error answer of the API (or a network failure, code `network`), with the server's message for users. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'network';
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(o: {
    status: number;
    code: ErrorCode | 'network';
    message: string;
    details?: Readonly<Record<string, unknown>> | undefined;
  }) {
    super(o.message);
    this.name = 'ApiRequestError';
    this.status = o.status;
    this.code = o.code;
    this.details = o.details;
  }

  /** The fields a 422 names (`details.fields`), empty otherwise. */
  get fieldProblems(): readonly FieldProblem[] {
    const fields = this.details?.['fields'];
    if (!Array.isArray(fields)) return [];
    return fields.flatMap((f: unknown) => {
      if (typeof f !== 'object' || f === null) return [];
      const { field, message } = f as Record<string, unknown>;
      return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
    });
  }
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => undefined;

/** Remembers the session's CSRF token: every state-changing request sends it as `x-csrf-token`. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API answers 401 (session expired or signed out elsewhere). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x`, skipping empty values. */
export function queryString(query: Readonly<Record<string, QueryValue>> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

const isApiError = (value: unknown): value is ApiError =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { error?: { message?: unknown } }).error?.message === 'string';

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `/api/v1`, starting with `/`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON-encoded, or sent as is when a FormData. */
  readonly body?: unknown;
  /** Extra headers (e.g. `authorization` for an upload with an API key). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

async function errorOf(response: Response): Promise<ApiRequestError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page): fall back to the status text below.
  }
  if (isApiError(payload)) {
    return new ApiRequestError({
      status: response.status,
      code: payload.error.code,
      message: payload.error.message,
      details: payload.error.details,
    });
  }
  return new ApiRequestError({
    status: response.status,
    code: response.status >= 500 ? 'internal' : 'invalid_input',
    message: `The server answered ${response.status} ${response.statusText}. Try again in a moment.`,
  });
}

/** Sends one request to the admin API and returns its JSON body (undefined for 204). */
export async function apiRequest<T>(o: RequestOptions): Promise<T> {
  const method = o.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
  let body: BodyInit | undefined;
  if (o.body instanceof FormData) body = o.body;
  else if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.body);
  }
  if (WRITE_METHODS.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${o.path}${queryString(o.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body }),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiRequestError({
      status: 0,
      code: 'network',
      message:
        'The rostersync service did not answer. Check your connection and that the service runs, then retry.',
    });
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && !o.path.startsWith('/session')) onUnauthorized();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Shorthands for the common verbs. */
export const api = {
  get: <T>(path: string, query?: Readonly<Record<string, QueryValue>>, signal?: AbortSignal) =>
    apiRequest<T>({ path, ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>({ method: 'POST', path, body }),
  put: <T>(path: string, body: unknown) => apiRequest<T>({ method: 'PUT', path, body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>({ method: 'PATCH', path, body }),
  delete: <T>(path: string) => apiRequest<T>({ method: 'DELETE', path }),
};

/** The user-facing text of any error the UI catches. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  if (error instanceof Error && error.message !== '') return error.message;
  return 'Something went wrong. Try again.';
}
