/** Builds engine dependencies around a test store: fixed clock, counter ids, a fake or real source. */
import { randomBytes } from 'node:crypto';
import type { Source } from '../../src/sources/contract.js';
import { sourceRegistry } from '../../src/sources/registry.js';
import type { Store } from '../../src/store/index.js';
import { createCipher, silentLogger, type EngineDeps } from '../../src/engine/index.js';

export const testKey = { id: 't1', key: randomBytes(32) };

export function testDeps(
  store: Store,
  o: { source?: Source; owner?: string; now?: () => Date } = {},
): EngineDeps {
  let n = 0;
  return {
    store,
    clock: { now: o.now ?? (() => new Date('2026-11-23T06:00:00Z')) },
    newId: () => `id-${(++n).toString().padStart(6, '0')}-${Math.random().toString(36).slice(2, 8)}`,
    cipher: createCipher([testKey]),
    sources: (provider) => (o.source && provider === o.source.spec.id ? o.source : sourceRegistry(provider)),
    log: silentLogger,
    allowLoopbackSources: true,
    owner: o.owner ?? 'test-owner',
    leaseTtlMs: 60_000,
    batchSize: 50,
    retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2, sleep: () => Promise.resolve() },
  };
}
