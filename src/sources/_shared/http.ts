/** Hardened HTTP client of the connectors: bounded keep-alive pool, retries with Retry-After, SSRF guard, redacted errors. */
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { AppError } from '../../core/errors.js';
import type { ErrorCode, FailureKind } from '../../core/errors.js';
import type { SourceContext } from '../contract.js';
import {
  describeNetworkError,
  findBlocked,
  makeResponse,
  providerMessage,
  redact,
  safeHost,
  sourceError,
} from './http-errors.js';
import { BlockedAddressError, checkUrl, guardedLookup, isAddressAllowed } from './net-guard.js';
import {
  backoffDelay,
  parseRetryAfter,
  retryAfterStatuses,
  retrySettings,
  retryableStatuses,
  wait,
} from './retry.js';

export { providerMessage, redact, sourceError } from './http-errors.js';

/** Settings of one client: one provider account, one base URL. */
export interface HttpClientOptions {
  /** e.g. 'https://api.personio.de' or the emulator's http://127.0.0.1:port. */
  readonly baseUrl: string;
  /** 'Personio': used in error messages. */
  readonly provider: string;
  /** allowLoopback, signal, stats, retry tuning, log. */
  readonly ctx: SourceContext;
  /** SSRF allow-list for the host (matched as a whole); loopback allowed only if ctx.allowLoopback. */
  readonly allowedHosts?: RegExp;
  readonly headers?: Readonly<Record<string, string>>;
  /** Redacted from every message/log ('***'). */
  readonly secrets?: readonly string[];
  /** Per attempt, default 30_000. */
  readonly timeoutMs?: number;
  /** Keep-alive pool size, default 4. */
  readonly maxConnections?: number;
  /** What an admin should check on 401/403, default "Check the credentials in the connection settings". */
  readonly authHint?: string;
  /** Largest response body read, default 64 MiB; larger is a `source_bad_response`. */
  readonly maxResponseBytes?: number;
  /** DNS resolver behind the SSRF guard; tests inject one (default `dns.lookup`). */
  readonly resolver?: LookupFunction;
}

/** One call; `path` is appended to the base URL's path. */
export interface HttpRequest {
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Statuses the caller handles itself instead of the default mapping (e.g. SOAP faults on 500). */
  readonly acceptStatuses?: readonly number[];
}

/** A fully read response (2xx or an accepted status). */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** Throws AppError('source_bad_response', kind 'system') on bad JSON. */
  json<T = unknown>(): T;
}

/**
 * The connectors' HTTP client. `request` resolves with 2xx (or accepted) responses and throws an
 * `AppError` with a `kind` for everything else, after retries.
 *
 * @example
 * const http = createHttpClient({ baseUrl: 'https://api.personio.de', provider: 'Personio', ctx, secrets: [secret] });
 * const res = await http.request({ path: '/v1/company/employees', query: { limit: 100, offset: 0 } });
 */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

const flattenHeaders = (raw: Record<string, string | string[] | undefined>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
};

/** Outcome of one attempt: a response, or why none came. */
type Attempt =
  | {
      readonly type: 'response';
      readonly status: number;
      readonly headers: Record<string, string>;
      readonly text: string;
    }
  | { readonly type: 'error'; readonly error: unknown; readonly timedOut: boolean };

