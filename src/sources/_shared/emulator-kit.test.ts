/** Tests of the emulator kit: control API round trips, onChange, every fault kind, and the HTTP client against it. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../core/errors.js';
import { noFaults, startEmulator, truncateBody } from './emulator-kit.js';
import type { ApiContext, EmulatorChange, RunningEmulator } from './emulator-kit.js';
import { generateRoster } from './generator.js';
import type { HrPerson } from './generator.js';
import { createHttpClient } from './http.js';

/** A tiny paged API: GET /people?page=N (10 per page), key in `x-api-key`. */
async function handle(ctx: ApiContext): Promise<void> {
  if (ctx.url.pathname === '/boom') throw new Error('handler bug');
  const page = Number(ctx.url.searchParams.get('page') ?? '1');
  const decision = await ctx.fault(page);
  if (decision.action === 'revoked' || ctx.headers['x-api-key'] !== ctx.state.credentials['apiKey']) {
    ctx.json(401, { message: 'Invalid API key' });
    return;
  }
  if (decision.action === 'status') {
    ctx.json(decision.status, { message: `fault ${decision.status}` }, decision.headers);
    return;
  }
  if (decision.action === 'reset') {
    ctx.destroy();
    return;
  }
  const body = JSON.stringify({ page, people: ctx.state.people.slice((page - 1) * 10, page * 10) });
  ctx.send(200, decision.action === 'malformed' ? truncateBody(body) : body, {
    'content-type': 'application/json',
  });
}

