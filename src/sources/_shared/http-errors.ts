/** Connector error helpers: one shape for every provider failure, secrets redacted, the provider's own text kept short. */
import { AppError } from '../../core/errors.js';
import type { ErrorCode, FailureKind } from '../../core/errors.js';
import type { HttpResponse } from './http.js';
import { BlockedAddressError } from './net-guard.js';

/** Builds a connector error: `details` carry provider, status, method and path for logs and the UI. */
export function sourceError(o: {
  code: ErrorCode;
  kind: FailureKind;
  provider: string;
  message: string;
  status?: number;
  method?: string;
  path?: string;
  cause?: unknown;
}): AppError {
  const details: Record<string, unknown> = { provider: o.provider };
  if (o.status !== undefined) details['status'] = o.status;
  if (o.method !== undefined) details['method'] = o.method;
  if (o.path !== undefined) details['path'] = o.path;
  return new AppError(o.code, o.message, {
    kind: o.kind,
    details,
    ...(o.cause === undefined ? {} : { cause: o.cause }),
  });
}

/** Replaces every secret (raw and URL-encoded) by '***'. */
export function redact(o: { text: string; secrets: readonly string[] }): string {
  let out = o.text;
  for (const secret of o.secrets) {
    if (secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

const messageKeys = ['message', 'error_description', 'error', 'Message', 'detail', 'title', 'faultstring'];

/** The provider's own error text from a JSON, SOAP/XML or plain body, trimmed to 300 characters. */
export function providerMessage(body: string): string {
  const pick = (value: unknown, depth: number): string | undefined => {
    if (typeof value === 'string') return value;
    if (depth > 3 || value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) return value.length > 0 ? pick(value[0], depth + 1) : undefined;
    const record = value as Record<string, unknown>;
    for (const key of [...messageKeys, 'errors']) {
      const found = key in record ? pick(record[key], depth + 1) : undefined;
      if (found !== undefined && found.trim() !== '') return found;
    }
    return undefined;
  };
  let text = body;
  try {
    text = pick(JSON.parse(body), 0) ?? body;
  } catch {
    const fault = /<(?:\w+:)?(?:faultstring|Text|Message)[^>]*>([\s\S]*?)<\//i.exec(body);
    if (fault?.[1] !== undefined) text = fault[1];
    else if (/^\s*</.test(body)) text = body.replace(/<[^>]*>/g, ' ');
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

/** A network error in one line: code and message (never the request). */
export const describeNetworkError = (error: unknown): string => {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
};

/** The SSRF refusal behind a connect error, if that is what it is. */
export const findBlocked = (error: unknown): BlockedAddressError | undefined => {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof BlockedAddressError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
};

/** The redirect target's host only: its path or query may carry tokens. */
export function safeHost(location: string | undefined, from: URL): string {
  if (location === undefined) return 'an unknown location';
  try {
    return new URL(location, from).host;
  } catch {
    return 'an invalid location';
  }
}

/** A read response whose `json()` turns a parse failure into a `source_bad_response` error. */
export function makeResponse(o: {
  status: number;
  headers: Record<string, string>;
  text: string;
  provider: string;
  label: string;
  clean: (text: string) => string;
}): HttpResponse {
  return {
    status: o.status,
    headers: o.headers,
    text: o.text,
    json<T = unknown>(): T {
      try {
        return JSON.parse(o.text) as T;
      } catch (error) {
        throw sourceError({
          code: 'source_bad_response',
          kind: 'system',
          provider: o.provider,
          status: o.status,
          message: o.clean(
            `${o.provider} answered ${o.label} (${o.status}) with a body that is not valid JSON (${o.text.length} characters). This is usually a temporary fault of ${o.provider}; if it persists, contact their support.`,
          ),
          cause: error,
        });
      }
    },
  };
}