/**
 * Creates a client with its own undici Agent (keep-alive, at most `maxConnections` sockets). Every
 * connection goes through the SSRF guard at connect time; redirects are never followed. Retries:
 * our own small loop (not p-retry) so Retry-After, abort and the injected sleep are explicit.
 * POSTs are retried too: the HR APIs use POST for reads (GraphQL, SOAP, People HR).
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { provider, ctx } = options;
  const secrets = options.secrets ?? [];
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  const settings = retrySettings(ctx);
  const clean = (text: string): string => redact({ text, secrets });
  const base = checkUrl(options.baseUrl, {
    allowLoopback: ctx.allowLoopback,
    provider,
    ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
  });
  const resolver = options.resolver ?? ctx.resolver;
  const connector = buildConnector({
    lookup: guardedLookup(ctx.allowLoopback, resolver === undefined ? {} : { resolver }),
  });
  // Literal IPs skip `lookup`, so the connect hook checks them too (defense in depth behind checkUrl).
  const connect: buildConnector.connector = (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !isAddressAllowed({ address: host, allowLoopback: ctx.allowLoopback })) {
      callback(new BlockedAddressError(host, host), null);
      return;
    }
    connector(opts, callback);
  };
  const agent = new Agent({
    connections: options.maxConnections ?? 4,
    keepAliveTimeout: 10_000,
    connect,
  });

  const attempt = async (o: {
    origin: string;
    path: string;
    method: string;
    headers: Record<string, string>;
    body: string | undefined;
    /** `GET /path` (redacted), for the one error raised in here. */
    label: string;
    shownPath: string;
  }): Promise<Attempt> => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = (): void => controller.abort(ctx.signal?.reason);
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await agent.request({
        origin: o.origin,
        path: o.path,
        method: o.method,
        headers: o.headers,
        body: o.body ?? null,
        signal: controller.signal,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          res.body.destroy();
          throw sourceError({
            code: 'source_bad_response',
            kind: 'system',
            provider,
            status: res.statusCode,
            method: o.method,
            path: o.shownPath,
            message: `${provider} answered ${o.label} with more than ${maxBytes} bytes; rostersync stopped reading. Try a smaller page size.`,
          });
        }
        chunks.push(chunk);
      }
      const headers = flattenHeaders(res.headers);
      return {
        type: 'response',
        status: res.statusCode,
        headers,
        text: Buffer.concat(chunks).toString('utf8'),
      };
    } catch (error) {
      if (error instanceof AppError) throw error;
      return { type: 'error', error, timedOut };
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
    }
  };

  const request = async (req: HttpRequest): Promise<HttpResponse> => {
    const method = req.method ?? 'GET';
    if (!base.ok) throw base.error;
    const target = resolveTarget({ base: base.value, req, provider });
    // Never show query values (they may hold tokens); the path is redacted like everything else.
    const shownPath = clean(target.pathname);
    const label = `${method} ${shownPath}`;
    const headers: Record<string, string> = {
      'user-agent': 'rostersync',
      ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...lowerKeys(options.headers ?? {}),
      ...lowerKeys(req.headers ?? {}),
    };
    const fail = (o: {
      code: ErrorCode;
      kind: FailureKind;
      message: string;
      status?: number;
      cause?: unknown;
    }): AppError => sourceError({ ...o, message: clean(o.message), provider, method, path: shownPath });
    const throwIfAborted = (): void => {
      if (ctx.signal?.aborted !== true) return;
      const reason: unknown = ctx.signal.reason;
      if (reason instanceof AppError) throw reason;
      throw fail({
        code: 'source_unavailable',
        kind: 'transient',
        message: `The call ${label} to ${provider} was cancelled because the run was stopped.`,
        cause: reason,
      });
    };

    for (let n = 0; ; n++) {
      throwIfAborted();
      if (ctx.stats) ctx.stats.requests += 1;
      const result = await attempt({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method,
        headers,
        body: req.body,
        label,
        shownPath,
      });
      throwIfAborted();
      const attempts = `${n + 1} attempt${n === 0 ? '' : 's'}`;
      let delay = backoffDelay({ attempt: n, ...settings });
      let failure: AppError;
      if (result.type === 'response') {
        const { status, text } = result;
        const accepted = req.acceptStatuses?.includes(status) === true;
        if (accepted || (status >= 200 && status < 300)) {
          return makeResponse({ status, headers: result.headers, text, provider, label, clean });
        }
        const said = providerMessage(text);
        const their = said === '' ? '' : `: ${said}`;
        if (status >= 300 && status < 400) {
          const to = safeHost(result.headers['location'], target);
          throw fail({
            code: 'invalid_config',
            kind: 'config',
            status,
            message: `${provider} answered ${label} with an unexpected redirect to ${to} (${status}); rostersync does not follow redirects. Check the ${provider} address in the connection settings.`,
          });
        }
        if (status === 401 || status === 403) {
          const hint = options.authHint ?? 'Check the credentials in the connection settings';
          throw fail({
            code: 'source_auth',
            kind: 'auth',
            status,
            message: `${provider} refused the credentials (${status} on ${label})${their}. ${hint}, then 'Update credentials'.`,
          });
        }
        if ([400, 404, 405, 422].includes(status)) {
          throw fail({
            code: 'invalid_config',
            kind: 'config',
            status,
            message: `${provider} rejected ${label} (${status})${their}. Check the connection settings (address, company, domain).`,
          });
        }
        if (!retryableStatuses.includes(status)) {
          throw fail({
            code: 'source_bad_response',
            kind: 'system',
            status,
            message: `${provider} answered ${label} with an unexpected status ${status}${their}.`,
          });
        }
        const retryAfter = retryAfterStatuses.includes(status)
          ? parseRetryAfter({ header: result.headers['retry-after'] })
          : null;
        const tooLong = retryAfter !== null && retryAfter > settings.maxRetryAfterMs;
        const why = tooLong ? ` and asked to wait ${Math.ceil(retryAfter / 1000)} s` : '';
        failure = fail({
          code: 'source_unavailable',
          kind: 'transient',
          status,
          message: `${provider} is unavailable: ${label} answered ${status}${their}${why} (${attempts}). rostersync will try again on the next run.`,
        });
        if (tooLong) throw failure;
        if (retryAfter !== null) delay = Math.max(retryAfter, delay);
      } else {
        const blocked = findBlocked(result.error);
        if (blocked !== undefined) {
          throw fail({
            code: 'invalid_config',
            kind: 'config',
            message: `The ${provider} address is not allowed: ${blocked.message}. Enter the public address of your ${provider} account.`,
          });
        }
        const what = result.timedOut
          ? `timed out after ${timeoutMs} ms`
          : `failed (${describeNetworkError(result.error)})`;
        failure = fail({
          code: 'source_unavailable',
          kind: 'transient',
          message: `${provider} could not be reached: ${label} ${what} (${attempts}). rostersync will try again on the next run.`,
          cause: result.error,
        });
      }
      if (n >= settings.retries) throw failure;
      if (ctx.stats) ctx.stats.retries += 1;
      ctx.log?.('http retry', {
        provider,
        method,
        path: shownPath,
        attempt: n + 1,
        delayMs: delay,
        status: result.type === 'response' ? result.status : null,
      });
      try {
        await wait({ ms: delay, signal: ctx.signal, sleep: settings.sleep });
      } catch {
        throwIfAborted();
        throw failure;
      }
    }
  };

  return {
    request,
    close: async () => {
      await agent.close();
    },
  };
}

const lowerKeys = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** Joins base path and request path; an absolute `path` (a "next" link) must stay on the base origin. */
function resolveTarget(o: { base: URL; req: HttpRequest; provider: string }): URL {
  const { base, req } = o;
  let target: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(req.path)) {
    target = new URL(req.path);
    if (target.origin !== base.origin) {
      throw sourceError({
        code: 'source_bad_response',
        kind: 'system',
        provider: o.provider,
        message: `${o.provider} pointed rostersync to another host (${target.host}); rostersync only talks to ${base.host}.`,
      });
    }
  } else {
    const [pathPart = '', queryPart] = req.path.split('?');
    const basePath = base.pathname.replace(/\/+$/, '');
    const extra = pathPart === '' ? '' : pathPart.startsWith('/') ? pathPart : `/${pathPart}`;
    target = new URL(base.origin);
    target.pathname = `${basePath}${extra}` || '/';
    target.search = queryPart === undefined ? '' : `?${queryPart}`;
  }
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) target.searchParams.append(key, String(value));
  }
  return target;
}
