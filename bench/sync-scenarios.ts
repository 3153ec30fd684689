/** Scenarios 1–3 for one repetition: floors, first sync, no-op re-sync and 1% changed, each timed once. */
import type { PlanCounts } from '../src/core/model.js';
import { runSync } from '../src/engine/index.js';
import type { EngineDeps, Progress } from '../src/engine/index.js';
import type { Source } from '../src/sources/contract.js';
import { applyChangeSet, changeCounts, changedUsers } from './changes.js';
import type { ChangeSet } from './changes.js';
import type { EmulatorProcess } from './emulator-client.js';
import { fetchFloor, insertFloor } from './floors.js';
import type { InsertRow } from './floors.js';
import { benchDeps, connectedTenant, freshStore } from './setup.js';
import type { BenchDatabase } from './setup.js';
import { timed } from './stats.js';

/** One timed sync: wall time, where it went, and what it wrote (counted by the store, not guessed). */
export interface SyncMeasure {
  readonly ms: number;
  /** Until the last page was mapped (`plan` progress); then snapshot + plan + apply; then the report. */
  readonly phases: { readonly fetchMs: number; readonly planApplyMs: number; readonly finishMs: number };
  readonly rowsWritten: number;
  readonly statements: number;
  readonly transactions: number;
  readonly status: string;
  readonly counts: PlanCounts;
}

/** Runs a full pull sync of the tenant and measures it. A run that does not succeed is a bench failure. */
export async function timedSync(deps: EngineDeps, tenantId: string): Promise<SyncMeasure> {
  const before = { ...deps.store.stats };
  const marks: Partial<Record<Progress['phase'], number>> = {};
  let start = 0;
  let status = '';
  let counts: PlanCounts | undefined;
  const ms = await timed(async () => {
    start = performance.now();
    const result = await runSync(deps, {
      tenantId,
      trigger: 'manual',
      onProgress: (p) => {
        if (marks[p.phase] === undefined || p.phase === 'done') marks[p.phase] = performance.now();
      },
    });
    if (!result.ok) throw result.error;
    status = result.value.status;
    counts = result.value.counts;
    if (status !== 'succeeded') {
      throw new Error(`the benchmark sync ended '${status}': ${result.value.message ?? 'no message'}`);
    }
  });
  const planAt = marks.plan ?? start;
  const doneAt = marks.done ?? planAt;
  const after = deps.store.stats;
  return {
    ms,
    phases: { fetchMs: planAt - start, planApplyMs: doneAt - planAt, finishMs: start + ms - doneAt },
    rowsWritten: after.directoryRows - before.directoryRows,
    statements: after.statements - before.statements,
    transactions: after.transactions - before.transactions,
    status,
    counts: counts as PlanCounts,
  };
}

/** Everything one repetition measured. */
export interface Repetition {
  readonly fetchFloor: { readonly ms: number; readonly records: number; readonly requests: number };
  readonly insertFloor: { readonly ms: number; readonly rowsWritten: number; readonly statements: number };
  /** The bulk insert floor for as many rows as scenario 3 changes. */
  readonly changeInsertFloor: { readonly ms: number; readonly rowsWritten: number };
  readonly first: SyncMeasure;
  readonly noop: SyncMeasure;
  readonly changed: SyncMeasure;
}

export interface RepetitionOptions {
  readonly db: BenchDatabase;
  readonly emu: EmulatorProcess;
  readonly source: Source;
  /** Employees in the emulator. */
  readonly size: number;
  /** The first `count` roster rows as a first sync inserts them (the insert floor's input). */
  readonly rows: (count: number) => InsertRow[];
  readonly changes: ChangeSet;
}

/**
 * Floors first, then the three syncs on one fresh database, so each ratio compares figures taken
 * minutes apart at most. The emulator is reset afterwards: the next repetition sees the same roster.
 */
export async function syncRepetition(o: RepetitionOptions): Promise<Repetition> {
  const fetched = await fetchFloor({ source: o.source, config: o.emu.config });
  if (fetched.records !== o.size) {
    throw new Error(`the fetch floor read ${fetched.records} records, expected ${o.size}`);
  }
  const inserted = await insertFloor({ db: o.db, rows: o.rows(o.size) });
  const changeInsert = await insertFloor({ db: o.db, rows: o.rows(changedUsers(changeCounts(o.changes))) });
  const fresh = await freshStore(o.db);
  try {
    const deps = benchDeps({ store: fresh.store });
    const tenant = await connectedTenant({ deps, provider: o.emu.provider, config: o.emu.config });
    const first = await timedSync(deps, tenant.id);
    const noop = await timedSync(deps, tenant.id);
    await applyChangeSet(o.emu, o.changes);
    const changed = await timedSync(deps, tenant.id);
    return {
      fetchFloor: fetched,
      insertFloor: inserted,
      changeInsertFloor: { ms: changeInsert.ms, rowsWritten: changeInsert.rowsWritten },
      first,
      noop,
      changed,
    };
  } finally {
    await o.emu.reset();
    await fresh.dispose();
  }
}
