// Connector against the emulator: full reads, preflight, credentials, SSRF, and every injected fault.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { SourceContext } from '../contract.js';
import type { RunningEmulator } from '../_shared/index.js';
import { startNmbrsEmulator } from './emulator.js';
import { nmbrsSource } from './index.js';
import type { NmbrsEmployeeRecord } from './records.js';
import type { NmbrsConfig } from './spec.js';

const configOf = (emu: RunningEmulator, patch: Partial<NmbrsConfig> = {}): NmbrsConfig => ({
  domain: emu.state.credentials['domain'] ?? '',
  username: emu.state.credentials['username'] ?? '',
  token: emu.state.credentials['token'] ?? '',
  baseUrl: emu.url,
  ...patch,
});

interface TestCtx extends SourceContext {
  readonly stats: { requests: number; retries: number };
  readonly sleeps: number[];
}
const testCtx = (o: { allowLoopback?: boolean } = {}): TestCtx => {
  const sleeps: number[] = [];
  return {
    allowLoopback: o.allowLoopback ?? true,
    stats: { requests: 0, retries: 0 },
    sleeps,
    retry: {
      retries: 2,
      baseDelayMs: 1,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    },
  };
};

async function readAll(config: NmbrsConfig, ctx: SourceContext): Promise<NmbrsEmployeeRecord[][]> {
  const pages: NmbrsEmployeeRecord[][] = [];
  for await (const page of nmbrsSource.read(config, ctx)) pages.push([...page]);
  return pages;
}

async function readError(config: NmbrsConfig, ctx: SourceContext): Promise<AppError> {
  try {
    await readAll(config, ctx);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('read succeeded');
}

describe('Nmbrs connector on a 250-person roster (3 companies of 100)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startNmbrsEmulator({ count: 250, seed: 7 });
  });
  afterAll(() => emu.close());

  it('reads every employee, one page per company, with a known number of calls', async () => {
    const ctx = testCtx();
    const before = emu.state.requests;
    const pages = await readAll(configOf(emu), ctx);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    const ids = pages.flat().map((r) => r.EmployeeId);
    expect(new Set(ids).size).toBe(250);
    expect(ids.sort()).toEqual(emu.state.people.map((p) => p.id).sort());
    // companies + employee types, then per company 1 list + 4 bulk calls, then 1 manager call per employee.
    expect(ctx.stats.requests).toBe(2 + 3 * 5 + 250);
    expect(emu.state.requests - before).toBe(ctx.stats.requests);
    expect(ctx.stats.retries).toBe(0);
  });

  it('maps managers back to employee ids and leavers to their leaving date', async () => {
    const mapped = (await readAll(configOf(emu), testCtx())).flat().map((r) => nmbrsSource.map(r));
    const byId = new Map(mapped.map((p) => [p.sourceId, p]));
    for (const person of emu.state.people) {
      const p = byId.get(person.id);
      expect(p?.managerSourceId).toBe(person.managerId);
      expect(p?.attributes.email).toBe(person.email);
      expect(p?.attributes.jobTitle).toBe(person.position);
      expect(p?.attributes.firstHiredOn).toBe(person.firstHiredOn);
      expect(p?.attributes.leavingDate).toBe(person.leavingDate);
    }
    expect(mapped.filter((p) => p.attributes.leavingDate !== null).length).toBeGreaterThan(0);
  });

  it('check: authenticates and reads the first company with every call a sync needs', async () => {
    const ctx = testCtx();
    const result = await nmbrsSource.check(configOf(emu), ctx);
    expect(result).toEqual({
      ok: true,
      value: {
        summary:
          "Connected to Nmbrs domain 'acme' as api@acme.example: 3 companies; 'Acme Nederland B.V.' has 100 employees.",
        sample: 100,
      },
    });
    expect(ctx.stats.requests).toBe(2 + 5 + 1);
  });

  it.each([
    ['token', 'wrong-token'],
    ['username', 'someone@else.example'],
    ['domain', 'other'],
  ] as const)(
    'check: a wrong %s is an auth error that says what to check, without the secret',
    async (key, value) => {
      const result = await nmbrsSource.check(configOf(emu, { [key]: value }), testCtx());
      if (result.ok) throw new Error('check passed');
      expect(result.error).toMatchObject({ code: 'source_auth', kind: 'auth' });
      expect(result.error.message).toMatch(/1001: Invalid Authentication/);
      expect(result.error.message).toMatch(/API token/);
      expect(result.error.message).not.toContain('wrong-token');
    },
  );

  it('refuses an emulator URL when loopback is not allowed (SSRF), before any request', async () => {
    const before = emu.state.requests;
    const result = await nmbrsSource.check(configOf(emu), testCtx({ allowLoopback: false }));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_config', kind: 'config' } });
    await expect(readError(configOf(emu), testCtx({ allowLoopback: false }))).resolves.toMatchObject({
      code: 'invalid_config',
    });
    expect(emu.state.requests).toBe(before);
  });

  it.each(['https://nmbrs.evil.example', 'http://api.nmbrs.nl', 'https://10.0.0.5'])(
    'refuses %s as API base URL',
    async (baseUrl) => {
      const result = await nmbrsSource.check(configOf(emu, { baseUrl }), testCtx());
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_config', kind: 'config' } });
    },
  );

  it('a path on the server that is not the SOAP endpoint is a config error', async () => {
    const result = await nmbrsSource.check(configOf(emu, { baseUrl: `${emu.origin}/nmbrs` }), testCtx());
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_config', kind: 'config' } });
  });
});

