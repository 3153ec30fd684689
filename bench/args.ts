/** `npm run bench` flags, parsed purely (no I/O) so the test can check them. */
import { defaultRepeats, defaultSeed, fullSizes, quickSizes } from './constants.js';

/** Issue 7's scenarios by number. */
export const scenarioIds = [1, 2, 3, 4, 5, 6, 7] as const;
export type ScenarioId = (typeof scenarioIds)[number];

export interface BenchArgs {
  readonly sizes: readonly number[];
  readonly only: ReadonlySet<ScenarioId>;
  /** PostgreSQL URL to bench on besides SQLite, or undefined for SQLite only. */
  readonly postgresUrl: string | undefined;
  readonly repeats: number;
  readonly seed: number;
  /** Profile the first and no-op syncs at the largest size instead of benchmarking. */
  readonly profile: boolean;
  /** Every repetition at every size and database, ignoring the time budget (see `plannedRuns`). */
  readonly thorough: boolean;
  /** Where the JSON result goes; the Markdown table goes beside it. */
  readonly out: string | undefined;
  /** Scenario 5's single-employee changes: 200, or 50 with `--quick` (then p99 is the maximum). */
  readonly webhookChanges: number;
  /** A run of every scenario at every size: only such a run replaces `bench/results/latest.json`. */
  readonly complete: boolean;
}

/** `1000`, `10k`, `100K`, `1m` → a positive integer. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  const unit = match?.[2]?.toLowerCase();
  const value =
    match?.[1] === undefined ? NaN : Number(match[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1);
  if (!Number.isInteger(value) || value < 10) {
    throw new Error(`--sizes: '${text}' is not a roster size (an integer of at least 10, e.g. 1000 or 10k)`);
  }
  return value;
}

const positiveInt = (flag: string, text: string | undefined): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag} needs a positive integer, got '${text ?? ''}'`);
  return value;
};

/**
 * Parses the command line. PostgreSQL is benchmarked when BENCH_DATABASE_URL or TEST_DATABASE_URL is
 * set (or `--postgres <url>` is given), unless `--no-postgres`.
 *
 * @example
 * parseBenchArgs({ argv: ['--quick', '--only', '1,2'], env: {} }).sizes; // [1000, 10000]
 */
export function parseBenchArgs(o: {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}): BenchArgs {
  const { argv } = o;
  let sizes: readonly number[] = fullSizes;
  let only: Set<ScenarioId> = new Set(scenarioIds);
  let postgres: string | undefined =
    o.env['BENCH_DATABASE_URL']?.trim() || o.env['TEST_DATABASE_URL']?.trim() || undefined;
  let repeats = defaultRepeats;
  let seed = defaultSeed;
  let profile = false;
  let thorough = false;
  let out: string | undefined;
  let partial = false;
  let webhookChanges = 200;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag ?? ''} needs a value`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '--quick':
        sizes = quickSizes;
        webhookChanges = 50;
        partial = true;
        break;
      case '--sizes':
        sizes = value().split(',').map(parseSize);
        partial = true;
        break;
      case '--only': {
        const ids = value()
          .split(',')
          .map((s) => Number(s.trim()));
        for (const id of ids) {
          if (!(scenarioIds as readonly number[]).includes(id))
            throw new Error(`--only: no scenario ${id} (1 to 7)`);
        }
        only = new Set(ids as ScenarioId[]);
        partial = true;
        break;
      }
      case '--postgres': {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) postgres = value();
        else if (postgres === undefined) throw new Error('--postgres needs a URL, or set BENCH_DATABASE_URL');
        break;
      }
      case '--no-postgres':
        postgres = undefined;
        break;
      case '--repeats':
        repeats = positiveInt('--repeats', value());
        partial = partial || repeats < defaultRepeats;
        break;
      case '--seed':
        seed = positiveInt('--seed', value());
        break;
      case '--profile':
        profile = true;
        break;
      case '--thorough':
        thorough = true;
        break;
      case '--out':
        out = value();
        break;
      default:
        throw new Error(
          `unknown flag '${flag ?? ''}' (known: --quick --sizes --only --postgres --no-postgres --repeats --seed --thorough --profile --out)`,
        );
    }
  }
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    only,
    postgresUrl: postgres,
    repeats,
    seed,
    profile,
    thorough,
    out,
    webhookChanges,
    complete: !partial && !profile,
  };
}

/** Sizes from which the time budget applies. */
export const budgetSize = 100_000;

/**
 * Repetitions of one child, or 0 to skip it. `npm run bench` must finish in 15 minutes on a shared
 * 2-core machine: at 100k the targets are SQLite's, so SQLite keeps every repetition of scenarios
 * 1–3, PostgreSQL gets one, and the upload (whose cost is the first sync's plus the file) runs once,
 * on SQLite only. `--thorough` lifts all of that.
 */
export function plannedRuns(
  a: BenchArgs,
  o: { scenario: 'sync' | 'upload'; dialect: 'sqlite' | 'postgres'; size: number },
): number {
  if (a.thorough || o.size < budgetSize) return a.repeats;
  if (o.scenario === 'sync') return o.dialect === 'sqlite' ? a.repeats : 1;
  return o.dialect === 'sqlite' ? 1 : 0;
}
