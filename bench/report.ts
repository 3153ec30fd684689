/** Turns the children's raw measurements into ratios, invariants and target checks (pure). */
import type { PlannerResult } from './planner.js';
import type { ChildResult } from './size-run.js';
import { changedUsers } from './changes.js';
import { median, round, spread } from './stats.js';

/** Figures of one database and size (scenarios 1–3, the floors, peak RSS). */
export interface SizeFigures {
  readonly dialect: string;
  readonly size: number;
  readonly floors: {
    readonly fetchMs: number;
    readonly insertMs: number;
    readonly changeInsertMs: number;
    readonly fetchRecordsPerSec: number;
    readonly requests: number;
  };
  readonly first: SyncFigures;
  readonly noop: SyncFigures;
  readonly changed: SyncFigures & { readonly expectedRows: number };
  readonly rssMb: number;
  /** Largest (max − min) / median over the repeated timings of this size. */
  readonly noise: number;
}

export interface SyncFigures {
  /** Median over repetitions of sync / floor, each repetition's own floor. */
  readonly ratio: number;
  readonly ms: number;
  readonly floorMs: number;
  /** Directory rows written (the same in every repetition, else the largest). */
  readonly rowsWritten: number;
  readonly recordsPerSec: number;
  readonly phases: { readonly fetchMs: number; readonly planApplyMs: number; readonly finishMs: number };
}

export interface PlannerFigures {
  readonly size: number;
  readonly usPerEmployee: number;
  readonly floorUsPerEmployee: number;
  readonly ratio: number;
}

export interface ScalingFigures {
  readonly dialect: string;
  readonly from: number;
  readonly to: number;
  readonly first: number;
  readonly noop: number;
  /** The fetch floor's own scaling, for comparison. */
  readonly fetchFloor: number;
}

export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly actual: number | null;
  readonly met: boolean | null;
  /** How far off, e.g. `+0.32 over` or `0.1 under`. */
  readonly note: string;
}

/** `1k`, `100k`, or the number itself. */
export const sizeLabel = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

const perRep = <T>(c: ChildResult, f: (r: ChildResult['repetitions'][number]) => T): T[] =>
  c.repetitions.map(f);

/** Scenarios 1–3 of one child, with ratios taken per repetition (sync and floor minutes apart at most). */
export function sizeFigures(c: ChildResult): SizeFigures {
  const fetchMs = perRep(c, (r) => r.fetchFloor.ms);
  const insertMs = perRep(c, (r) => r.insertFloor.ms);
  const changeInsertMs = perRep(c, (r) => r.changeInsertFloor.ms);
  const records = c.repetitions[0]?.fetchFloor.records ?? c.size;
  const figures = (
    pick: (r: ChildResult['repetitions'][number]) => ChildResult['repetitions'][number]['first'],
    floor: (r: ChildResult['repetitions'][number]) => number,
  ): SyncFigures => {
    const ms = perRep(c, (r) => pick(r).ms);
    const m = median(ms);
    return {
      ratio: round(median(perRep(c, (r) => pick(r).ms / floor(r)))),
      ms: round(m, 1),
      floorMs: round(median(perRep(c, floor)), 1),
      rowsWritten: Math.max(...perRep(c, (r) => pick(r).rowsWritten)),
      recordsPerSec: Math.round(records / (m / 1000)),
      phases: {
        fetchMs: round(median(perRep(c, (r) => pick(r).phases.fetchMs)), 1),
        planApplyMs: round(median(perRep(c, (r) => pick(r).phases.planApplyMs)), 1),
        finishMs: round(median(perRep(c, (r) => pick(r).phases.finishMs)), 1),
      },
    };
  };
  const timings = [
    fetchMs,
    insertMs,
    perRep(c, (r) => r.first.ms),
    perRep(c, (r) => r.noop.ms),
    perRep(c, (r) => r.changed.ms),
  ];
  return {
    dialect: c.dialect,
    size: c.size,
    floors: {
      fetchMs: round(median(fetchMs), 1),
      insertMs: round(median(insertMs), 1),
      changeInsertMs: round(median(changeInsertMs), 1),
      fetchRecordsPerSec: Math.round(records / (median(fetchMs) / 1000)),
      requests: c.repetitions[0]?.fetchFloor.requests ?? 0,
    },
    first: figures(
      (r) => r.first,
      (r) => r.fetchFloor.ms + r.insertFloor.ms,
    ),
    noop: figures(
      (r) => r.noop,
      (r) => r.fetchFloor.ms,
    ),
    changed: {
      ...figures(
        (r) => r.changed,
        (r) => r.fetchFloor.ms + r.changeInsertFloor.ms,
      ),
      expectedRows: changedUsers(c.changes),
    },
    rssMb: round(c.maxRssMb, 1),
    noise: round(Math.max(...timings.map(spread))),
  };
}