describe('Nmbrs connector under faults (3 companies of 20)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startNmbrsEmulator({ count: 60, seed: 3, companySize: 20 });
  });
  beforeEach(() => emu.control.resetFaults());
  afterAll(() => emu.close());

  it('revoked token: check and read fail as auth', async () => {
    emu.control.setFaults({ revoked: true });
    const result = await nmbrsSource.check(configOf(emu), testCtx());
    expect(result).toMatchObject({ ok: false, error: { code: 'source_auth', kind: 'auth' } });
    await expect(readError(configOf(emu), testCtx())).resolves.toMatchObject({ kind: 'auth' });
  });

  it('503 once on page 2: retried, roster complete', async () => {
    emu.control.setFaults({ failPages: { 2: { status: 503, times: 1 } } });
    const ctx = testCtx();
    const pages = await readAll(configOf(emu), ctx);
    expect(pages.flat()).toHaveLength(60);
    expect(ctx.stats.retries).toBe(1);
    expect(ctx.sleeps).toHaveLength(1);
  });

  it('503 always on page 2: throws transient after the retries, nothing of page 2 yielded', async () => {
    emu.control.setFaults({ failPages: { 2: { status: 503, times: Infinity } } });
    const ctx = testCtx();
    const yielded: number[] = [];
    const error = await (async () => {
      try {
        for await (const page of nmbrsSource.read(configOf(emu), ctx)) yielded.push(page.length);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toMatchObject({ code: 'source_unavailable', kind: 'transient' });
    expect(yielded).toEqual([20]);
    expect(ctx.stats.retries).toBe(2);
  });

  it('a SOAP server fault without a code (HTTP 500) is retried like a 5xx', async () => {
    emu.control.setFaults({ failPages: { 3: { status: 500, times: 2 } } });
    const ctx = testCtx();
    expect((await readAll(configOf(emu), ctx)).flat()).toHaveLength(60);
    expect(ctx.stats.retries).toBe(2);
  });

  it('429 with Retry-After: the client waits at least the announced time', async () => {
    emu.control.setFaults({ rateLimit: { everyNth: 7, retryAfterSeconds: 3 } });
    const ctx = testCtx();
    expect((await readAll(configOf(emu), ctx)).flat()).toHaveLength(60);
    expect(ctx.sleeps.length).toBeGreaterThan(0);
    expect(Math.min(...ctx.sleeps)).toBeGreaterThanOrEqual(3000);
  });

  it('malformed page: source_bad_response, not retried', async () => {
    emu.control.setFaults({ malformedPages: [2] });
    const ctx = testCtx();
    await expect(readError(configOf(emu), ctx)).resolves.toMatchObject({
      code: 'source_bad_response',
      kind: 'system',
    });
    expect(ctx.stats.retries).toBe(0);
  });

  it('connection reset on a page: transient after retries', async () => {
    emu.control.setFaults({ resetPages: [3] });
    await expect(readError(configOf(emu), testCtx())).resolves.toMatchObject({ kind: 'transient' });
  });
});

describe('Nmbrs emulator control API shows up in the connector output', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startNmbrsEmulator({ count: 30, seed: 11, companySize: 20, today: '2026-11-23' });
  });
  afterAll(() => emu.close());

  const mappedRoster = async (): Promise<Map<string, ReturnType<typeof nmbrsSource.map>>> => {
    const records = (await readAll(configOf(emu), testCtx())).flat();
    return new Map(records.map((r) => [r.EmployeeId, nmbrsSource.map(r)]));
  };

  it('hire, update, move, terminate and rehire', async () => {
    const hired = await emu.control.hire({ position: 'Payroll Specialist' });
    const target = emu.state.people[5];
    const newManager = emu.state.people[2];
    if (target === undefined || newManager === undefined) throw new Error('roster too small');
    await emu.control.update(target.id, {
      position: 'Staff Engineer',
      managerId: newManager.id,
      lastName: 'Jansen',
    });
    let roster = await mappedRoster();
    expect(roster.size).toBe(31);
    expect(roster.get(hired.id)?.attributes.jobTitle).toBe('Payroll Specialist');
    expect(roster.get(target.id)).toMatchObject({
      managerSourceId: newManager.id,
      attributes: { jobTitle: 'Staff Engineer', lastName: 'Jansen' },
    });

    await emu.control.terminate(target.id, '2026-10-31');
    expect((await mappedRoster()).get(target.id)?.attributes.leavingDate).toBe('2026-10-31');

    const firstHire = target.firstHiredOn;
    await emu.control.rehire(target.id);
    roster = await mappedRoster();
    expect(roster.get(target.id)?.attributes).toMatchObject({ leavingDate: null, firstHiredOn: firstHire });
  });

  it('answers unknown SOAP actions with a client fault the connector reports as a bug', async () => {
    const { createNmbrsClient } = await import('./client.js');
    const client = createNmbrsClient({ config: configOf(emu), ctx: testCtx(), baseUrl: emu.url });
    try {
      await expect(client.call({ service: 'EmployeeService', operation: 'Nope_Get' })).rejects.toMatchObject({
        code: 'source_bad_response',
        kind: 'system',
        message: expect.stringMatching(/did not recognize the value of HTTP Header SOAPAction/) as unknown,
      });
      await expect(
        client.call({
          service: 'EmployeeService',
          operation: 'List_GetByCompany',
          params: { CompanyId: '1', EmployeeType: '1' },
        }),
      ).rejects.toMatchObject({ code: 'source_auth', message: expect.stringMatching(/2004/) as unknown });
    } finally {
      await client.close();
    }
  });
});
