/** The in-process queue: coalescing, serial per integration, bounded concurrency, retries by failure kind. */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/core/errors.js';
import { err, ok, type Result } from '../src/core/result.js';
import type { SyncJob } from '../src/engine/index.js';
import { connect } from '../src/engine/index.js';
import { createInProcessQueue, type InProcessQueue, type SyncRunner } from '../src/jobs/index.js';
import { emptyCounts } from '../src/engine/index.js';
import type { RunRecord, RunStatus } from '../src/store/types.js';
import { openTestStore } from './db.js';
import { testDeps } from './support/engine.js';
import { fakeSource, people, type FakeSourceControl } from './support/fake-source.js';

const run = (status: RunStatus, errorCode: string | null = null): RunRecord => ({
  id: randomUUID(),
  tenantId: 't',
  integrationId: 'i',
  provider: 'personio',
  mode: 'full',
  trigger: 'manual',
  status,
  dryRun: false,
  counts: emptyCounts,
  message: errorCode,
  errorCode,
  guard: null,
  startedAt: new Date(0).toISOString(),
  finishedAt: new Date(0).toISOString(),
});

const pull = (integrationId: string, trigger: SyncJob['trigger'] = 'manual'): SyncJob => ({
  tenantId: `tenant-${integrationId}`,
  integrationId,
  trigger,
  input: { kind: 'pull' },
});
const ids = (integrationId: string, list: string[]): SyncJob => ({
  tenantId: `tenant-${integrationId}`,
  integrationId,
  trigger: 'webhook',
  input: { kind: 'ids', ids: list },
});

