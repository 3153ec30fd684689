/** Runs every selected scenario, each database and size in its own child process, and assembles the report. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plannedRuns } from './args.js';
import type { BenchArgs, ScenarioId } from './args.js';
import { plannerFigures, scalingFigures, sizeFigures, sizeLabel, targetChecks } from './report.js';
import type { PlannerFigures, ScalingFigures, SizeFigures, TargetCheck } from './report.js';
import type { PlannerResult } from './planner.js';
import type { ChildResult, ChildScenario } from './size-run.js';
import { median, percentile, round } from './stats.js';
import type { UploadRepetition } from './upload.js';
import type { WebhookResult } from './webhook.js';

/** Scenario 4 at one database and size. */
export interface UploadFigures {
  readonly dialect: string;
  readonly size: number;
  readonly ratio: number;
  readonly ms: number;
  readonly floorMs: number;
  readonly parseMs: number;
  readonly insertMs: number;
  readonly rowsWritten: number;
  readonly recordsPerSec: number;
  readonly bytes: number;
  readonly rssMb: number;
}

/** Scenario 5 on one database. */
export interface WebhookFigures {
  readonly dialect: string;
  readonly employees: number;
  readonly changes: number;
  readonly seen: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** What `npm run bench` prints and writes to bench/results/latest.json. */
export interface BenchReport {
  readonly meta: {
    readonly startedAt: string;
    readonly durationMs: number;
    readonly node: string;
    readonly cpus: number;
    readonly cpuModel: string;
    /** 1-minute load average at the start and the end: how busy the shared machine was. */
    readonly loadAverage: { readonly start: number; readonly end: number };
    readonly seed: number;
    readonly repeats: number;
    readonly sizes: readonly number[];
    readonly databases: readonly string[];
    readonly complete: boolean;
  };
  readonly sizes: readonly SizeFigures[];
  readonly scaling: readonly ScalingFigures[];
  readonly planner: readonly PlannerFigures[];
  readonly upload: readonly UploadFigures[] | null;
  readonly webhook: WebhookFigures | null;
  readonly targets: readonly TargetCheck[];
  /** Scenarios not measured, and why. */
  readonly skipped: readonly string[];
  /** Every repetition of every child, for anyone re-deriving a figure. */
  readonly raw: {
    readonly sync: readonly ChildResult[];
    readonly planner: readonly unknown[];
    readonly upload: readonly unknown[];
    readonly webhook: readonly unknown[];
  };
}

const childEntry = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Employees in the People HR emulator for scenario 5 (each webhook run loads the whole directory). */
export const webhookEmployees = 1_000;

/** Runs one child (`node --expose-gc --import tsx bench/child.ts ...`) and returns what it wrote. */
async function runChildProcess<T>(o: {
  scenario: ChildScenario;
  dialect: 'sqlite' | 'postgres';
  size: number;
  args: BenchArgs;
  /** Repetitions (default `args.repeats`). */
  repeats?: number;
  extra?: readonly string[];
  log: (line: string) => void;
}): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rostersync-bench-child-'));
  const out = join(dir, 'result.json');
  const started = performance.now();
  o.log(`  ${o.scenario} ${o.dialect} ${o.size}, ${o.repeats ?? o.args.repeats} repetition(s) …`);
  try {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        childEntry,
        '--scenario',
        o.scenario,
        '--dialect',
        o.dialect,
        '--size',
        String(o.size),
        '--seed',
        String(o.args.seed),
        '--repeats',
        String(o.repeats ?? o.args.repeats),
        '--out',
        out,
        ...(o.extra ?? []),
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, ...(o.args.postgresUrl ? { BENCH_DATABASE_URL: o.args.postgresUrl } : {}) },
      },
    );
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`bench child '${o.scenario} ${o.dialect} ${o.size}' exited with ${code}`);
    o.log(
      `  ${o.scenario} ${o.dialect} ${o.size} done in ${Math.round((performance.now() - started) / 1000)} s`,
    );
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const uploadFigures = (c: {
  dialect: string;
  size: number;
  repetitions: UploadRepetition[];
  maxRssMb: number;
}): UploadFigures => {
  const reps = c.repetitions;
  const ms = median(reps.map((r) => r.ms));
  return {
    dialect: c.dialect,
    size: c.size,
    ratio: round(median(reps.map((r) => r.ms / (r.parseMs + r.insertMs)))),
    ms: round(ms, 1),
    floorMs: round(median(reps.map((r) => r.parseMs + r.insertMs)), 1),
    parseMs: round(median(reps.map((r) => r.parseMs)), 1),
    insertMs: round(median(reps.map((r) => r.insertMs)), 1),
    rowsWritten: Math.max(...reps.map((r) => r.rowsWritten)),
    recordsPerSec: Math.round(c.size / (ms / 1000)),
    bytes: reps[0]?.bytes ?? 0,
    rssMb: round(c.maxRssMb, 1),
  };
};

