// Local Personio v1 emulator: POST /v1/auth tokens, paged GET /v1/company/employees, by-id reads, faults.
import { randomBytes } from 'node:crypto';
import { startEmulator } from '../_shared/index.js';
import type { ApiContext, FaultDecision, HrPerson, RunningEmulator } from '../_shared/index.js';
import { personioRenderedAttributes, renderEmployee } from './emulator-render.js';
import type { RenderContext } from './emulator-render.js';

/** What connects to the emulator by default (keys = Personio config field names). */
export const personioEmulatorCredentials = {
  clientId: 'rostersync-demo-client-id',
  clientSecret: 'rostersync-demo-client-secret',
} as const;

export type PersonioCredentials = { clientId: string; clientSecret: string };

/**
 * Token behaviour: `stable` (today's API: one `papi-` token per credential, valid `tokenTtlSeconds`,
 * echoed on every response) or `one-time` (the older API: a token works once, each response carries the next).
 */
export const personioTokenModes = ['stable', 'one-time'] as const;
export type PersonioTokenMode = (typeof personioTokenModes)[number];

export interface PersonioEmulatorOptions {
  readonly port?: number;
  readonly count?: number;
  readonly seed?: number;
  readonly people?: HrPerson[];
  readonly credentials?: Partial<PersonioCredentials>;
  /** Decides `onboarding` (hired after today); also the generator's and the control API's date. */
  readonly today?: string;
  readonly tokenMode?: PersonioTokenMode;
  /** `expires_in` of issued tokens (default 86 400, as Personio). */
  readonly tokenTtlSeconds?: number;
  /** Attributes whitelisted on the API credential (default: every attribute the emulator renders). */
  readonly attributes?: readonly string[];
}

/** Personio-specific controls on top of the kit's. */
export interface PersonioEmulatorControls {
  /** Invalidates every issued token, as if they had expired: the next data call gets 403. */
  expireTokens(): void;
  setTokenMode(mode: PersonioTokenMode): void;
  /** Changes the credential's attribute whitelist (null = everything). */
  setAttributes(keys: readonly string[] | null): void;
  /** Tokens issued by `POST /v1/auth`. */
  tokensIssued(): number;
}

export type PersonioEmulator = RunningEmulator & { readonly personio: PersonioEmulatorControls };

/** Personio enforces limit ≤ 100 and serves 50 when no pagination parameter is sent (since 31 Jan 2025). */
const maxLimit = 100;
const defaultLimit = 50;

const failure = (code: number, message: string): unknown => ({ success: false, error: { code, message } });

