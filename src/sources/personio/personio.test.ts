// The Personio connector against its emulator: full reads, preflight outcomes, faults, tokens, SSRF.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { SourceContext } from '../contract.js';
import { createPersonioClient } from './client.js';
import { personioEmulatorCredentials, startPersonioEmulator } from './emulator.js';
import type { PersonioEmulator } from './emulator.js';
import personio, { personioSource } from './index.js';
import type { PersonioEmployee } from './map.js';
import type { PersonioConfig } from './spec.js';

type TestContext = SourceContext & { stats: { requests: number; retries: number }; sleeps: number[] };

/** Loopback allowed, 2 retries, and a sleep that records instead of waiting. */
const testCtx = (o: Partial<SourceContext> = {}): TestContext => {
  const sleeps: number[] = [];
  return {
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
    sleeps,
    ...o,
  };
};

const readAll = async (config: PersonioConfig, ctx: SourceContext): Promise<PersonioEmployee[][]> => {
  const pages: PersonioEmployee[][] = [];
  for await (const page of personio.read(config, ctx)) pages.push([...page]);
  return pages;
};

/** The thrown AppError of a promise (fails the test when it resolves or throws something else). */
const failureOf = async (run: () => Promise<unknown>): Promise<AppError> => {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, the call succeeded');
};

let emu: PersonioEmulator;
let config: PersonioConfig;

beforeAll(async () => {
  emu = await startPersonioEmulator({ port: 0, count: 250, seed: 4, today: '2026-11-23' });
  config = { ...personioEmulatorCredentials, apiUrl: emu.url };
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.control.resetFaults();
  emu.personio.setAttributes(null);
  emu.personio.setTokenMode('stable');
  emu.state.requests = 0;
});

describe('read', () => {
  it('reads 250 people in 3 pages with one token request', async () => {
    const ctx = testCtx();
    const pages = await readAll(config, ctx);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    const ids = new Set(pages.flat().map((e) => personio.map(e).sourceId));
    expect(ids.size).toBe(250);
    expect(ctx.stats).toEqual({ requests: 4, retries: 0 });
    expect(emu.state.requests).toBe(4);
  });

  it('maps the emulator roster onto the managed fields', async () => {
    const people = (await readAll(config, testCtx())).flat().map((e) => personio.map(e));
    const ceo = people.find((p) => p.managerSourceId === null);
    expect(ceo?.attributes.jobTitle).toBe('Chief Executive Officer');
    const first = emu.state.people[1];
    const mapped = people.find((p) => p.sourceId === first?.id);
    expect(mapped?.attributes).toEqual({
      email: first?.email,
      firstName: first?.firstName,
      lastName: first?.lastName,
      gender: first?.gender,
      department: first?.department,
      jobTitle: first?.position,
      firstHiredOn: first?.firstHiredOn,
      leavingDate: first?.leavingDate,
    });
    expect(mapped?.managerSourceId).toBe(first?.managerId);
    const inactive = emu.state.people.filter((p) => p.status === 'inactive').map((p) => p.id);
    expect(inactive.length).toBeGreaterThan(0);
    expect(people.filter((p) => !p.active).map((p) => p.sourceId)).toEqual(inactive);
  });

  it('retries a 503 on page 2 once and still reads everything', async () => {
    emu.control.setFaults({ failPages: { 2: { status: 503, times: 1 } } });
    const ctx = testCtx();
    const pages = await readAll(config, ctx);
    expect(pages.flat()).toHaveLength(250);
    expect(ctx.stats).toEqual({ requests: 5, retries: 1 });
  });

  it('throws a transient error when page 2 keeps failing, after the yielded page 1', async () => {
    emu.control.setFaults({ failPages: { 2: { status: 503, times: Infinity } } });
    const ctx = testCtx();
    const seen: number[] = [];
    const error = await failureOf(async () => {
      for await (const page of personio.read(config, ctx)) seen.push(page.length);
    });
    expect(seen).toEqual([100]);
    expect(error).toMatchObject({ code: 'source_unavailable', kind: 'transient' });
    expect(error.message).toContain('503');
    expect(ctx.stats).toEqual({ requests: 5, retries: 2 });
  });

  it('honours Retry-After on 429', async () => {
    emu.control.setFaults({ rateLimit: { everyNth: 3, retryAfterSeconds: 2 } });
    const ctx = testCtx();
    expect((await readAll(config, ctx)).flat()).toHaveLength(250);
    expect(ctx.sleeps.length).toBeGreaterThanOrEqual(1);
    for (const ms of ctx.sleeps) expect(ms).toBeGreaterThanOrEqual(2000);
  });

  it('reports a malformed page as a bad response', async () => {
    emu.control.setFaults({ malformedPages: [2] });
    const error = await failureOf(() => readAll(config, testCtx()));
    expect(error).toMatchObject({ code: 'source_bad_response', kind: 'system' });
  });

  it('treats a connection reset as transient', async () => {
    emu.control.setFaults({ resetPages: [3] });
    const error = await failureOf(() => readAll(config, testCtx()));
    expect(error).toMatchObject({ code: 'source_unavailable', kind: 'transient' });
  });

  it('fails instead of returning a list that changed between pages', async () => {
    const error = await failureOf(async () => {
      let n = 0;
      for await (const _page of personio.read(config, testCtx())) {
        n += 1;
        if (n === 1) await emu.control.hire({ id: '990001', email: 'late.hire@acme.example' });
      }
    });
    emu.state.people = emu.state.people.filter((p) => p.id !== '990001');
    expect(error).toMatchObject({ code: 'source_bad_response', kind: 'transient' });
    expect(error.message).toContain('from 250 to 251');
  });

  it('reads the named ids only, skipping unknown ones', async () => {
    const ctx = testCtx();
    const pages: PersonioEmployee[][] = [];
    for await (const page of personioSource.readByIds?.(
      config,
      ['1001', '1005', '99999', 'abc', '1001'],
      ctx,
    ) ?? []) {
      pages.push([...page]);
    }
    expect(pages.flat().map((e) => personio.map(e).sourceId)).toEqual(['1001', '1005']);
    expect(ctx.stats.requests).toBe(4);
  });
});

