/** Scenarios 1–3 and 7 for ONE database and size; `child.ts` runs this in its own process (its peak RSS is the size's). */
import { sourceRegistry } from '../src/sources/registry.js';
import { changeCounts, planChangeSet } from './changes.js';
import type { ChangeCounts, ChangeSet } from './changes.js';
import { startEmulatorProcess } from './emulator-client.js';
import { insertRows } from './floors.js';
import { plannerBench } from './planner.js';
import { personioRoster } from './roster.js';
import type { PlannerResult } from './planner.js';
import type { BenchDatabase } from './setup.js';
import { syncRepetition } from './sync-scenarios.js';
import type { Repetition } from './sync-scenarios.js';

/** What a child writes to its `--out` file. */
export interface ChildResult {
  readonly dialect: BenchDatabase['dialect'];
  readonly size: number;
  readonly seed: number;
  readonly repetitions: readonly Repetition[];
  readonly changes: ChangeCounts;
  /** `process.resourceUsage().maxRSS` of this process at the end, in MiB (the emulator is another process). */
  readonly maxRssMb: number;
  /** Emulator start and change selection: untimed setup. */
  readonly setupMs: number;
}

/** What a child process measures: scenarios 1–3, 7, 4, or 5. */
export const childScenarios = ['sync', 'planner', 'upload', 'webhook'] as const;
export type ChildScenario = (typeof childScenarios)[number];

/** Parsed `--name value` pairs of the child's command line. */
export interface ChildArgs {
  readonly scenario: ChildScenario;
  readonly dialect: BenchDatabase['dialect'];
  readonly size: number;
  readonly seed: number;
  readonly repeats: number;
  /** Scenario 5: single-employee changes to make. */
  readonly changes: number;
  readonly out: string;
}

export function parseChildArgs(argv: readonly string[]): ChildArgs {
  const get = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at === -1 ? undefined : argv[at + 1];
  };
  const dialect = get('dialect') === 'postgres' ? 'postgres' : 'sqlite';
  const out = get('out');
  if (out === undefined) throw new Error('bench child: --out <file> is required');
  const scenario = get('scenario') ?? 'sync';
  if (!(childScenarios as readonly string[]).includes(scenario))
    throw new Error(`bench child: no scenario '${scenario}'`);
  return {
    scenario: scenario as ChildScenario,
    dialect,
    size: Number(get('size') ?? '1000'),
    changes: Number(get('changes') ?? '200'),
    seed: Number(get('seed') ?? '7'),
    repeats: Number(get('repeats') ?? '3'),
    out,
  };
}

/** Runs scenarios 1–3 at one size; `BENCH_DATABASE_URL` names PostgreSQL when `dialect` is postgres. */
export async function runChild(a: ChildArgs, env: NodeJS.ProcessEnv): Promise<ChildResult> {
  const url = env['BENCH_DATABASE_URL'];
  if (a.dialect === 'postgres' && !url) throw new Error('bench child: BENCH_DATABASE_URL is not set');
  const db: BenchDatabase =
    a.dialect === 'postgres' ? { dialect: 'postgres', url: url ?? '' } : { dialect: 'sqlite' };
  const source = sourceRegistry('personio');
  if (!source) throw new Error('the personio connector is not registered');

  const setupStart = performance.now();
  const emu = await startEmulatorProcess({ provider: 'personio', count: a.size, seed: a.seed });
  try {
    const changes: ChangeSet = planChangeSet({ count: a.size, seed: a.seed });
    const setupMs = performance.now() - setupStart;
    const repetitions: Repetition[] = [];
    for (let i = 0; i < a.repeats; i++) {
      repetitions.push(
        await syncRepetition({
          db,
          emu,
          source,
          size: a.size,
          // Built when needed and dropped after: the bench holds no roster while it measures memory.
          rows: (count) => insertRows(personioRoster({ count, seed: a.seed })),
          changes,
        }),
      );
    }
    return {
      dialect: a.dialect,
      size: a.size,
      seed: a.seed,
      repetitions,
      changes: changeCounts(changes),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      setupMs,
    };
  } finally {
    await emu.close();
  }
}

/** Scenario 7 at one size: pure, in memory, no database and no emulator. */
export async function runPlannerChild(a: ChildArgs): Promise<PlannerResult> {
  const source = sourceRegistry('personio');
  if (!source) throw new Error('the personio connector is not registered');
  return plannerBench({
    roster: personioRoster({ count: a.size, seed: a.seed }),
    managedFields: source.spec.managedFields,
    repeats: a.repeats,
  });
}
