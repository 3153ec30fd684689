/** Who is calling: a session cookie (with CSRF on writes) or a Bearer API key, checked against each route's `access`. */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import {
  authenticateApiKey,
  resolveSession,
  type AdminSession,
  type ApiKeyScope,
  type EngineDeps,
} from '../../engine/index.js';
import type { ApiKeyRecord } from '../../store/types.js';

export const SESSION_COOKIE = 'rs_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The authenticated caller; every query a route makes is scoped to `tenantId`. */
export type Principal =
  | {
      readonly kind: 'session';
      readonly tenantId: string;
      readonly session: AdminSession;
      readonly actor: string;
    }
  | {
      readonly kind: 'apiKey';
      readonly tenantId: string;
      readonly key: ApiKeyRecord;
      readonly actor: string;
    };

/**
 * Who may call a route. `session: 'read'` lets viewers in, `'write'` only admins; `scopes` lists the API
 * key scopes that grant access (any one of them). A route without `access` is public.
 */
export interface Access {
  readonly session?: 'read' | 'write';
  readonly scopes?: readonly ApiKeyScope[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** Admin API reads: viewers and admins, or a key with `admin`. */
export const adminRead: Access = { session: 'read', scopes: ['admin'] };
/** Admin API writes: admins only, or a key with `admin`. */
export const adminWrite: Access = { session: 'write', scopes: ['admin'] };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const unauthorized = (message: string): AppError => new AppError('unauthorized', message);

/** Failed API-key attempts allowed per client address in a window; after that, 429 (key guessing). */
export const BAD_KEY_MAX = 30;
export const BAD_KEY_WINDOW_MS = 5 * 60_000;

/** Counts failed key attempts per client address in a fixed window; bounded in memory. */
export function badKeyLimiter(o: { max: number; windowMs: number; now?: () => number }) {
  const now = o.now ?? Date.now;
  const hits = new Map<string, { count: number; resetAt: number }>();
  return {
    /** Seconds until the client may try again, or 0 when it may try now. */
    blockedFor(client: string): number {
      const entry = hits.get(client);
      if (!entry || entry.resetAt <= now()) return 0;
      return entry.count >= o.max ? Math.ceil((entry.resetAt - now()) / 1000) : 0;
    },
    fail(client: string): void {
      const t = now();
      if (hits.size > 10_000) for (const [k, v] of hits) if (v.resetAt <= t) hits.delete(k);
      const entry = hits.get(client);
      if (!entry || entry.resetAt <= t) hits.set(client, { count: 1, resetAt: t + o.windowMs });
      else entry.count += 1;
    },
  };
}

type BadKeyLimiter = ReturnType<typeof badKeyLimiter>;

async function identify(
  deps: EngineDeps,
  request: FastifyRequest,
  limiter: BadKeyLimiter,
): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    // Checked before the lookup: a client guessing keys is stopped without touching the database.
    const wait = limiter.blockedFor(request.ip);
    if (wait > 0) {
      throw new AppError(
        'rate_limited',
        `Too many invalid API keys from this client: try again in ${wait} s.`,
        {
          details: { retryAfterSeconds: wait },
        },
      );
    }
    // A presented key is the only credential considered: a bad key never falls back to the cookie.
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const key = match?.[1] ? await authenticateApiKey(deps, match[1]) : undefined;
    if (!key) {
      limiter.fail(request.ip);
      throw unauthorized(
        'The API key is missing, malformed, revoked or unknown. Send `Authorization: Bearer rs_...` with an active key.',
      );
    }
    return { kind: 'apiKey', tenantId: key.tenantId, key, actor: `api:${key.name}` };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (token === undefined || token === '') return null;
  const session = await resolveSession(deps, token);
  if (!session) throw unauthorized('Your session has expired or was signed out. Sign in again.');
  return { kind: 'session', tenantId: session.tenantId, session, actor: `admin:${session.email}` };
}

function authorize(request: FastifyRequest, access: Access): void {
  const p = request.principal;
  const scopes = access.scopes ?? [];
  if (p === null) {
    throw unauthorized(
      access.session
        ? 'Sign in first (POST /api/v1/session), or send an API key as `Authorization: Bearer rs_...`.'
        : `Send an API key with the scope ${scopes.join(' or ')} as \`Authorization: Bearer rs_...\`.`,
    );
  }
  if (p.kind === 'apiKey') {
    if (scopes.some((s) => p.key.scopes.includes(s))) return;
    throw new AppError(
      'forbidden',
      scopes.length > 0
        ? `The API key '${p.key.name}' lacks the scope ${scopes.join(' or ')}: create a key with that scope.`
        : 'This endpoint is for signed-in admins, not API keys.',
      { details: { required: scopes, granted: p.key.scopes } },
    );
  }
  if (access.session === undefined) {
    throw new AppError('forbidden', `This endpoint needs an API key with the scope ${scopes.join(' or ')}.`);
  }
  if (access.session === 'write' && p.session.role !== 'admin') {
    throw new AppError(
      'forbidden',
      'Viewers can look but not change anything: ask an admin of your company.',
    );
  }
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, p.session.csrfToken)) {
      throw new AppError(
        'forbidden',
        `The ${CSRF_HEADER} header is missing or wrong: send the csrfToken returned by sign-in or GET /api/v1/session.`,
        { details: { csrf: true } },
      );
    }
  }
}

/**
 * Installs the `principal` request property and one onRequest hook: it identifies the caller on every
 * route and enforces the route's `config.access` (routes without it are public, e.g. sign-in, webhooks).
 * Plugins registered later (directory API, SCIM) can use `config.access` the same way.
 */
export function registerAuth(app: FastifyInstance, deps: EngineDeps): void {
  const limiter = badKeyLimiter({ max: BAD_KEY_MAX, windowMs: BAD_KEY_WINDOW_MS });
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return;
    request.principal = await identify(deps, request, limiter);
    authorize(request, access);
  });
}

/** The caller of a route that has `access` (always set there; a bug otherwise). */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null)
    throw new AppError('internal', 'Route without access rules asked for a principal.');
  return request.principal;
}