describe('tokens', () => {
  it('renews an expired token once and goes on', async () => {
    const before = emu.personio.tokensIssued();
    const ctx = testCtx();
    let count = 0;
    let n = 0;
    for await (const page of personio.read(config, ctx)) {
      count += page.length;
      n += 1;
      if (n === 1) emu.personio.expireTokens();
    }
    expect(count).toBe(250);
    expect(emu.personio.tokensIssued() - before).toBe(2);
    expect(ctx.stats.requests).toBe(6);
  });

  it('renews a token before it expires, without a refused call', async () => {
    let clock = 1_000_000;
    const ctx = testCtx();
    const client = createPersonioClient({ config, ctx, now: () => clock });
    try {
      await client.fetchPage({ offset: 0, limit: 1 });
      clock += 86_400_000;
      await client.fetchPage({ offset: 1, limit: 1 });
      expect(client.tokenRequests()).toBe(2);
      expect(ctx.stats.requests).toBe(4);
    } finally {
      await client.close();
    }
  });

  it('follows single-use tokens from the response header', async () => {
    emu.personio.setTokenMode('one-time');
    const ctx = testCtx();
    const client = createPersonioClient({ config, ctx, pageSize: 50 });
    try {
      let count = 0;
      for await (const page of client.employees()) count += page.length;
      expect(count).toBe(250);
      expect(client.tokenRequests()).toBe(1);
      expect(ctx.stats.requests).toBe(6);
    } finally {
      await client.close();
    }
  });
});

describe('check', () => {
  it('authenticates and reads one page', async () => {
    const ctx = testCtx();
    const result = await personio.check(config, ctx);
    expect(result).toEqual({
      ok: true,
      value: { summary: expect.stringContaining('250 employees') as string, sample: 10 },
    });
    expect(ctx.stats.requests).toBe(2);
  });

  it('refuses a wrong secret with an actionable message that does not echo it', async () => {
    const secret = 'wrong-secret-7f3a';
    const result = await personio.check({ ...config, clientSecret: secret }, testCtx());
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error).toMatchObject({ code: 'source_auth', kind: 'auth' });
    expect(result.error.message).toMatch(/client ID and secret.*Update credentials/);
    expect(JSON.stringify({ m: result.error.message, d: result.error.details })).not.toContain(secret);
  });

  it('reports revoked credentials as an auth failure, for check and read', async () => {
    emu.control.setFaults({ revoked: true });
    const result = await personio.check(config, testCtx());
    expect(result.ok ? null : result.error).toMatchObject({ code: 'source_auth', kind: 'auth' });
    const error = await failureOf(() => readAll(config, testCtx()));
    expect(error).toMatchObject({ code: 'source_auth', kind: 'auth' });
  });

  it('names the attributes the credential does not expose', async () => {
    emu.personio.setAttributes(['first_name', 'last_name', 'email', 'termination_date']);
    const result = await personio.check(config, testCtx());
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error).toMatchObject({ code: 'invalid_config', kind: 'config' });
    expect(result.error.message).toContain('gender, department, position, status, hire date, supervisor');
  });

  it('accepts a credential without termination date, with a note', async () => {
    emu.personio.setAttributes([
      'first_name',
      'last_name',
      'email',
      'gender',
      'department',
      'position',
      'status',
      'hire_date',
      'supervisor',
    ]);
    const result = await personio.check(config, testCtx());
    expect(result.ok ? result.value.summary : result.error.message).toContain(
      'termination date attribute is not readable',
    );
  });

  it.each([
    ['not a URL', 'not a url', 'invalid_config'],
    ['a path that is not the API', '/nope', 'invalid_config'],
    ['a host outside api.personio.de', 'https://personio.evil.example', 'invalid_config'],
  ])('refuses %s', async (_what, apiUrl, code) => {
    const url = apiUrl.startsWith('/') ? `${emu.url}${apiUrl}` : apiUrl;
    const result = await personio.check({ ...config, apiUrl: url }, testCtx());
    expect(result.ok ? null : result.error).toMatchObject({ code, kind: 'config' });
  });

  it('reports an unreachable host as transient', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await personio.check({ ...config, apiUrl: `http://127.0.0.1:${port}` }, testCtx());
    expect(result.ok ? null : result.error).toMatchObject({ code: 'source_unavailable', kind: 'transient' });
  });

  it('refuses the loopback emulator unless loopback is allowed (no request reaches it)', async () => {
    const result = await personio.check(config, testCtx({ allowLoopback: false }));
    expect(result.ok ? null : result.error).toMatchObject({ code: 'invalid_config', kind: 'config' });
    expect(emu.state.requests).toBe(0);
  });
});
