// The People HR connector against its emulator: full read, preflight, auth errors, faults, SSRF.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../core/errors.js';
import { isAppError } from '../../core/errors.js';
import type { SourceContext } from '../contract.js';
import type { PeopleHrEmulator } from './emulator.js';
import { startPeopleHrEmulator } from './emulator.js';
import type { PeopleHrConfig, PeopleHrEmployee } from './index.js';
import peoplehr from './index.js';

let emu: PeopleHrEmulator;
let config: PeopleHrConfig;
let sleeps: number[] = [];

const ctx = (
  over: Partial<SourceContext> = {},
): SourceContext & { stats: { requests: number; retries: number } } => ({
  allowLoopback: true,
  stats: { requests: 0, retries: 0 },
  retry: {
    retries: 2,
    baseDelayMs: 1,
    sleep: (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  },
  ...over,
});

const readAll = async (c: SourceContext, cfg: PeopleHrConfig = config) => {
  const batches: PeopleHrEmployee[][] = [];
  for await (const batch of peoplehr.read(cfg, c)) batches.push([...batch]);
  return batches;
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

beforeAll(async () => {
  emu = await startPeopleHrEmulator({ count: 250, seed: 7 });
  config = { apiKey: emu.state.credentials['apiKey'] ?? '', baseUrl: emu.url };
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.control.resetFaults();
  emu.deniedActions.clear();
  sleeps = [];
});

describe('spec', () => {
  it('marks the key secret and manages exactly the seed fields', () => {
    expect(peoplehr.spec).toMatchObject({ id: 'peoplehr', webhooks: true, secretFields: ['apiKey'] });
    expect([...peoplehr.spec.managedFields].sort()).toEqual(
      ['active', 'department', 'email', 'firstHiredOn', 'firstName', 'jobTitle', 'lastName']
        .concat(['leavingDate', 'location', 'manager'])
        .sort(),
    );
    expect(peoplehr.spec.configFields.map((f) => f.key)).toEqual(['apiKey']);
  });

  it('trims the key and rejects an empty one or a bad base URL', () => {
    expect(peoplehr.spec.configSchema.parse({ apiKey: ' abc ' })).toEqual({ apiKey: 'abc' });
    expect(peoplehr.spec.configSchema.safeParse({ apiKey: '  ' }).success).toBe(false);
    expect(peoplehr.spec.configSchema.safeParse({ apiKey: 'k', baseUrl: 'not a url' }).success).toBe(false);
  });
});

describe('read', () => {
  it('reads the whole 250-person roster with one request, handed on in batches', async () => {
    const before = emu.state.requests;
    const c = ctx();
    const batches = await readAll(c);
    expect(batches.map((b) => b.length)).toEqual([200, 50]);
    expect(c.stats.requests).toBe(1);
    expect(emu.state.requests - before).toBe(1);
    const ids = batches.flat().map((e) => peoplehr.map(e).sourceId);
    expect(new Set(ids)).toEqual(new Set(emu.state.people.map((p) => p.id)));
  });

  it('maps the emulator people onto the seed fields', async () => {
    const people = (await readAll(ctx())).flat().map((e) => peoplehr.map(e));
    const leaver = emu.state.people.find((p) => p.status === 'inactive');
    const report = emu.state.people.find((p) => p.managerId !== null && p.status === 'active');
    if (leaver === undefined || report === undefined)
      throw new Error('seed 7 should have a leaver and a report');
    expect(people.find((p) => p.sourceId === report.id)).toEqual({
      sourceId: report.id,
      ref: `employee ${report.id}`,
      active: true,
      managerSourceId: report.managerId,
      attributes: {
        firstName: report.firstName,
        lastName: report.lastName,
        email: report.email,
        firstHiredOn: report.firstHiredOn,
        department: report.department,
        jobTitle: report.position,
        location: report.location,
        leavingDate: report.leavingDate,
      },
    });
    expect(people.find((p) => p.sourceId === leaver.id)).toMatchObject({
      active: false,
      attributes: { leavingDate: leaver.leavingDate },
    });
  });

  it('retries a 503 and still returns the complete roster', async () => {
    emu.control.setFaults({ failPages: { 1: { status: 503, times: 1 } } });
    const c = ctx();
    expect((await readAll(c)).flat()).toHaveLength(250);
    expect(c.stats).toEqual({ requests: 2, retries: 1 });
  });

  it('gives up as transient when People HR keeps failing', async () => {
    emu.control.setFaults({ failPages: { 1: { status: 503, times: Infinity } } });
    const c = ctx();
    const error = await failure(readAll(c));
    expect(error).toMatchObject({ code: 'source_unavailable', kind: 'transient' });
    expect(c.stats.requests).toBe(3);
  });

  it('waits at least as long as Retry-After on a 429', async () => {
    emu.control.setFaults({ failPages: { 1: { status: 429, times: 1, retryAfterSeconds: 3 } } });
    expect((await readAll(ctx())).flat()).toHaveLength(250);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
  });

  it('refuses a truncated body without yielding anything', async () => {
    emu.control.setFaults({ malformedPages: [1] });
    let yielded = 0;
    const error = await failure(
      (async () => {
        for await (const batch of peoplehr.read(config, ctx())) yielded += batch.length;
      })(),
    );
    expect(error).toMatchObject({ code: 'source_bad_response', kind: 'system' });
    expect(error.message).toContain('truncated');
    expect(yielded).toBe(0);
  });

  it('reports a connection reset as transient after retries', async () => {
    emu.control.setFaults({ resetPages: [1] });
    expect(await failure(readAll(ctx()))).toMatchObject({ code: 'source_unavailable', kind: 'transient' });
  });

  it('reads an account without employees as an empty roster (core guards against applying it)', async () => {
    const people = emu.state.people;
    emu.control.setPeople([]);
    try {
      expect(await readAll(ctx())).toEqual([]);
      expect(await peoplehr.check(config, ctx())).toMatchObject({ ok: true, value: { sample: 0 } });
    } finally {
      emu.control.setPeople(people);
    }
  });

  it('maps a revoked key to an auth error that says what to do', async () => {
    emu.control.setFaults({ revoked: true });
    const error = await failure(readAll(ctx()));
    expect(error).toMatchObject({ code: 'source_auth', kind: 'auth' });
    expect(error.message).toContain('API key does not exists.');
    expect(error.message).toContain("'Update credentials'");
    expect(error.message).not.toContain(config.apiKey);
  });
});

describe('check', () => {
  it('authenticates, reads the roster and one employee by id', async () => {
    const c = ctx();
    const result = await peoplehr.check(config, c);
    expect(result).toEqual({
      ok: true,
      value: { summary: 'Connected to People HR: 250 employees (leavers included).', sample: 250 },
    });
    expect(c.stats.requests).toBe(2);
  });

  it('names a wrong key without echoing it', async () => {
    const wrong = 'f00dfeed-0000-4000-8000-123456789abc';
    const result = await peoplehr.check({ ...config, apiKey: wrong }, ctx());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'source_auth', kind: 'auth' });
    expect(result.error.message).toContain('Invalid API Key.');
    expect(result.error.message).toContain('Settings > API');
    expect(result.error.message).not.toContain(wrong);
  });

  it.each([
    ['GetAllEmployeeDetail', 'Get All Employee Detail'],
    ['GetEmployeeDetailById', 'Get Employee Detail By Id'],
  ])('names the missing permission when %s is refused', async (action, label) => {
    emu.deniedActions.add(action);
    const result = await peoplehr.check(config, ctx());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'source_auth', kind: 'auth' });
    expect(result.error.message).toContain(`"${label}"`);
  });

  it('reports an unreachable host as transient', async () => {
    const result = await peoplehr.check({ ...config, baseUrl: 'http://127.0.0.1:1' }, ctx());
    expect(result.ok || result.error).toMatchObject({ code: 'source_unavailable', kind: 'transient' });
  });

  it('reports a URL that does not answer like People HR as a config error', async () => {
    const result = await peoplehr.check({ ...config, baseUrl: `${emu.origin}/nothing-here` }, ctx());
    expect(result.ok || result.error).toMatchObject({ code: 'invalid_config', kind: 'config' });
  });

  it('refuses a base URL that is not People HR', async () => {
    const result = await peoplehr.check({ ...config, baseUrl: 'https://peoplehr.evil.example' }, ctx());
    expect(result.ok || result.error).toMatchObject({ code: 'invalid_config', kind: 'config' });
  });

  it('refuses the emulator (loopback) unless loopback sources are allowed, without a request', async () => {
    const before = emu.state.requests;
    const result = await peoplehr.check(config, ctx({ allowLoopback: false }));
    expect(result.ok || result.error).toMatchObject({ code: 'invalid_config', kind: 'config' });
    expect(result.ok || result.error.message).toContain('ROSTERSYNC_ALLOW_LOOPBACK_SOURCES');
    expect(emu.state.requests).toBe(before);
    await expect(readAll(ctx({ allowLoopback: false }))).rejects.toMatchObject({ code: 'invalid_config' });
    expect(emu.state.requests).toBe(before);
  });
});

describe('readByIds', () => {
  it('fetches each named employee once and skips ids People HR does not know', async () => {
    const [a, b] = emu.state.people;
    if (a === undefined || b === undefined) throw new Error('roster too small');
    const c = ctx();
    const got: PeopleHrEmployee[] = [];
    for await (const page of peoplehr.readByIds?.(config, [a.id, b.id, 'NOPE1', a.id], c) ?? [])
      got.push(...page);
    expect(got.map((e) => peoplehr.map(e).sourceId)).toEqual([a.id, b.id]);
    expect(c.stats.requests).toBe(3);
  });

  it('still fails loudly on a revoked key', async () => {
    emu.control.setFaults({ revoked: true });
    const run = async () => {
      for await (const page of peoplehr.readByIds?.(config, ['1001'], ctx()) ?? []) void page;
    };
    expect(await failure(run())).toMatchObject({ code: 'source_auth', kind: 'auth' });
  });
});
