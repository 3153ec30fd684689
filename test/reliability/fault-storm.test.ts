/**
 * Case 15, fault storm: 20 integrations (five per HR system) sync at once against emulators answering
 * 429 + Retry-After on every third call, 503 bursts, connection resets and malformed pages. Retry-After
 * is honoured, backoff is jittered and capped, attempts per call are bounded, every run completes or
 * fails cleanly with nothing applied, the next runs converge, and repeated failures quarantine an
 * integration visibly in the API. Waits are recorded by an injected sleep: no real time passes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { connect, runSync, type EngineDeps } from '../../src/engine/index.js';
import {
  emulatedProviders,
  emulatorUrlKey,
  startEmulatorFor,
  type StartedEmulator,
} from '../../src/engine/emulators.js';
import { QUARANTINE_AFTER } from '../../src/engine/notify.js';
import type { RunRecord, Store } from '../../src/store/index.js';
import { describeEachDialect } from '../db.js';
import { testDeps } from '../support/engine.js';
import { startProxy, type Proxy } from './support/loopback.js';
import { apiKey, bearer, startApp, type App } from './support/service.js';
import { directoryFingerprint } from './support/world.js';

const RETRIES = 4;
const BASE_MS = 100;
const MAX_MS = 800;
const RETRY_AFTER_S = 2;

type Profile = 'storm' | 'reset' | 'malformed';
interface Lane {
  readonly provider: (typeof emulatedProviders)[number];
  readonly profile: Profile;
  readonly emu: StartedEmulator;
  readonly proxy: Proxy;
  readonly waits: { ms: number }[];
  /** Request keys in order, to count attempts per call. */
  readonly calls: string[];
  /** Answers that asked to wait (429 or 503 with Retry-After). */
  asked: number;
}

const lanes: Lane[] = [];
let app: App | undefined;

