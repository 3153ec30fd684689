/**
 * Case 17, load (loopback only, bounded): directory reads at 50 connections while a big sync runs and
 * webhooks arrive at 200 per second → no 5xx, no errors or timeouts, every accepted webhook queued
 * exactly once. p99 and RSS growth are printed for the notes, never asserted (shared machines).
 * Default: 3 s against a 2 000-employee sync; RELIABILITY_FULL=1: the 30 s and 10 000 employees.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { connect, runSync, type JobQueue, type SyncJob } from '../../src/engine/index.js';
import { describeEachDialect, newTenant } from '../db.js';
import { testDeps } from '../support/engine.js';
import { fakeSource, people, type FakeSourceControl } from '../support/fake-source.js';
import { apiKey, startApp, type App } from './support/service.js';

const full = process.env.RELIABILITY_FULL === '1';
const SECONDS = full ? 30 : 3;
const EMPLOYEES = full ? 10_000 : 2_000;

/** The subset of autocannon's programmatic API and result used here (the package ships no types). */
interface CannonResult {
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly requests: { readonly total: number };
  readonly latency: { readonly p99: number; readonly p50: number };
  readonly statusCodeStats: Record<string, { count: number }>;
}
type Cannon = (o: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

/** Counts what the webhook route queued; runs nothing (the sync under test is started directly). */
class CountingQueue implements JobQueue {
  readonly jobs: SyncJob[] = [];
  enqueueSync(job: SyncJob): Promise<{ queued: boolean }> {
    this.jobs.push(job);
    return Promise.resolve({ queued: true });
  }
}

let open: App | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describeEachDialect('reliability 17: load', (getStore) => {
  it(`directory reads at 50 connections and 200 webhooks/s for ${SECONDS} s during a ${EMPLOYEES}-employee sync`, async () => {
    const store = getStore();
    const control: FakeSourceControl = { people: people(200), pageSize: 500, failPage: null, reads: 0 };
    const deps = {
      ...testDeps(store, { source: fakeSource(control), now: () => new Date() }),
      batchSize: 1000,
    };
    const tenant = await newTenant(store);
    const connected = await connect(deps, {
      tenantId: tenant.id,
      provider: 'personio',
      config: { token: 'good' },
    });
    if (!connected.ok) throw connected.error;
    const queue = new CountingQueue();
    open = await startApp({ deps, queue, limits: { webhookMax: 1_000_000 } });
    // The server's own count of accepted deliveries (autocannon does not count answers still in flight at its end).
    await open.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(open.app.server.address() as AddressInfo).port}`;
    const key = await apiKey(deps, tenant.id, ['directory:read']);

    control.people = people(EMPLOYEES);
    const rss0 = process.memoryUsage().rss;
    let sent = 0;
    const sync = runSync(deps, { tenantId: tenant.id, trigger: 'manual' });
    const [reads, hooks] = await Promise.all([
      autocannon({
        url: `${base}/api/v1/directory/users?limit=100`,
        connections: 50,
        duration: SECONDS,
        headers: { authorization: `Bearer ${key}` },
      }),
      autocannon({
        url: `${base}${connected.value.webhookPath ?? ''}`,
        method: 'POST',
        connections: 10,
        overallRate: 200,
        // Two seconds longer than the reads: deliveries queued behind 50 readers still get their answer.
        duration: SECONDS + 2,
        // Each delivery names its own employee, so the queue can show each was counted exactly once.
        requests: [
          {
            method: 'POST',
            // Fixed-width ids keep every body the same length, so one content-length fits all.
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ employeeId: 'w00000000' }),
            setupRequest: (req: Record<string, unknown>) => ({
              ...req,
              body: JSON.stringify({ employeeId: `w${String(++sent).padStart(8, '0')}` }),
            }),
          },
        ],
      }),
    ]);
    const run = await sync;
    const rss1 = process.memoryUsage().rss;

    expect(run.ok && run.value.counts.created).toBe(EMPLOYEES - 200);
    for (const [name, r] of [
      ['reads', reads],
      ['webhooks', hooks],
    ] as const) {
      expect(r.errors, name).toBe(0);
      expect(r.timeouts, name).toBe(0);
      expect(r.non2xx, name).toBe(0);
      expect(r.requests.total, name).toBeGreaterThan(0);
    }
    expect(hooks.statusCodeStats['202']?.count ?? 0).toBe(hooks.requests.total);
    // Every delivery the server answered is queued once: no id twice, none answered and lost.
    const ids = queue.jobs.map((j) => (j.input.kind === 'ids' ? j.input.ids.join(',') : 'all'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(hooks.requests.total);
    expect(ids.length).toBeLessThanOrEqual(sent);
    console.info(
      `[reliability 17] ${store.dialect}: ${reads.requests.total} reads (p50 ${reads.latency.p50} ms, p99 ${reads.latency.p99} ms), ` +
        `${queue.jobs.length} webhooks queued of ${sent} sent (p99 ${hooks.latency.p99} ms), RSS +${Math.round((rss1 - rss0) / 1e6)} MB`,
    );
  }, 120_000);
});