describe('startEmulator', () => {
  let emu: RunningEmulator;
  const changes: EmulatorChange['kind'][] = [];
  const latencies: number[] = [];

  beforeAll(async () => {
    emu = await startEmulator({
      provider: 'Test HR',
      seed: 11,
      count: 35,
      today: '2026-11-23',
      credentials: { apiKey: 'key-1' },
      handle,
      publicUrl: (origin) => `${origin}/api`,
      onChange: (change) => void changes.push(change.kind),
      sleep: (ms) => Promise.resolve(void latencies.push(ms)),
    });
  });
  afterEach(async () => {
    await call('POST', '/_emulator/reset');
    changes.length = 0;
    latencies.length = 0;
  });
  afterAll(() => emu.close());

  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${emu.origin}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    return { status: res.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
  };
  const api = (page: number, key = 'key-1'): Promise<Response> =>
    fetch(`${emu.origin}/people?page=${page}`, { headers: { 'x-api-key': key } });

  it('serves the seeded roster on 127.0.0.1 with the public URL', async () => {
    expect(emu.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.url).toBe(`${emu.origin}/api`);
    expect(emu.state.people).toEqual(generateRoster({ count: 35, seed: 11, today: '2026-11-23' }));
    const res = await api(4);
    expect(((await res.json()) as { people: HrPerson[] }).people).toHaveLength(5);
    expect(emu.state.requests).toBe(1);
  });

  it('round-trips the control API without counting it as API requests', async () => {
    const hired = await call('POST', '/_emulator/employees', { firstName: 'Ada', lastName: 'Lovelace' });
    expect(hired.status).toBe(201);
    const ada = hired.json as HrPerson;
    expect(ada).toMatchObject({ firstName: 'Ada', id: '1036', status: 'active', firstHiredOn: '2026-11-23' });
    expect(ada.managerId).toBe(emu.state.people[0]?.id);

    const patched = await call('PATCH', `/_emulator/employees/${ada.id}`, {
      position: 'Staff Engineer',
      id: 'x',
    });
    expect(patched.json).toMatchObject({ id: ada.id, position: 'Staff Engineer' });

    const gone = await call('POST', `/_emulator/employees/${ada.id}/terminate`, {
      leavingDate: '2026-11-30',
    });
    expect(gone.json).toMatchObject({ status: 'inactive', leavingDate: '2026-11-30' });
    const back = await call('POST', `/_emulator/employees/${ada.id}/rehire`);
    expect(back.json).toMatchObject({ status: 'active', leavingDate: null, currentHiredOn: '2026-11-23' });

    expect((await call('PUT', '/_emulator/webhook', { url: 'http://127.0.0.1:1/hook' })).status).toBe(200);
    expect(emu.state.webhookUrl).toBe('http://127.0.0.1:1/hook');
    const faults = await call('PUT', '/_emulator/faults', {
      failPages: { 2: { status: 500, times: 'Infinity' } },
    });
    expect(faults.json).toMatchObject({ failPages: { 2: { status: 500, times: 'Infinity' } } });
    expect(emu.state.faults.failPages[2]?.times).toBe(Infinity);

    const state = await call('GET', '/_emulator/state');
    expect(state.json).toMatchObject({
      provider: 'Test HR',
      count: 36,
      requests: 0,
      webhookUrl: 'http://127.0.0.1:1/hook',
    });
    expect((await call('DELETE', '/_emulator/faults')).json).toEqual(noFaults());
    expect(changes).toEqual(['hire', 'update', 'terminate', 'rehire']);

    await call('POST', '/_emulator/reset');
    expect(emu.state.people).toHaveLength(35);
    expect(emu.state.requests).toBe(0);
  });

  it('answers 400/404 for bad control requests', async () => {
    expect((await call('PATCH', '/_emulator/employees/999999', { position: 'x' })).status).toBe(404);
    expect((await call('POST', '/_emulator/employees', { fristName: 'typo' })).status).toBe(400);
    expect((await call('PUT', '/_emulator/faults', [1])).status).toBe(400);
    expect((await call('GET', '/_emulator/nothing')).status).toBe(404);
    expect(changes).toEqual([]);
  });

  it('calls onChange for in-process changes too', async () => {
    const id = emu.state.people[3]?.id ?? '';
    await emu.control.terminate(id);
    await emu.control.update(id, { lastName: 'Changed' });
    expect(changes).toEqual(['terminate', 'update']);
    expect(emu.state.people[3]).toMatchObject({
      status: 'inactive',
      leavingDate: '2026-11-23',
      lastName: 'Changed',
    });
  });

  it('adds latency to API responses only', async () => {
    emu.control.setFaults({ latencyMs: 250 });
    await api(1);
    await call('GET', '/_emulator/state');
    expect(latencies).toEqual([250]);
  });

  it('rate limits every Nth API request with Retry-After', async () => {
    emu.control.setFaults({ rateLimit: { everyNth: 3, retryAfterSeconds: 7 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api(1);
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get('retry-after')).toBe('7');
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it('fails page N the given number of times, then serves it', async () => {
    emu.control.setFaults({ failPages: { 2: { status: 503, times: 2 } } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api(2)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await api(1)).status).toBe(200);
  });

  it('sends a truncated body for malformed pages', async () => {
    emu.control.setFaults({ malformedPages: [1] });
    const text = await (await api(1)).text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect((await api(2)).status).toBe(200);
  });

  it('destroys the socket mid-response for reset pages', async () => {
    emu.control.setFaults({ resetPages: [2] });
    await expect(api(2).then((r) => r.text())).rejects.toThrow();
  });

  it('refuses credentials when revoked, and a wrong key always', async () => {
    expect((await api(1, 'wrong')).status).toBe(401);
    emu.control.setFaults({ revoked: true });
    expect((await api(1)).status).toBe(401);
    emu.control.resetFaults();
    expect((await api(1)).status).toBe(200);
  });

  it('turns a throw in the handler into a 500 with a JSON body', async () => {
    const res = await fetch(`${emu.origin}/boom`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'emulator handler failed', message: 'handler bug' });
  });

  it('drives the HTTP client through faults: retried 503s and 429s, then a revoked key', async () => {
    const stats = { requests: 0, retries: 0 };
    const slept: number[] = [];
    const http = createHttpClient({
      baseUrl: emu.origin,
      provider: 'Test HR',
      headers: { 'x-api-key': 'key-1' },
      secrets: ['key-1'],
      ctx: { allowLoopback: true, stats, retry: { sleep: (ms) => Promise.resolve(void slept.push(ms)) } },
    });
    try {
      emu.control.setFaults({
        failPages: { 2: { status: 503, times: 1 } },
        rateLimit: { everyNth: 4, retryAfterSeconds: 2 },
      });
      let total = 0;
      for (let page = 1; page <= 4; page++) {
        const res = await http.request({ path: '/people', query: { page } });
        total += res.json<{ people: unknown[] }>().people.length;
      }
      expect(total).toBe(35);
      expect(stats).toEqual({ requests: 6, retries: 2 });
      expect(slept.some((ms) => ms >= 2000)).toBe(true);
      emu.control.setFaults({ revoked: true, rateLimit: null });
      const e = await http.request({ path: '/people' }).then(
        () => null,
        (error: unknown) => error as AppError,
      );
      expect(e?.kind).toBe('auth');
      expect(e?.message).not.toContain('key-1');
    } finally {
      await http.close();
    }
  });
});

describe('startEmulator with given people', () => {
  it('serves exactly those people and restores them on reset', async () => {
    const people = generateRoster({ count: 3, seed: 2 });
    const emu = await startEmulator({
      provider: 'X',
      people,
      credentials: {},
      handle: (ctx) => ctx.json(200, {}),
    });
    try {
      emu.control.setPeople([]);
      expect(emu.state.people).toEqual([]);
      await fetch(`${emu.origin}/_emulator/reset`, { method: 'POST' });
      expect(emu.state.people).toEqual(people);
      expect(emu.state.people[0]).not.toBe(people[0]);
    } finally {
      await emu.close();
    }
  });
});