const webhookFigures = (c: WebhookResult & { dialect: string }): WebhookFigures => ({
  dialect: c.dialect,
  employees: c.employees,
  changes: c.changes,
  seen: c.seen,
  p50Ms: round(percentile(c.latenciesMs, 50), 1),
  p99Ms: round(percentile(c.latenciesMs, 99), 1),
  maxMs: round(Math.max(...c.latenciesMs), 1),
});

/** Runs the benchmark described by `args`; progress lines go to `log`. */
export async function runBench(args: BenchArgs, log: (line: string) => void): Promise<BenchReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadStart = loadavg()[0] ?? 0;
  const wants = (id: ScenarioId): boolean => args.only.has(id);
  const dialects: ('sqlite' | 'postgres')[] = args.postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
  const skipped: string[] = [];
  if (!args.postgresUrl) skipped.push('PostgreSQL not measured: set BENCH_DATABASE_URL or TEST_DATABASE_URL');

  const budget: string[] = [];
  const sync: ChildResult[] = [];
  const planners: { size: number; planner: PlannerResult }[] = [];
  const uploads: Parameters<typeof uploadFigures>[0][] = [];
  const syncWanted = [1, 2, 3, 6].some((id) => wants(id as ScenarioId));
  for (const size of args.sizes) {
    if (wants(7)) {
      log(`scenario 7 (planner alone): ${size} employees`);
      planners.push(await runChildProcess({ scenario: 'planner', dialect: 'sqlite', size, args, log }));
    }
    for (const dialect of dialects) {
      if (syncWanted) {
        const repeats = plannedRuns(args, { scenario: 'sync', dialect, size });
        log(`scenarios 1–3: ${dialect}, ${size} employees`);
        sync.push(
          await runChildProcess<ChildResult>({ scenario: 'sync', dialect, size, args, repeats, log }),
        );
        if (repeats < args.repeats)
          budget.push(`scenarios 1–3 on ${dialect} at ${sizeLabel(size)}: ${repeats} repetition`);
      }
      const uploadRepeats = plannedRuns(args, { scenario: 'upload', dialect, size });
      if (wants(4) && uploadRepeats > 0) {
        log(`scenario 4 (upload API): ${dialect}, ${size} employees`);
        uploads.push(
          await runChildProcess({ scenario: 'upload', dialect, size, args, repeats: uploadRepeats, log }),
        );
        if (uploadRepeats < args.repeats)
          budget.push(`upload on ${dialect} at ${sizeLabel(size)}: ${uploadRepeats} repetition`);
      } else if (wants(4)) {
        budget.push(`upload on ${dialect} at ${sizeLabel(size)}: not run`);
      }
    }
  }
  const webhooks: (WebhookResult & { dialect: string })[] = [];
  if (wants(5)) {
    for (const dialect of dialects) {
      log(
        `scenario 5 (webhook latency): ${dialect}, ${webhookEmployees} employees, ${args.webhookChanges} changes`,
      );
      webhooks.push(
        await runChildProcess({
          scenario: 'webhook',
          dialect,
          size: webhookEmployees,
          args,
          extra: ['--changes', String(args.webhookChanges)],
          log,
        }),
      );
    }
  }

  if (budget.length > 0) {
    skipped.push(`time budget (--thorough lifts it): ${budget.join('; ')}`);
  }
  const sizes = sync.map(sizeFigures);
  const ordered = [...args.sizes].sort((a, b) => a - b);
  const to = ordered[ordered.length - 1];
  const from = ordered.length >= 2 ? ordered[ordered.length - 2] : undefined;
  const scaling =
    wants(6) && to !== undefined && from !== undefined ? scalingFigures(sizes, { from, to }) : [];
  const webhookSqlite = webhooks.find((w) => w.dialect === 'sqlite');
  const webhook = webhookSqlite ? webhookFigures(webhookSqlite) : null;
  return {
    meta: {
      startedAt,
      durationMs: Math.round(performance.now() - started),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAverage: { start: round(loadStart, 2), end: round(loadavg()[0] ?? 0, 2) },
      seed: args.seed,
      repeats: args.repeats,
      sizes: args.sizes,
      databases: dialects,
      complete: args.complete,
    },
    sizes,
    scaling,
    planner: planners.map(plannerFigures),
    upload: wants(4) ? uploads.map(uploadFigures) : null,
    webhook,
    targets: targetChecks({ sizes, scaling, webhookP99Ms: webhook?.p99Ms ?? null }),
    skipped,
    raw: { sync, planner: planners, upload: uploads, webhook: webhooks },
  };
}

/** Other figures of scenario 5 (PostgreSQL) for the docs. */
export const allWebhookFigures = (r: BenchReport): WebhookFigures[] =>
  (r.raw.webhook as (WebhookResult & { dialect: string })[]).map(webhookFigures);
