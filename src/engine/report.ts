/** Reports: a run as JSON for scripts, and the run's error file (CSV, safe against formula injection). */
import { stringify } from 'csv-stringify/sync';
import type { RunItem, RunRecord } from '../store/types.js';
import type { EngineDeps } from './deps.js';

/** Cells starting with these are formulas in spreadsheet apps (OWASP CSV injection). */
const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];

/** Neutralises a cell so spreadsheets show it as text: a leading quote before a formula trigger. */
export function safeCell(value: string | null): string {
  if (value === null) return '';
  return FORMULA_TRIGGERS.some((t) => value.startsWith(t)) ? `'${value}` : value;
}

export interface RunView {
  readonly id: string;
  readonly status: RunRecord['status'];
  readonly provider: string;
  readonly mode: RunRecord['mode'];
  readonly trigger: RunRecord['trigger'];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly message: string | null;
  readonly counts: {
    created: number;
    updated: number;
    deactivated: number;
    reactivated: number;
    deleted: number;
    unchanged: number;
    errors: number;
  };
  readonly errors: { record: string; field: string | null; code: string | null; message: string | null }[];
  readonly guard: Readonly<Record<string, unknown>> | null;
}

/** The run with its record errors (at most `limit`), as the CLI's `--json` and the API show it. */
export async function runView(deps: EngineDeps, run: RunRecord, limit = 1000): Promise<RunView> {
  const { items } = await deps.store.runs.listItems(run.tenantId, run.id, { action: 'error', limit });
  const c = run.counts;
  return {
    id: run.id,
    status: run.status,
    provider: run.provider,
    mode: run.mode,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    message: run.message,
    counts: {
      created: c.created,
      updated: c.updated,
      deactivated: c.deactivated,
      reactivated: c.reactivated,
      deleted: c.deleted,
      unchanged: c.unchanged,
      errors: c.errors,
    },
    errors: items.map((i) => ({ record: i.record, field: i.field, code: i.code, message: i.message })),
    guard: run.guard,
  };
}

const errorFileColumns = ['severity', 'record', 'source_id', 'email', 'field', 'code', 'message'] as const;

/** The run's error file: every record error and warning, one per line. */
export async function errorFileCsv(deps: EngineDeps, run: RunRecord): Promise<string> {
  const rows: string[][] = [];
  const pageSize = 5000;
  for (let offset = 0; ; offset += pageSize) {
    const { items } = await deps.store.runs.listItems(run.tenantId, run.id, {
      action: ['error', 'warning'],
      limit: pageSize,
      offset,
    });
    rows.push(...items.map((i: RunItem) => errorRow(i)));
    if (items.length < pageSize) break;
  }
  return stringify(rows, { header: true, columns: [...errorFileColumns] });
}

function errorRow(i: RunItem): string[] {
  return [i.action, i.record, i.sourceId, i.email, i.field, i.code, i.message].map((v) =>
    safeCell(v ?? null),
  );
}
