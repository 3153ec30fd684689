/** The fetch renews the run's lease every quarter of its TTL, not on every page, and still stops when it is lost. */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.js';
import { fakeSource, people, type FakeSourceControl } from '../../test/support/fake-source.js';
import { testDeps } from '../../test/support/engine.js';
import { connect } from './integrations.js';
import { runSync } from './run-sync.js';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** A connected tenant whose clock moves `stepMs` on every reading, and a count of lease renewals. */
async function setup(o: { stepMs: number; renewOk?: boolean }) {
  store = await openStore({ url: 'sqlite::memory:' });
  await store.migrate();
  const control: FakeSourceControl = { people: people(40), pageSize: 4, failPage: null, reads: 0 };
  let now = Date.parse('2026-11-23T06:00:00Z');
  const base = testDeps(store, { source: fakeSource(control), now: () => new Date((now += o.stepMs)) });
  const renewals = { count: 0 };
  const leases = store.leases;
  const deps = {
    ...base,
    store: {
      ...store,
      leases: {
        ...leases,
        renew: async (...args: Parameters<Store['leases']['renew']>) => {
          renewals.count += 1;
          return o.renewOk === false ? false : leases.renew(...args);
        },
      },
    },
  };
  const tenant = await store.tenants.create({
    id: randomUUID(),
    slug: `t-${randomUUID().slice(0, 8)}`,
    name: 'Acme',
  });
  const connected = await connect(deps, {
    tenantId: tenant.id,
    provider: 'personio',
    config: { token: 'good' },
    sync: false,
  });
  if (!connected.ok) throw connected.error;
  return { deps, tenant, renewals };
}

describe('lease renewal during the fetch', () => {
  it('does not renew on every page while the lease is fresh', async () => {
    const { deps, tenant, renewals } = await setup({ stepMs: 1 });
    const run = await runSync(deps, { tenantId: tenant.id, trigger: 'manual' });
    expect(run.ok && run.value.status).toBe('succeeded');
    expect(renewals.count).toBe(0);
  });

  it('renews once a quarter of the TTL has passed', async () => {
    // testDeps' TTL is 60 s: a 16 s step makes every page due.
    const { deps, tenant, renewals } = await setup({ stepMs: 16_000 });
    const run = await runSync(deps, { tenantId: tenant.id, trigger: 'manual' });
    expect(run.ok && run.value.status).not.toBe('failed');
    expect(renewals.count).toBeGreaterThanOrEqual(10);
  });

  it('stops the run when a renewal finds the lease taken over', async () => {
    const { deps, tenant, renewals } = await setup({ stepMs: 16_000, renewOk: false });
    const before = deps.store.stats.directoryRows;
    const run = await runSync(deps, { tenantId: tenant.id, trigger: 'manual' });
    expect(run.ok && run.value.errorCode).toBe('lease_lost');
    expect(renewals.count).toBe(1);
    expect(deps.store.stats.directoryRows).toBe(before);
  });
});