/** A runner whose attempts wait until the test releases them, recording what ran and overlaps. */
function gatedRunner() {
  const calls: SyncJob[] = [];
  const gates: (() => void)[] = [];
  const running = new Map<string, number>();
  let overlaps = 0;
  const runner: SyncRunner = async (job) => {
    calls.push(job);
    const now = (running.get(job.integrationId) ?? 0) + 1;
    running.set(job.integrationId, now);
    if (now > 1) overlaps += 1;
    await new Promise<void>((resolve) => gates.push(resolve));
    running.set(job.integrationId, (running.get(job.integrationId) ?? 1) - 1);
    return ok(run('succeeded'));
  };
  const releaseAll = async (): Promise<void> => {
    while (gates.length > 0) {
      gates.splice(0).forEach((g) => g());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { runner, calls, gates, releaseAll, overlaps: () => overlaps };
}

const tick = () => new Promise((r) => setImmediate(r));

let queue: InProcessQueue | undefined;
let closeStore: (() => Promise<void>) | undefined;
afterEach(async () => {
  await queue?.stop({ timeoutMs: 1_000 });
  queue = undefined;
  await closeStore?.();
  closeStore = undefined;
});

async function queueWith(runner: SyncRunner, o: { concurrency?: number } = {}) {
  const opened = await openTestStore('sqlite');
  closeStore = opened.close;
  queue = createInProcessQueue({
    deps: testDeps(opened.store),
    runner,
    concurrency: o.concurrency ?? 2,
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 4 },
    random: () => 0.5,
  });
  return queue;
}

describe('in-process queue: coalescing', () => {
  it('merges webhook ids into the queued job and lets a full sync absorb them', async () => {
    const gate = gatedRunner();
    const q = await queueWith(gate.runner);
    expect(await q.enqueueSync(pull('a'))).toEqual({ queued: true });
    await tick();
    expect(gate.calls).toHaveLength(1); // running now, so the next requests wait behind it
    expect(await q.enqueueSync(ids('a', ['1']))).toEqual({ queued: true });
    expect(await q.enqueueSync(ids('a', ['2']))).toEqual({ queued: false });
    expect(await q.enqueueSync(ids('a', ['1', '3']))).toEqual({ queued: false });
    await tick();
    expect(gate.calls).toHaveLength(1);
    await gate.releaseAll();
    await q.idle();
    expect(gate.calls.map((c) => c.input)).toEqual([{ kind: 'pull' }, { kind: 'ids', ids: ['1', '2', '3'] }]);
    expect(q.stats.coalesced).toBe(2);
  });

  it('a full sync absorbs queued partial runs; 50 identical requests make one run', async () => {
    const gate = gatedRunner();
    const q = await queueWith(gate.runner);
    await q.enqueueSync(pull('busy'));
    await tick();
    await q.enqueueSync(ids('busy', ['7']));
    await q.enqueueSync(pull('busy', 'schedule'));
    await Promise.all(Array.from({ length: 50 }, () => q.enqueueSync(pull('busy'))));
    await gate.releaseAll();
    await q.idle();
    expect(gate.calls).toHaveLength(2);
    expect(gate.calls[1]?.input).toEqual({ kind: 'pull' });
    expect(gate.calls[1]?.trigger).toBe('schedule');
    expect(gate.overlaps()).toBe(0);
  });

  it('runs different integrations in parallel, never more than the concurrency, one at a time each', async () => {
    const gate = gatedRunner();
    const q = await queueWith(gate.runner, { concurrency: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await q.enqueueSync(pull(id));
    for (const id of ['a', 'b']) await q.enqueueSync(ids(id, ['x']));
    await tick();
    expect(gate.calls).toHaveLength(2);
    await gate.releaseAll();
    await q.idle();
    expect(gate.calls).toHaveLength(7);
    expect(q.stats.maxRunning).toBe(2);
    expect(gate.overlaps()).toBe(0);
  });
});

describe('in-process queue: retries by failure kind', () => {
  const attemptsFor = async (outcome: () => Result<RunRecord, AppError> | Promise<never>) => {
    let attempts = 0;
    const q = await queueWith(() => {
      attempts += 1;
      return Promise.resolve(outcome());
    });
    await q.enqueueSync(pull('r'));
    await q.idle();
    return { attempts, stats: q.stats };
  };

  it('retries a transient failure with backoff, at most 3 times', async () => {
    const { attempts, stats } = await attemptsFor(() => ok(run('failed', 'source_unavailable')));
    expect(attempts).toBe(4);
    expect(stats.retried).toBe(3);
  });

  it('does not retry auth, config or system failures', async () => {
    for (const code of ['source_auth', 'invalid_config', 'source_bad_response', 'internal']) {
      const { attempts } = await attemptsFor(() => ok(run('failed', code)));
      expect(attempts, code).toBe(1);
      await queue?.stop();
      await closeStore?.();
    }
  });

  it('retries when another process holds the lease or the attempt threw; drops what cannot run', async () => {
    expect((await attemptsFor(() => err(new AppError('run_in_progress', 'busy')))).attempts).toBe(4);
    await queue?.stop();
    expect((await attemptsFor(() => Promise.reject(new Error('connection reset')))).attempts).toBe(4);
    await queue?.stop();
    const dropped = await attemptsFor(() => err(new AppError('conflict', 'no source connected')));
    expect(dropped.attempts).toBe(1);
    expect(dropped.stats.dropped).toBe(1);
  });

  it('stops retrying once the source recovers', async () => {
    let n = 0;
    const { attempts } = await attemptsFor(() =>
      ok(run(++n < 3 ? 'failed' : 'succeeded', n < 3 ? 'source_unavailable' : null)),
    );
    expect(attempts).toBe(3);
  });

  it('retries a real transient fetch failure end to end and applies nothing from the failed attempts', async () => {
    const opened = await openTestStore('sqlite');
    closeStore = opened.close;
    const control: FakeSourceControl = { people: people(12), pageSize: 5, failPage: 2, reads: 0 };
    const deps = testDeps(opened.store, { source: fakeSource(control) });
    const tenant = await opened.store.tenants.create({
      id: randomUUID(),
      slug: 'retry-co',
      name: 'Retry Co',
    });
    const connected = await connect(deps, {
      tenantId: tenant.id,
      provider: 'personio',
      config: { token: 'good' },
      sync: false,
    });
    if (!connected.ok) throw connected.error;
    let attempts = 0;
    queue = createInProcessQueue({
      deps,
      retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 },
      runner: async (job, signal) => {
        attempts += 1;
        if (attempts === 3) control.failPage = null; // the HR system is back for the third attempt
        const { runSync } = await import('../src/engine/index.js');
        return runSync(deps, { tenantId: job.tenantId, trigger: job.trigger, input: job.input, signal });
      },
    });
    await queue.enqueueSync({
      tenantId: tenant.id,
      integrationId: connected.value.integration.id,
      trigger: 'manual',
      input: { kind: 'pull' },
    });
    await queue.idle();
    const runs = await opened.store.runs.list(tenant.id, { limit: 10 });
    expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'failed', 'succeeded']);
    expect((await opened.store.directory.listUsers(tenant.id, { limit: 100 })).total).toBe(12);
  });
});

describe('in-process queue: stop', () => {
  it('drops queued jobs, waits for the running one, refuses new ones', async () => {
    const gate = gatedRunner();
    const q = await queueWith(gate.runner, { concurrency: 1 });
    await q.enqueueSync(pull('a'));
    await q.enqueueSync(pull('b'));
    await tick();
    const stopped = q.stop({ timeoutMs: 5_000 });
    expect(await q.enqueueSync(pull('c'))).toEqual({ queued: false });
    await gate.releaseAll();
    await stopped;
    expect(gate.calls.map((c) => c.integrationId)).toEqual(['a']);
  });
});
