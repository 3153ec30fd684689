/** The benchmark's invariants at 1k on SQLite (rows written, not timings), and its pure helpers. */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, parseSize } from './args.js';
import { changedUsers, planChangeSet } from './changes.js';
import { summarizeProfile } from './profile-summary.js';
import { sizeFigures, targetChecks } from './report.js';
import { runChild } from './size-run.js';
import type { ChildResult } from './size-run.js';
import { median, percentile, spread } from './stats.js';

describe('bench at 1k employees on SQLite (scenarios 1–3, one repetition)', () => {
  it('writes every user once on the first sync, nothing on a no-op, exactly the changes at 1%', async () => {
    const result = await runChild(
      { scenario: 'sync', dialect: 'sqlite', size: 1000, seed: 7, repeats: 1, changes: 0, out: '' },
      {},
    );
    const rep = result.repetitions[0];
    expect(rep).toBeDefined();
    if (!rep) return;
    expect(rep.fetchFloor.records).toBe(1000);
    expect(rep.insertFloor.rowsWritten).toBe(1000);
    // One row per created user (leavers are not created; managers are written with the user, not
    // in a second pass) plus the departments and positions: at most 12 + 40 reference rows.
    expect(rep.first.counts.created).toBeGreaterThan(950);
    const referenceRows = rep.first.rowsWritten - rep.first.counts.created;
    expect(referenceRows).toBeGreaterThan(0);
    expect(referenceRows).toBeLessThanOrEqual(52);
    expect(rep.noop.rowsWritten).toBe(0);
    expect(rep.noop.counts.unchanged).toBe(rep.first.counts.created);
    expect(result.changes).toEqual({ updates: 10, leavers: 2, hires: 2 });
    expect(rep.changed.counts.updated + rep.changed.counts.deactivated + rep.changed.counts.created).toBe(14);
    expect(rep.changed.rowsWritten).toBe(changedUsers(result.changes));
  });
});

describe('bench helpers', () => {
  it('parses sizes and flags', () => {
    expect(parseSize('10k')).toBe(10_000);
    expect(parseSize('100000')).toBe(100_000);
    expect(() => parseSize('ten')).toThrow(/--sizes/);
    const quick = parseBenchArgs({ argv: ['--quick', '--only', '1,2'], env: {} });
    expect(quick.sizes).toEqual([1000, 10_000]);
    expect([...quick.only]).toEqual([1, 2]);
    expect(quick.complete).toBe(false);
    expect(quick.postgresUrl).toBeUndefined();
    const full = parseBenchArgs({ argv: [], env: { TEST_DATABASE_URL: 'postgres://x@127.0.0.1/t' } });
    expect(full.postgresUrl).toBe('postgres://x@127.0.0.1/t');
    expect(full.complete).toBe(true);
    expect(
      parseBenchArgs({ argv: ['--no-postgres'], env: { BENCH_DATABASE_URL: 'postgres://y' } }).postgresUrl,
    ).toBeUndefined();
    expect(() => parseBenchArgs({ argv: ['--only', '9'], env: {} })).toThrow(/no scenario 9/);
  });

  it('computes medians, percentiles and spread', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(
      percentile(
        [...Array(100).keys()].map((i) => i + 1),
        99,
      ),
    ).toBe(99);
    expect(percentile([5, 1, 9], 50)).toBe(5);
    expect(spread([90, 100, 110])).toBeCloseTo(0.2);
  });

  it('picks the same changes for the same seed, and different ones for another', () => {
    const a = planChangeSet({ count: 2000, seed: 7 });
    expect(planChangeSet({ count: 2000, seed: 7 })).toEqual(a);
    expect(planChangeSet({ count: 2000, seed: 8 }).updates).not.toEqual(a.updates);
    expect(a.updates).toHaveLength(20);
    expect(a.leavers).toHaveLength(4);
    expect(new Set([...a.updates.map((u) => u.id), ...a.leavers]).size).toBe(24);
  });

  it('takes each ratio against its own repetition’s floor', () => {
    const sync = (ms: number, rows = 0) => ({
      ms,
      phases: { fetchMs: 0, planApplyMs: 0, finishMs: 0 },
      rowsWritten: rows,
      statements: 0,
      transactions: 0,
      status: 'succeeded',
      counts: {
        created: 0,
        updated: 0,
        deactivated: 0,
        reactivated: 0,
        deleted: 0,
        unchanged: 0,
        errors: 0,
        warnings: 0,
      },
    });
    const rep = (fetch: number, first: number) => ({
      fetchFloor: { ms: fetch, records: 10, requests: 1 },
      insertFloor: { ms: fetch, rowsWritten: 10, statements: 1 },
      changeInsertFloor: { ms: 0, rowsWritten: 3 },
      first: sync(first, 10),
      noop: sync(fetch * 1.1),
      changed: sync(fetch, 3),
    });
    const child: ChildResult = {
      dialect: 'sqlite',
      size: 10,
      seed: 7,
      // A slow machine doubles everything in one repetition: the ratio must not move.
      repetitions: [rep(100, 300), rep(200, 600), rep(100, 300)],
      changes: { updates: 1, leavers: 1, hires: 1 },
      maxRssMb: 100,
      setupMs: 0,
    };
    const figures = sizeFigures(child);
    expect(figures.first.ratio).toBe(1.5);
    expect(figures.noop.ratio).toBe(1.1);
    expect(figures.changed.rowsWritten).toBe(figures.changed.expectedRows);
    const checks = targetChecks({ sizes: [figures], scaling: [], webhookP99Ms: 600 });
    expect(checks.find((c) => c.name.startsWith('first sync'))?.met).toBe(true);
    expect(checks.find((c) => c.name === 'webhook p99')?.note).toBe('missed by 100 ms');
  });

  it('ranks self time inside the window only', () => {
    const frame = (functionName: string) => ({ functionName, url: '', lineNumber: -1, columnNumber: -1 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)') },
        { id: 2, callFrame: frame('startup') },
        { id: 3, callFrame: frame('sync') },
      ],
      startTime: 0,
      samples: [2, 3, 3, 2],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    const all = summarizeProfile(profile);
    expect(all.functions.map((f) => f.name)).toEqual(['startup', 'sync']);
    const windowed = summarizeProfile(profile, { window: { startUs: 1500, endUs: 3500 } });
    expect(windowed.functions).toEqual([{ name: 'sync', ms: 2, share: 1 }]);
  });
});
