// The KiwiHR connector against its emulator: full reads, preflight, auth, faults, completeness and SSRF.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../core/errors.js';
import type { SourceContext } from '../contract.js';
import { startEmulator, type RunningEmulator } from '../_shared/emulator-kit.js';
import { startKiwihrEmulator } from './emulator.js';
import kiwihr, { createKiwihrClient, type KiwihrConfig, type KiwihrUser } from './index.js';

const sleeps: number[] = [];
const context = (
  o: Partial<SourceContext> = {},
): SourceContext & { stats: { requests: number; retries: number } } => ({
  allowLoopback: true,
  stats: { requests: 0, retries: 0 },
  retry: {
    retries: 2,
    baseDelayMs: 1,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  },
  ...o,
});

let emu: RunningEmulator;
let config: KiwihrConfig;
beforeAll(async () => {
  emu = await startKiwihrEmulator({ count: 250, seed: 42 });
  config = { apiKey: emu.state.credentials['apiKey'] ?? '', url: emu.url };
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.control.resetFaults();
  sleeps.length = 0;
});

const readAll = async (o: { config?: KiwihrConfig; ctx?: SourceContext } = {}): Promise<KiwihrUser[][]> => {
  const pages: KiwihrUser[][] = [];
  for await (const page of kiwihr.read(o.config ?? config, o.ctx ?? context())) pages.push([...page]);
  return pages;
};
const failure = async (promise: Promise<unknown>): Promise<AppError> => {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('KiwiHR read', () => {
  it('reads a 250-person roster in 3 pages of 100, 100, 50 (3 requests) and maps every person', async () => {
    const ctx = context();
    const before = emu.state.requests;
    const pages = await readAll({ ctx });
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(emu.state.requests - before).toBe(3);
    expect(ctx.stats).toEqual({ requests: 3, retries: 0 });
    const people = pages.flat().map((u) => kiwihr.map(u));
    expect(people.map((p) => p.sourceId)).toEqual(emu.state.people.map((p) => p.id));
    const first = emu.state.people.find((p) => p.managerId !== null);
    const mapped = people.find((p) => p.sourceId === first?.id);
    expect(mapped).toMatchObject({
      attributes: {
        email: first?.email,
        firstName: first?.firstName,
        employeeNumber: first?.employeeNumber,
        jobTitle: first?.position,
        birthDate: first?.birthDate,
        currentHiredOn: first?.currentHiredOn,
        leavingDate: first?.leavingDate,
      },
      active: first?.status === 'active',
      managerSourceId: first?.managerId,
      groups: first?.teams,
    });
  });

  it('sees terminations, rehires and team moves made through the control API', async () => {
    const [a, b] = emu.state.people.slice(5, 7);
    if (a === undefined || b === undefined) throw new Error('roster too small');
    await emu.control.terminate(a.id, '2020-01-31');
    await emu.control.update(b.id, { teams: ['Leadership'] });
    const mapped = (await readAll()).flat().map((u) => kiwihr.map(u));
    expect(mapped.find((p) => p.sourceId === a.id)).toMatchObject({
      active: false,
      attributes: { leavingDate: '2020-01-31' },
    });
    expect(mapped.find((p) => p.sourceId === b.id)?.groups).toEqual(['Leadership']);
    await emu.control.rehire(a.id);
    const again = (await readAll()).flat().map((u) => kiwihr.map(u));
    expect(again.find((p) => p.sourceId === a.id)).toMatchObject({
      active: true,
      attributes: { leavingDate: null },
    });
  });

  it('retries a 503 on page 2 once and still returns the whole roster', async () => {
    emu.control.setFaults({ failPages: { 2: { status: 503, times: 1 } } });
    const ctx = context();
    const pages = await readAll({ ctx });
    expect(pages.flat()).toHaveLength(250);
    expect(ctx.stats).toEqual({ requests: 4, retries: 1 });
  });

  it('throws a transient error when page 2 keeps answering 503 (after 2 retries)', async () => {
    emu.control.setFaults({ failPages: { 2: { status: 503, times: Infinity } } });
    const ctx = context();
    const e = await failure(readAll({ ctx }));
    expect([e.code, e.kind]).toEqual(['source_unavailable', 'transient']);
    expect(e.message).toContain('503');
    expect(ctx.stats.requests).toBe(1 + 3);
  });

  it('honours Retry-After on a 429', async () => {
    emu.control.setFaults({ failPages: { 2: { status: 429, times: 1, retryAfterSeconds: 3 } } });
    const pages = await readAll();
    expect(pages.flat()).toHaveLength(250);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
  });

  it('a truncated page is a source_bad_response (system)', async () => {
    emu.control.setFaults({ malformedPages: [3] });
    const e = await failure(readAll());
    expect([e.code, e.kind]).toEqual(['source_bad_response', 'system']);
  });

  it('a connection reset on every attempt of a page is transient', async () => {
    emu.control.setFaults({ resetPages: [2] });
    const e = await failure(readAll());
    expect([e.code, e.kind]).toEqual(['source_unavailable', 'transient']);
  });

  it('fails instead of returning a roster whose count changed between pages', async () => {
    const ctx = context();
    const e = await failure(
      (async () => {
        let n = 0;
        for await (const _page of kiwihr.read(config, ctx)) {
          n += 1;
          if (n === 1) await emu.control.hire();
        }
      })(),
    );
    expect([e.code, e.kind]).toEqual(['source_unavailable', 'transient']);
    expect(e.message).toContain('250 → 251');
    emu.state.people.pop();
  });

  it('a GraphQL argument error (page size over the server limit) is a config error', async () => {
    const small = await startKiwihrEmulator({ count: 5, maxLimit: 50 });
    try {
      const e = await failure(readAll({ config: { ...config, url: small.url } }));
      expect([e.code, e.kind]).toEqual(['invalid_config', 'config']);
      expect(e.message).toContain('limit must be between 1 and 50');
    } finally {
      await small.close();
    }
  });
});

describe('KiwiHR check', () => {
  it('authenticates and reads one page', async () => {
    const ctx = context();
    const r = await kiwihr.check(config, ctx);
    expect(r).toEqual({
      ok: true,
      value: {
        summary: `Connected to ${new URL(emu.origin).host}: 250 users (100 read on the first page).`,
        sample: 100,
      },
    });
    expect(ctx.stats.requests).toBe(1);
  });

  it('a wrong key is an auth error that says where to fix it and never shows the key', async () => {
    const wrong = 'wrong-key-123';
    const r = await kiwihr.check({ ...config, apiKey: wrong }, context());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.error.code, r.error.kind]).toEqual(['source_auth', 'auth']);
    expect(r.error.message).toContain('Settings → API keys');
    expect(r.error.message).toContain("'Update credentials'");
    expect(JSON.stringify({ m: r.error.message, d: r.error.details })).not.toContain(wrong);
  });

  it('a revoked key is an auth error, also when KiwiHR answers HTTP 401', async () => {
    emu.control.setFaults({ revoked: true });
    const r = await kiwihr.check(config, context());
    expect(!r.ok && [r.error.code, r.error.kind]).toEqual(['source_auth', 'auth']);
    const strict = await startKiwihrEmulator({ count: 3, authFailure: 'http' });
    try {
      const s = await kiwihr.check({ ...config, url: strict.url, apiKey: 'nope' }, context());
      expect(!s.ok && [s.error.code, s.error.kind, s.error.details?.['status']]).toEqual([
        'source_auth',
        'auth',
        401,
      ]);
    } finally {
      await strict.close();
    }
  });

  it('a URL that is not a KiwiHR GraphQL endpoint is a config error, before any request', async () => {
    const before = emu.state.requests;
    const r = await kiwihr.check({ ...config, url: 'https://acme.kiwihr.com' }, context());
    expect(!r.ok && [r.error.code, r.error.kind]).toEqual(['invalid_config', 'config']);
    expect(!r.ok && r.error.message).toContain('Append /api/graphql');
    const wrongPath = await kiwihr.check({ ...config, url: `${emu.origin}/graphql` }, context());
    expect(!wrongPath.ok && wrongPath.error.code).toBe('invalid_config');
    expect(emu.state.requests).toBe(before);
  });

  it('refuses the loopback emulator when allowLoopback is false (no request reaches it)', async () => {
    const before = emu.state.requests;
    const r = await kiwihr.check(config, context({ allowLoopback: false }));
    expect(!r.ok && [r.error.code, r.error.kind]).toEqual(['invalid_config', 'config']);
    const e = await failure(readAll({ ctx: context({ allowLoopback: false }) }));
    expect(e.code).toBe('invalid_config');
    expect(emu.state.requests).toBe(before);
  });

  it('an unreachable host is transient', async () => {
    const gone = await startKiwihrEmulator({ count: 1 });
    await gone.close();
    const r = await kiwihr.check({ ...config, url: gone.url }, context());
    expect(!r.ok && [r.error.code, r.error.kind]).toEqual(['source_unavailable', 'transient']);
  });
});