const statusText: Readonly<Record<number, string>> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Starts the emulator on 127.0.0.1; `url` is what an admin enters as API URL. */
export async function startPersonioEmulator(o: PersonioEmulatorOptions = {}): Promise<PersonioEmulator> {
  const today = o.today ?? new Date().toISOString().slice(0, 10);
  const ttlMs = (o.tokenTtlSeconds ?? 86_400) * 1000;
  let tokenMode: PersonioTokenMode = o.tokenMode ?? 'stable';
  let whitelist: ReadonlySet<string> = new Set(o.attributes ?? personioRenderedAttributes);
  const tokens = new Map<string, number>();
  let stableToken: string | null = null;
  let issued = 0;

  const newToken = (): string => {
    const token = `papi-${randomBytes(24).toString('base64url')}`;
    tokens.set(token, Date.now() + ttlMs);
    return token;
  };
  const isLive = (token: string): boolean => (tokens.get(token) ?? 0) > Date.now();

  /** Renders a fault decision the way Personio would; returns true when the response is sent. */
  const renderFault = (ctx: ApiContext, d: FaultDecision, revoked: () => void): boolean => {
    switch (d.action) {
      case 'ok':
      case 'malformed':
        return false;
      case 'revoked':
        revoked();
        return true;
      case 'status':
        ctx.json(d.status, failure(d.status, statusText[d.status] ?? 'Something went wrong'), d.headers);
        return true;
      case 'reset':
        ctx.destroy();
        return true;
    }
  };

  /** Sends a 200 (truncated for a 'malformed' decision) with the token to use next. */
  const reply = (ctx: ApiContext, d: FaultDecision, value: unknown, token: string): void => {
    const headers = { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` };
    const body = JSON.stringify(value);
    ctx.send(
      200,
      d.action === 'malformed' ? body.slice(0, Math.max(1, Math.floor(body.length / 2))) : body,
      headers,
    );
  };

  const auth = async (ctx: ApiContext): Promise<void> => {
    const d = await ctx.fault(0);
    const refuse = (): void => ctx.json(401, failure(401, 'Wrong credentials'));
    if (renderFault(ctx, d, refuse)) return;
    const given = authFields(ctx);
    if (given.clientId === '' || given.clientSecret === '') {
      ctx.json(422, failure(422, 'The client_id and client_secret fields are required.'));
      return;
    }
    const { clientId, clientSecret } = ctx.state.credentials;
    if (given.clientId !== clientId || given.clientSecret !== clientSecret) return refuse();
    issued += 1;
    if (tokenMode === 'stable') {
      if (stableToken === null || !isLive(stableToken)) stableToken = newToken();
    }
    const token = tokenMode === 'stable' && stableToken !== null ? stableToken : newToken();
    const value = {
      success: true,
      data: { token, expires_in: Math.round(ttlMs / 1000), scope: 'employees:read' },
    };
    if (d.action === 'malformed') reply(ctx, d, value, token);
    else ctx.json(200, value);
  };

  /** Checks the bearer token; sends Personio's 401/403 body and returns null when it is refused. */
  const bearer = (ctx: ApiContext): string | null => {
    const match = /^Bearer\s+(\S+)$/i.exec(ctx.headers['authorization'] ?? '');
    if (match?.[1] === undefined) {
      ctx.json(401, failure(401, 'Authorization is not provided'));
      return null;
    }
    if (!isLive(match[1])) {
      ctx.json(403, failure(403, 'Provided authorization is not valid'));
      return null;
    }
    if (tokenMode === 'stable') return match[1];
    tokens.delete(match[1]);
    return newToken();
  };

  // The id index is rebuilt only when the roster array is replaced or grows: every page needs it for
  // supervisors, and rebuilding it per request dominated a 10k read. In-place updates keep ids.
  let index: { people: HrPerson[]; length: number; byId: Map<string, HrPerson> } | null = null;
  const byIdOf = (people: HrPerson[]): ReadonlyMap<string, HrPerson> => {
    if (index === null || index.people !== people || index.length !== people.length) {
      index = { people, length: people.length, byId: new Map(people.map((p) => [p.id, p])) };
    }
    return index.byId;
  };

  const renderContext = (ctx: ApiContext, projection: readonly string[]): RenderContext => {
    const keys = projection.length === 0 ? whitelist : new Set(projection.filter((k) => whitelist.has(k)));
    return { byId: byIdOf(ctx.state.people), today, keys };
  };

  const list = async (ctx: ApiContext): Promise<void> => {
    const q = ctx.url.searchParams;
    const limitRaw = q.get('limit');
    const offsetRaw = q.get('offset');
    const limit = limitRaw === null ? defaultLimit : Math.min(maxLimit, Number(limitRaw));
    const offset = offsetRaw === null ? 0 : Number(offsetRaw);
    const valid = Number.isInteger(limit) && limit >= 1 && Number.isInteger(offset) && offset >= 0;
    const d = await ctx.fault(valid ? Math.floor(offset / limit) + 1 : 1);
    if (renderFault(ctx, d, () => ctx.json(403, failure(403, 'Provided authorization is not valid')))) return;
    const token = bearer(ctx);
    if (token === null) return;
    if (!valid) {
      ctx.json(
        400,
        failure(400, 'limit must be an integer of at least 1 and offset an integer of at least 0'),
      );
      return;
    }
    const email = q.get('email')?.toLowerCase();
    const people =
      email === undefined
        ? ctx.state.people
        : ctx.state.people.filter((p) => p.email.toLowerCase() === email);
    const r = renderContext(ctx, q.getAll('attributes[]'));
    const total = people.length;
    reply(
      ctx,
      d,
      {
        success: true,
        metadata: {
          total_elements: total,
          current_page: Math.floor(offset / limit),
          total_pages: Math.ceil(total / limit),
        },
        offset,
        limit,
        data: people.slice(offset, offset + limit).map((p) => renderEmployee(p, r)),
      },
      token,
    );
  };

  const one = async (ctx: ApiContext, id: string): Promise<void> => {
    const d = await ctx.fault(1);
    if (renderFault(ctx, d, () => ctx.json(403, failure(403, 'Provided authorization is not valid')))) return;
    const token = bearer(ctx);
    if (token === null) return;
    const person = ctx.state.people.find((p) => p.id === id);
    // Personio's by-id 404 body, localized German as the spec shows it.
    if (person === undefined) return ctx.json(404, failure(0, 'Es ist ein Problem aufgetreten'));
    reply(ctx, d, { success: true, data: renderEmployee(person, renderContext(ctx, [])) }, token);
  };

  const emulator = await startEmulator({
    provider: 'Personio',
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.count === undefined ? {} : { count: o.count }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.people === undefined ? {} : { people: o.people }),
    ...(o.today === undefined ? {} : { today: o.today }),
    credentials: { ...personioEmulatorCredentials, ...o.credentials },
    handle: async (ctx) => {
      const path = ctx.url.pathname.replace(/\/+$/, '');
      const byId = /^\/v1\/company\/employees\/([^/]+)$/.exec(path);
      if (ctx.method === 'POST' && path === '/v1/auth') return auth(ctx);
      if (ctx.method === 'GET' && path === '/v1/company/employees') return list(ctx);
      if (ctx.method === 'GET' && byId?.[1] !== undefined) return one(ctx, decodeURIComponent(byId[1]));
      ctx.json(404, failure(404, `No route for ${ctx.method} ${path}`));
    },
  });

  return {
    ...emulator,
    personio: {
      expireTokens: () => {
        tokens.clear();
        stableToken = null;
      },
      setTokenMode: (mode) => {
        tokenMode = mode;
      },
      setAttributes: (keys) => {
        whitelist = new Set(keys ?? personioRenderedAttributes);
      },
      tokensIssued: () => issued,
    },
  };
}

/** client_id/client_secret from a JSON or form body (query string: the deprecated form, still read). */
function authFields(ctx: ApiContext): PersonioCredentials {
  let fields: Record<string, unknown> = {};
  const type = ctx.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(ctx.body);
      if (parsed !== null && typeof parsed === 'object') fields = parsed as Record<string, unknown>;
    } catch {
      fields = {};
    }
  } else if (ctx.body !== '') {
    fields = Object.fromEntries(new URLSearchParams(ctx.body));
  }
  const pick = (key: string): string => {
    const value = fields[key] ?? ctx.url.searchParams.get(key);
    return typeof value === 'string' ? value : '';
  };
  return { clientId: pick('client_id'), clientSecret: pick('client_secret') };
}