beforeAll(async () => {
  for (let i = 0; i < 20; i++) {
    const provider = emulatedProviders[i % 4]!;
    const profile: Profile = i < 12 ? 'storm' : i < 16 ? 'reset' : 'malformed';
    const emu = await startEmulatorFor({ provider, employees: 12, seed: 1500 + i });
    const lane = { provider, profile, emu, waits: [], calls: [], asked: 0 } as unknown as Lane;
    (lane as { proxy: Proxy }).proxy = await startProxy({
      target: emu.emulator.origin,
      rewrite: (req, reply, body) => {
        lane.calls.push(`${req.method ?? ''} ${req.url ?? ''} ${body}`);
        if (reply.headers['retry-after'] !== undefined) lane.asked += 1;
        return reply;
      },
    });
    lanes.push(lane);
  }
});
afterAll(async () => {
  for (const l of lanes) {
    await l.proxy.close();
    await l.emu.emulator.close();
  }
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const laneDeps = (store: Store, lane: Lane): EngineDeps => ({
  ...testDeps(store),
  retry: {
    retries: RETRIES,
    baseDelayMs: BASE_MS,
    maxDelayMs: MAX_MS,
    sleep: (ms) => {
      lane.waits.push({ ms });
      return Promise.resolve();
    },
  },
});

/** The emulator URL behind the lane's proxy, in the form the provider's config expects. */
const proxiedConfig = (lane: Lane): Record<string, string> => {
  const key = emulatorUrlKey(lane.provider);
  return {
    ...lane.emu.config,
    [key]: (lane.emu.config[key] ?? '').replace(lane.emu.emulator.origin, lane.proxy.origin),
  };
};

const setFaults = (lane: Lane, on: boolean): void => {
  const c = lane.emu.emulator.control;
  c.resetFaults();
  if (!on) return;
  c.setFaults({
    rateLimit: { everyNth: 3, retryAfterSeconds: RETRY_AFTER_S },
    failPages: { 1: { status: 503, times: 2 } },
    ...(lane.profile === 'reset' ? { resetPages: [1] } : {}),
    ...(lane.profile === 'malformed' ? { malformedPages: [1] } : {}),
  });
};

describeEachDialect('reliability 15: fault storm', (getStore) => {
  it('20 integrations at once under 429/503/reset/malformed faults: every run completes or fails cleanly', async () => {
    const store = getStore();
    const tenants = await Promise.all(
      lanes.map(async (lane) => {
        lane.waits.length = 0;
        lane.calls.length = 0;
        const deps = laneDeps(store, lane);
        const tenant = await store.tenants.create({
          id: randomUUID(),
          slug: `fs-${randomUUID().slice(0, 10)}`,
          name: lane.provider,
        });
        setFaults(lane, false);
        // Connected without its first sync: the storm run is the first one (nothing to apply on failure).
        const connected = await connect(deps, {
          tenantId: tenant.id,
          provider: lane.provider,
          config: proxiedConfig(lane),
          sync: false,
        });
        if (!connected.ok) throw connected.error;
        return { lane, tenantId: tenant.id, deps };
      }),
    );
    for (const t of tenants) {
      setFaults(t.lane, true);
      t.lane.waits.length = 0;
      t.lane.calls.length = 0;
      t.lane.asked = 0;
    }
    const before = await Promise.all(tenants.map((t) => directoryFingerprint(store, t.tenantId)));
    const runs: RunRecord[] = await Promise.all(
      tenants.map(async (t) => {
        const r = await runSync(t.deps, { tenantId: t.tenantId, trigger: 'schedule' });
        if (!r.ok) throw r.error;
        return r.value;
      }),
    );

    for (const [i, t] of tenants.entries()) {
      const run = runs[i]!;
      const what = `${t.lane.provider}/${t.lane.profile}`;
      if (t.lane.profile === 'storm') {
        expect(['succeeded', 'partial'], `${what}: ${run.message ?? ''}`).toContain(run.status);
        expect(run.counts.created, what).toBeGreaterThan(5);
      } else {
        expect(run.status, what).toBe('failed');
        expect(['source_unavailable', 'source_bad_response'], what).toContain(run.errorCode);
        expect(await directoryFingerprint(store, t.tenantId), what).toBe(before[i]);
      }
      // Backoff is capped below the Retry-After the emulators send, so a longer wait can only be one that
      // honoured it. A run that completed retried every answer that asked to wait: one such wait each.
      const honoured = t.lane.waits.filter((w) => w.ms >= RETRY_AFTER_S * 1000).length;
      expect(
        t.lane.waits.every((w) => w.ms <= MAX_MS || w.ms >= RETRY_AFTER_S * 1000),
        what,
      ).toBe(true);
      if (t.lane.profile === 'storm') expect(honoured, what).toBe(t.lane.asked);
      else expect(honoured, what).toBeLessThanOrEqual(t.lane.asked);
      // No call is tried more than retries + 1 times (calls may interleave: count each distinct request).
      const tries = new Map<string, number>();
      for (const c of t.lane.calls) tries.set(c, (tries.get(c) ?? 0) + 1);
      expect(Math.max(...tries.values()), what).toBeLessThanOrEqual(RETRIES + 1);
    }
    const allWaits = tenants.flatMap((t) => t.lane.waits);
    expect(tenants.reduce((n, t) => n + t.lane.asked, 0)).toBeGreaterThan(20);
    // Jittered: the backoff waits of 20 integrations are not in lockstep.
    const backoffs = allWaits.filter((w) => w.ms <= MAX_MS).map((w) => w.ms);
    expect(backoffs.length).toBeGreaterThan(20);
    expect(new Set(backoffs).size).toBeGreaterThan(backoffs.length * 0.6);

    // The faults clear: every integration converges on its next run.
    for (const t of tenants) setFaults(t.lane, false);
    const next = await Promise.all(
      tenants.map((t) => runSync(t.deps, { tenantId: t.tenantId, trigger: 'schedule' })),
    );
    for (const [i, r] of next.entries()) {
      expect(r.ok && ['succeeded', 'partial'].includes(r.value.status), tenants[i]!.lane.provider).toBe(true);
      if (tenants[i]!.lane.profile !== 'storm') expect(r.ok && r.value.counts.created).toBeGreaterThan(5);
      else
        expect(r.ok && r.value.counts.created + r.value.counts.updated + r.value.counts.deactivated).toBe(0);
    }
  });

  it('after repeated failures an integration is quarantined with backoff, visible in the API', async () => {
    const store = getStore();
    const lane = lanes[0]!;
    setFaults(lane, false);
    const deps = laneDeps(store, lane);
    const tenant = await store.tenants.create({
      id: randomUUID(),
      slug: `q-${randomUUID().slice(0, 10)}`,
      name: 'Quarantine',
    });
    const connected = await connect(deps, {
      tenantId: tenant.id,
      provider: lane.provider,
      config: proxiedConfig(lane),
      sync: false,
    });
    if (!connected.ok) throw connected.error;
    lane.emu.emulator.control.setFaults({
      failPages: { 1: { status: 503, times: Number.POSITIVE_INFINITY } },
    });
    const until: (string | null)[] = [];
    const runs = QUARANTINE_AFTER + 1;
    for (let i = 0; i < runs; i++) {
      const r = await runSync(deps, { tenantId: tenant.id, trigger: 'schedule' });
      expect(r.ok && r.value.status).toBe('failed');
      until.push((await store.integrations.getActive(tenant.id))?.quarantinedUntil ?? null);
    }
    setFaults(lane, false);
    // Below the streak limit (one queued job's retries) nothing is quarantined; at it, with a growing backoff.
    expect(until.slice(0, QUARANTINE_AFTER - 1).every((u) => u === null)).toBe(true);
    expect(until[QUARANTINE_AFTER - 1]).not.toBeNull();
    expect(Date.parse(until[QUARANTINE_AFTER] ?? '')).toBeGreaterThan(
      Date.parse(until[QUARANTINE_AFTER - 1] ?? ''),
    );
    app = await startApp({ deps });
    const key = await apiKey(deps, tenant.id, ['admin']);
    const res = await app.app.inject({ method: 'GET', url: '/api/v1/integration', headers: bearer(key) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('"quarantinedUntil":"');
    expect(res.body).toContain(`"failureStreak":${runs}`);
    const healed = await runSync(deps, { tenantId: tenant.id, trigger: 'manual' });
    expect(healed.ok && healed.value.status).not.toBe('failed');
    expect((await store.integrations.getActive(tenant.id))?.quarantinedUntil).toBeNull();
  });
});