describe('KiwiHR client against a misbehaving server', () => {
  const servers: RunningEmulator[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  /** A server that answers every users page with `answer(offset, callNumber)`. */
  const fake = async (answer: (offset: number, call: number) => unknown): Promise<KiwihrConfig> => {
    let calls = 0;
    const server = await startEmulator({
      provider: 'KiwiHR',
      count: 1,
      credentials: { apiKey: 'k' },
      publicUrl: (origin) => `${origin}/api/graphql`,
      handle: async (ctx) => {
        await ctx.fault(1);
        const { variables } = JSON.parse(ctx.body) as { variables: { offset: number } };
        calls += 1;
        ctx.json(200, answer(variables.offset, calls));
      },
    });
    servers.push(server);
    return { apiKey: 'k', url: server.url };
  };
  const item = (id: number) => ({ id: String(id), firstName: 'A', lastName: 'B', isActive: true, teams: [] });
  const usersPage = (o: { offset: number; ids: number[]; count: number }) => ({
    data: { users: { items: o.ids.map(item), pageInfo: { offset: o.offset, limit: 100, count: o.count } } },
  });

  it('a page shorter than the count promises is a source_bad_response, not a truncated roster', async () => {
    const cfg = await fake((offset) =>
      usersPage({
        offset,
        count: 150,
        ids: offset === 0 ? Array.from({ length: 100 }, (_, i) => i) : [100, 101],
      }),
    );
    const e = await failure(readAll({ config: cfg }));
    expect([e.code, e.kind]).toEqual(['source_bad_response', 'system']);
    expect(e.message).toContain('2 users at offset 100 where 50 were expected');
  });

  it('follows a server that caps the page size below 100 (pageInfo.limit) and still reads everything', async () => {
    const cfg = await fake((offset) => ({
      data: {
        users: {
          items: Array.from({ length: Math.min(40, 90 - offset) }, (_, i) => item(offset + i)),
          pageInfo: { offset, limit: 40, count: 90 },
        },
      },
    }));
    const ctx = context();
    const pages = await readAll({ config: cfg, ctx });
    expect(pages.map((p) => p.length)).toEqual([40, 40, 10]);
    expect(new Set(pages.flat().map((u) => u.id)).size).toBe(90);
    expect(ctx.stats.requests).toBe(3);
  });

  it('the same user on two pages is a source_bad_response', async () => {
    const cfg = await fake((offset) =>
      usersPage({ offset, count: 101, ids: offset === 0 ? Array.from({ length: 100 }, (_, i) => i) : [99] }),
    );
    const e = await failure(readAll({ config: cfg }));
    expect(e.code).toBe('source_bad_response');
    expect(e.message).toContain('user 99 on two pages');
  });

  it('a page without pageInfo.count is a source_bad_response naming the field', async () => {
    const cfg = await fake(() => ({ data: { users: { items: [], pageInfo: { offset: 0 } } } }));
    const e = await failure(readAll({ config: cfg }));
    expect(e.code).toBe('source_bad_response');
    expect(e.message).toContain('users.pageInfo.count');
  });

  it('retries a transient GraphQL error sent with HTTP 200, then reads on', async () => {
    const cfg = await fake((offset, call) =>
      call === 1
        ? {
            data: null,
            errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
          }
        : usersPage({ offset, count: 2, ids: [1, 2] }),
    );
    const ctx = context();
    const pages = await readAll({ config: cfg, ctx });
    expect(pages.flat().map((u) => u.id)).toEqual(['1', '2']);
    expect(ctx.stats).toEqual({ requests: 2, retries: 1 });
  });

  it('partial data next to errors is not trusted', async () => {
    const cfg = await fake((offset) => ({
      ...usersPage({ offset, count: 1, ids: [1] }),
      errors: [{ message: 'Cannot return null for manager', path: ['users', 'items', 0, 'manager'] }],
    }));
    const e = await failure(readAll({ config: cfg }));
    expect([e.code, e.kind]).toEqual(['source_bad_response', 'system']);
  });

  it('an empty roster reads as no pages after one request', async () => {
    const cfg = await fake((offset) => usersPage({ offset, count: 0, ids: [] }));
    const ctx = context();
    expect(await readAll({ config: cfg, ctx })).toEqual([]);
    expect(ctx.stats.requests).toBe(1);
    const client = createKiwihrClient({ config: cfg, ctx });
    await client.close();
    expect(client.endpoint.kind).toBe('loopback');
  });
});
