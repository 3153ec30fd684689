/** Scenario 4: a CSV of N employees through the upload API, against parsing the file plus the bulk insert. */
import { randomUUID } from 'node:crypto';
import { demoEmployeeCsv } from '../src/engine/emulators.js';
import { parseEmployeeFile } from '../src/sources/file/index.js';
import { insertFloor, insertRows } from './floors.js';
import { startService } from './service.js';
import type { BenchDatabase } from './setup.js';
import { timed } from './stats.js';

/** One repetition: the upload end to end (POST → run finished) and its floor's parts. */
export interface UploadRepetition {
  readonly ms: number;
  readonly parseMs: number;
  readonly insertMs: number;
  readonly rowsWritten: number;
  readonly status: string;
  readonly bytes: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Posts `csv` as a technical user would and waits for its run to finish (202 first, then the sync
 * continues in the service). Polls the run row every 10 ms: the end is known to ±10 ms.
 */
async function uploadOnce(o: {
  db: BenchDatabase;
  csv: string;
}): Promise<{ ms: number; rowsWritten: number; status: string }> {
  const service = await startService({ db: o.db });
  try {
    const { deps } = service;
    const id = randomUUID();
    const tenant = await deps.store.tenants.create({
      id,
      slug: `upload-${id.slice(0, 8)}`,
      name: 'Upload Corp',
    });
    const key = await service.apiKey({ tenantId: tenant.id, scopes: ['hr-data:write'] });
    const before = deps.store.stats.directoryRows;
    let status = '';
    const ms = await timed(async () => {
      const res = await fetch(`${service.origin}/api/v1/hr-data/employees`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: o.csv,
      });
      const body = (await res.json()) as { runId?: string; error?: { message?: string } };
      if (res.status !== 202 || body.runId === undefined) {
        throw new Error(`upload answered ${res.status}: ${body.error?.message ?? 'no run id'}`);
      }
      for (;;) {
        const run = await deps.store.runs.get(tenant.id, body.runId);
        if (run && run.status !== 'running' && run.status !== 'queued') {
          status = run.status;
          break;
        }
        await sleep(10);
      }
    });
    if (status !== 'succeeded' && status !== 'partial')
      throw new Error(`the uploaded file's run ended '${status}'`);
    return { ms, rowsWritten: deps.store.stats.directoryRows - before, status };
  } finally {
    await service.close();
  }
}

/** Scenario 4 at one size: each repetition measures the parse floor, the insert floor and the upload. */
export async function uploadScenario(o: {
  db: BenchDatabase;
  size: number;
  seed: number;
  repeats: number;
}): Promise<UploadRepetition[]> {
  const csv = demoEmployeeCsv({ employees: o.size, seed: o.seed });
  const out: UploadRepetition[] = [];
  for (let i = 0; i < o.repeats; i++) {
    let parsed: ReturnType<typeof parseEmployeeFile> | undefined;
    const parseMs = await timed(() => {
      parsed = parseEmployeeFile(csv, { format: 'csv', maxBytes: 1024 * 1024 * 1024 });
      return Promise.resolve();
    });
    if (!parsed?.ok) throw new Error(`the bench CSV does not parse: ${parsed?.error.message ?? 'unknown'}`);
    const inserted = await insertFloor({ db: o.db, rows: insertRows(parsed.value.people) });
    const upload = await uploadOnce({ db: o.db, csv });
    out.push({
      ms: upload.ms,
      parseMs,
      insertMs: inserted.ms,
      rowsWritten: upload.rowsWritten,
      status: upload.status,
      bytes: Buffer.byteLength(csv),
    });
  }
  return out;
}