/** Scenario 6: time(to) / time(from) per database, for the first and the no-op sync. */
export function scalingFigures(
  sizes: readonly SizeFigures[],
  o: { from: number; to: number },
): ScalingFigures[] {
  const out: ScalingFigures[] = [];
  for (const big of sizes.filter((s) => s.size === o.to)) {
    const small = sizes.find((s) => s.size === o.from && s.dialect === big.dialect);
    if (!small) continue;
    out.push({
      dialect: big.dialect,
      from: o.from,
      to: o.to,
      first: round(big.first.ms / small.first.ms, 2),
      noop: round(big.noop.ms / small.noop.ms, 2),
      fetchFloor: round(big.floors.fetchMs / small.floors.fetchMs, 2),
    });
  }
  return out;
}

/** Scenario 7 at one size (the planner is pure: no database, no emulator). */
export function plannerFigures(c: { size: number; planner: PlannerResult }): PlannerFigures {
  const us = (ms: number): number => round((ms * 1000) / c.planner.employees, 2);
  return {
    size: c.size,
    usPerEmployee: us(c.planner.planMs.median),
    floorUsPerEmployee: us(c.planner.floorMs.median),
    ratio: round(c.planner.planMs.median / c.planner.floorMs.median, 2),
  };
}

const check = (o: {
  name: string;
  target: string;
  actual: number | null | undefined;
  max: number;
  unit?: string;
}): TargetCheck => {
  if (o.actual === null || o.actual === undefined) {
    return { name: o.name, target: o.target, actual: null, met: null, note: 'not measured in this run' };
  }
  const met = o.actual <= o.max;
  const by = round(Math.abs(o.actual - o.max), 2);
  return {
    name: o.name,
    target: o.target,
    actual: o.actual,
    met,
    note: met ? `met (${by}${o.unit ?? ''} to spare)` : `missed by ${by}${o.unit ?? ''}`,
  };
};

/** Issue 7's targets, at 100k on SQLite (or the largest SQLite size measured). */
export function targetChecks(o: {
  sizes: readonly SizeFigures[];
  scaling: readonly ScalingFigures[];
  webhookP99Ms: number | null;
}): TargetCheck[] {
  const sqlite = o.sizes.filter((s) => s.dialect === 'sqlite').sort((a, b) => b.size - a.size)[0];
  const at = sqlite ? ` at ${sizeLabel(sqlite.size)}` : '';
  const scaling = o.scaling.find((s) => s.dialect === 'sqlite');
  const pair = scaling ? `${sizeLabel(scaling.to)}/${sizeLabel(scaling.from)}` : '100k/10k';
  return [
    check({ name: `first sync ratio${at}`, target: '≤ 1.5', actual: sqlite?.first.ratio, max: 1.5 }),
    check({ name: `no-op re-sync ratio${at}`, target: '≤ 1.2', actual: sqlite?.noop.ratio, max: 1.2 }),
    check({ name: `no-op rows written${at}`, target: '= 0', actual: sqlite?.noop.rowsWritten, max: 0 }),
    check({ name: `1% changed ratio${at}`, target: '≤ 1.3', actual: sqlite?.changed.ratio, max: 1.3 }),
    check({
      name: `1% changed rows − expected${at}`,
      target: '= 0',
      actual: sqlite ? sqlite.changed.rowsWritten - sqlite.changed.expectedRows : undefined,
      max: 0,
    }),
    check({ name: `peak RSS${at}`, target: '≤ 400 MB', actual: sqlite?.rssMb, max: 400, unit: ' MB' }),
    check({ name: `scaling, first sync ${pair}`, target: '≤ 11', actual: scaling?.first, max: 11 }),
    check({ name: `scaling, no-op re-sync ${pair}`, target: '≤ 11', actual: scaling?.noop, max: 11 }),
    check({ name: 'webhook p99', target: '≤ 500 ms', actual: o.webhookP99Ms, max: 500, unit: ' ms' }),
  ];
}
