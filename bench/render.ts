/** The results as a console table and as the Markdown that docs/performance.md quotes. */
import { sizeLabel } from './report.js';
import { allWebhookFigures } from './run-all.js';
import type { BenchReport } from './run-all.js';

const num = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number): string => (n >= 10_000 ? `${num(n / 1000, 1)} s` : `${num(n)} ms`);
const size = sizeLabel;

/** Rows of the main table: one per database, size and scenario. */
export function tableRows(r: BenchReport): string[][] {
  const rows: string[][] = [];
  for (const s of r.sizes) {
    const base = [s.dialect, size(s.size)];
    rows.push([
      ...base,
      '1 first sync',
      num(s.first.ratio, 2),
      ms(s.first.ms),
      `${ms(s.first.floorMs)} (fetch ${ms(s.floors.fetchMs)} + insert ${ms(s.floors.insertMs)})`,
      num(s.first.rowsWritten),
      num(s.first.recordsPerSec),
      num(s.rssMb),
    ]);
    rows.push([
      ...base,
      '2 no-op re-sync',
      num(s.noop.ratio, 2),
      ms(s.noop.ms),
      `${ms(s.noop.floorMs)} (fetch)`,
      num(s.noop.rowsWritten),
      num(s.noop.recordsPerSec),
      '',
    ]);
    rows.push([
      ...base,
      '3 1% changed',
      num(s.changed.ratio, 2),
      ms(s.changed.ms),
      `${ms(s.changed.floorMs)} (fetch + insert ${num(s.changed.expectedRows)})`,
      `${num(s.changed.rowsWritten)} (expected ${num(s.changed.expectedRows)})`,
      num(s.changed.recordsPerSec),
      '',
    ]);
  }
  for (const u of r.upload ?? []) {
    rows.push([
      u.dialect,
      size(u.size),
      '4 upload (API)',
      num(u.ratio, 2),
      ms(u.ms),
      `${ms(u.floorMs)} (parse ${ms(u.parseMs)} + insert ${ms(u.insertMs)})`,
      num(u.rowsWritten),
      num(u.recordsPerSec),
      '',
    ]);
  }
  return rows;
}

export const tableHeader = [
  'db',
  'size',
  'scenario',
  'ratio',
  'time',
  'floor',
  'rows written',
  'records/s',
  'peak RSS MB',
];

/** Fixed-width text table for the console. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** GitHub Markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Everything besides the main table: scaling, planner, webhook latency, targets. */
export function extraSections(r: BenchReport, o: { markdown: boolean }): string {
  const table = o.markdown ? markdownTable : textTable;
  const parts: string[] = [];
  if (r.scaling.length > 0) {
    parts.push(
      '6. Scaling (time at the larger size / time at the smaller; linear = 10)',
      table(
        ['db', 'sizes', 'first sync', 'no-op re-sync', 'fetch floor'],
        r.scaling.map((s) => [
          s.dialect,
          `${size(s.from)} → ${size(s.to)}`,
          num(s.first, 2),
          num(s.noop, 2),
          num(s.fetchFloor, 2),
        ]),
      ),
    );
    parts.push(
      'Peak RSS of the sync process per size',
      table(
        ['db', 'size', 'peak RSS MB'],
        r.sizes.map((s) => [s.dialect, size(s.size), num(s.rssMb)]),
      ),
    );
  }
  if (r.planner.length > 0) {
    parts.push(
      '7. Planner alone (N roster people against N synced users, no changes)',
      table(
        ['size', 'µs / employee', 'floor µs / employee', 'ratio'],
        r.planner.map((p) => [
          size(p.size),
          num(p.usPerEmployee, 2),
          num(p.floorUsPerEmployee, 2),
          num(p.ratio, 2),
        ]),
      ),
    );
  }
  const webhooks = allWebhookFigures(r);
  if (webhooks.length > 0) {
    parts.push(
      `5. Webhook latency (${webhooks[0]?.changes ?? 0} single-employee changes, ${num(webhooks[0]?.employees ?? 0)} employees; change → readable in the directory API)`,
      table(
        ['db', 'p50', 'p99', 'max', 'changes seen'],
        webhooks.map((w) => [
          w.dialect,
          `${num(w.p50Ms)} ms`,
          `${num(w.p99Ms)} ms`,
          `${num(w.maxMs)} ms`,
          `${num(w.seen)} of ${num(w.changes)}`,
        ]),
      ),
    );
  }
  for (const skipped of r.skipped) parts.push(`(${skipped})`);
  parts.push(
    'Targets',
    table(
      ['target', 'goal', 'actual', 'verdict'],
      r.targets.map((t) => [t.name, t.target, t.actual === null ? '—' : num(t.actual, 2), t.note]),
    ),
  );
  return parts.join(o.markdown ? '\n\n' : '\n\n');
}
