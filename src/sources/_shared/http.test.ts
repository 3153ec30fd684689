/** Tests of the connector HTTP client against scripted loopback servers: retries, Retry-After, errors, SSRF. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { SourceContext } from '../contract.js';
import { createHttpClient, providerMessage, redact } from './http.js';
import type { HttpClient, HttpClientOptions } from './http.js';

type Step = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server that answers each request with the next scripted step (the last one repeats). */
async function scripted(): Promise<{ server: Server; origin: string; steps: Step[]; seen: string[] }> {
  const steps: Step[] = [];
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
    const step = steps.length > 1 ? steps.shift() : steps[0];
    if (step) step(req, res);
    else res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, steps, seen };
}

const reply =
  (status: number, body: string, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

describe('createHttpClient', () => {
  let api: Awaited<ReturnType<typeof scripted>>;
  let canary: Awaited<ReturnType<typeof scripted>>;
  const clients: HttpClient[] = [];
  let stats = { requests: 0, retries: 0 };
  let slept: number[] = [];

  beforeAll(async () => {
    api = await scripted();
    canary = await scripted();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    api.steps.length = 0;
    api.seen.length = 0;
  });
  afterAll(async () => {
    await closeServer(api.server);
    await closeServer(canary.server);
  });

  const ctxWith = (extra: Partial<SourceContext> = {}): SourceContext => {
    stats = { requests: 0, retries: 0 };
    slept = [];
    return {
      allowLoopback: true,
      stats,
      retry: {
        retries: 4,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        sleep: (ms) => Promise.resolve(void slept.push(ms)),
      },
      ...extra,
    };
  };
  const client = (o: Partial<HttpClientOptions> = {}): HttpClient => {
    const c = createHttpClient({
      baseUrl: `${api.origin}/api`,
      provider: 'Personio',
      ...o,
      ctx: o.ctx ?? ctxWith(),
    });
    clients.push(c);
    return c;
  };
  const failure = async (p: Promise<unknown>): Promise<AppError> => {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it('joins base path, path and query, and reads JSON', async () => {
    api.steps.push(reply(200, '{"data":[1,2]}', { 'X-Total': '2' }));
    const res = await client().request({
      path: 'v1/employees',
      query: { limit: 2, offset: 0, skip: undefined },
    });
    expect(api.seen).toEqual(['GET /api/v1/employees?limit=2&offset=0']);
    expect(res.json<{ data: number[] }>().data).toEqual([1, 2]);
    expect(res.headers['x-total']).toBe('2');
    expect(stats).toEqual({ requests: 1, retries: 0 });
  });

  it('retries a 503 and then succeeds, counting requests and retries', async () => {
    api.steps.push(reply(503, '{}'), reply(503, '{}'), reply(200, '{"ok":true}'));
    const res = await client().request({ path: '/x' });
    expect(res.status).toBe(200);
    expect(api.seen).toHaveLength(3);
    expect(stats).toEqual({ requests: 3, retries: 2 });
    expect(slept).toHaveLength(2);
  });

  it('waits at least Retry-After on 429 (seconds) and 503 (HTTP-date)', async () => {
    const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
    api.steps.push(
      reply(429, '{}', { 'retry-after': '2' }),
      reply(503, '{}', { 'retry-after': inFiveSeconds }),
      reply(200, '{}'),
    );
    await client().request({ path: '/x' });
    expect(slept).toHaveLength(2);
    expect(slept[0]).toBeGreaterThanOrEqual(2000);
    expect(slept[1]).toBeGreaterThanOrEqual(3000);
  });

  it('fails at once as transient when Retry-After is over 60 s', async () => {
    api.steps.push(reply(429, '{"message":"slow down"}', { 'retry-after': '120' }));
    const e = await failure(client().request({ path: '/x' }));
    expect([e.code, e.kind]).toEqual(['source_unavailable', 'transient']);
    expect(e.message).toContain('120 s');
    expect(stats.requests).toBe(1);
    expect(slept).toEqual([]);
  });

  it('gives up after the configured retries with kind transient', async () => {
    api.steps.push(reply(502, '{"error":{"message":"upstream down"}}'));
    const e = await failure(client().request({ method: 'POST', path: '/x', body: '{}' }));
    expect([e.code, e.kind]).toEqual(['source_unavailable', 'transient']);
    expect(e.message).toContain('POST /api/x');
    expect(e.message).toContain('502');
    expect(e.message).toContain('upstream down');
    expect(stats).toEqual({ requests: 5, retries: 4 });
    expect(e.details).toMatchObject({ provider: 'Personio', status: 502, method: 'POST', path: '/api/x' });
  });

  it('maps 401 to auth without retrying, with the provider text and the hint', async () => {
    api.steps.push(reply(401, '{"success":false,"error":{"code":0,"message":"Invalid credentials"}}'));
    const e = await failure(
      client({ authHint: 'Check the client id and secret' }).request({ path: '/v1/company/employees' }),
    );
    expect([e.code, e.kind]).toEqual(['source_auth', 'auth']);
    expect(e.message).toBe(
      "Personio refused the credentials (401 on GET /api/v1/company/employees): Invalid credentials. Check the client id and secret, then 'Update credentials'.",
    );
    expect(stats).toEqual({ requests: 1, retries: 0 });
  });

  it.each([400, 404, 405, 422])('maps %i to a config error', async (status) => {
    api.steps.push(reply(status, 'no such company'));
    const e = await failure(client().request({ path: '/x' }));
    expect([e.code, e.kind]).toEqual(['invalid_config', 'config']);
    expect(e.message).toContain(`(${status})`);
    expect(stats.requests).toBe(1);
  });

  it('returns accepted statuses as they are, without retrying', async () => {
    api.steps.push(
      reply(500, '<soap:Fault><faultstring>1001: Invalid Authentication</faultstring></soap:Fault>'),
    );
    const res = await client().request({ method: 'POST', path: '/x', body: '<x/>', acceptStatuses: [500] });
    expect(res.status).toBe(500);
    expect(stats.requests).toBe(1);
  });

  it('refuses a redirect and never connects to its target', async () => {
    api.steps.push(reply(302, '', { location: `${canary.origin}/steal?token=abc` }));
    const e = await failure(client().request({ path: '/x' }));
    expect([e.code, e.kind]).toEqual(['invalid_config', 'config']);
    expect(e.message).toContain(`unexpected redirect to ${new URL(canary.origin).host}`);
    expect(e.message).not.toContain('abc');
    expect(canary.seen).toEqual([]);
  });

  it('redacts secrets from messages (body, path) and never shows query values or request headers', async () => {
    api.steps.push(reply(403, '{"message":"token s3cr3t-T0ken is revoked"}'));
    const e = await failure(
      client({ secrets: ['s3cr3t-T0ken'], headers: { authorization: 'Bearer header-only-value' } }).request({
        path: '/keys/s3cr3t-T0ken/people',
        query: { apiKey: 'query-only-value' },
      }),
    );
    expect(e.message).toContain('***');
    expect(e.message).toContain('/keys/***/people');
    for (const leaked of ['s3cr3t-T0ken', 'query-only-value', 'header-only-value']) {
      expect(e.message).not.toContain(leaked);
      expect(JSON.stringify(e.details)).not.toContain(leaked);
    }
  });

  it('retries a connection reset and ends transient', async () => {
    api.steps.push((_req, res) => res.socket?.destroy());
    const e = await failure(client().request({ path: '/x' }));
    expect([e.code, e.kind]).toEqual(['source_unavailable', 'transient']);
    expect(e.message).toContain('could not be reached');
    expect(stats).toEqual({ requests: 5, retries: 4 });
  });

  it('times out an attempt and retries it', async () => {
    api.steps.push(() => undefined); // never answers
    const c = createHttpClient({
      baseUrl: api.origin,
      provider: 'Personio',
      timeoutMs: 30,
      ctx: ctxWith({ retry: { retries: 1, sleep: () => Promise.resolve() } }),
    });
    clients.push(c);
    const e = await failure(c.request({ path: '/slow' }));
    expect(e.kind).toBe('transient');
    expect(e.message).toContain('timed out after 30 ms');
    expect(stats).toEqual({ requests: 2, retries: 1 });
  });

  it('throws a system error for a body that is not JSON', async () => {
    api.steps.push(reply(200, '{"data":[{"id":'));
    const res = await client().request({ path: '/x' });
    let error: unknown;
    try {
      res.json();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect([(error as AppError).code, (error as AppError).kind]).toEqual(['source_bad_response', 'system']);
  });

  it('stops reading a body over maxResponseBytes (system error, no retry)', async () => {
    api.steps.push(reply(200, JSON.stringify({ data: 'x'.repeat(5000) })));
    const e = await failure(client({ maxResponseBytes: 1000 }).request({ path: '/big' }));
    expect([e.code, e.kind]).toEqual(['source_bad_response', 'system']);
    expect(e.message).toContain('GET /api/big');
    expect(stats.requests).toBe(1);
  });

  it('stops at once when the run is aborted during a Retry-After wait', async () => {
    api.steps.push(reply(429, '{}', { 'retry-after': '30' }));
    const controller = new AbortController();
    const c = createHttpClient({
      baseUrl: api.origin,
      provider: 'Personio',
      ctx: ctxWith({
        signal: controller.signal,
        retry: {
          sleep: () => {
            controller.abort(new AppError('lease_lost', 'lease lost'));
            return new Promise(() => undefined);
          },
        },
      }),
    });
    clients.push(c);
    const e = await failure(c.request({ path: '/x' }));
    expect(e.code).toBe('lease_lost');
    expect(stats.requests).toBe(1);
    await expect(c.request({ path: '/x' })).rejects.toThrow('lease lost');
    expect(stats.requests).toBe(1);
  });

  it('refuses a base URL the SSRF guard rejects, before any request', async () => {
    const c = client({ baseUrl: api.origin, ctx: ctxWith({ allowLoopback: false }) });
    const e = await failure(c.request({ path: '/x' }));
    expect([e.code, e.kind]).toEqual(['invalid_config', 'config']);
    expect(api.seen).toEqual([]);
  });

  it('refuses, at connect time, a host whose DNS answer is loopback (no retry)', async () => {
    const toLoopback: LookupFunction = (_host, _options, callback) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }]);
    const c = client({
      baseUrl: 'https://acme.kiwihr.com/api',
      allowedHosts: /^[a-z0-9-]+\.kiwihr\.com$/,
      resolver: toLoopback,
      ctx: ctxWith({ allowLoopback: false }),
    });
    const e = await failure(c.request({ path: '/graphql' }));
    expect([e.code, e.kind]).toEqual(['invalid_config', 'config']);
    expect(e.message).toContain('127.0.0.1');
    expect(stats).toEqual({ requests: 1, retries: 0 });
  });

  it('refuses an absolute path on another origin (a hostile "next" link)', async () => {
    const e = await failure(client().request({ path: `${canary.origin}/next` }));
    expect(e.code).toBe('source_bad_response');
    expect(canary.seen).toEqual([]);
  });

  it('keeps connections alive and bounded by maxConnections', async () => {
    const ports: number[] = [];
    api.steps.push((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      reply(200, '{}')(req, res);
    });
    const one = client({ maxConnections: 1 });
    for (let i = 0; i < 5; i++) await one.request({ path: '/x' });
    expect(new Set(ports).size).toBe(1);
    ports.length = 0;
    const two = client({ maxConnections: 2 });
    await Promise.all(Array.from({ length: 8 }, () => two.request({ path: '/y' })));
    expect(ports).toHaveLength(8);
    expect(new Set(ports).size).toBeLessThanOrEqual(2);
  });
});

describe('providerMessage / redact', () => {
  it('finds the provider text in JSON, SOAP and plain bodies, trimmed to 300 characters', () => {
    expect(providerMessage('{"errors":[{"message":"Bad token"}]}')).toBe('Bad token');
    expect(providerMessage('{"error_description":"expired"}')).toBe('expired');
    expect(
      providerMessage('<s:Envelope><s:Body><s:Fault><faultstring>---> 1001: Invalid</faultstring>'),
    ).toBe('---> 1001: Invalid');
    expect(providerMessage('  Service\n  Unavailable ')).toBe('Service Unavailable');
    expect(providerMessage('x'.repeat(1000))).toHaveLength(300);
  });
  it('redacts raw and URL-encoded secrets', () => {
    expect(redact({ text: 'k=a/b+c and a%2Fb%2Bc', secrets: ['a/b+c', ''] })).toBe('k=*** and ***');
  });
});
