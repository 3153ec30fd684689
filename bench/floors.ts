/** The floors: the least work any sync must do (read every page; write the rows), measured like the sync. */
import { randomUUID } from 'node:crypto';
import { personFields } from '../src/core/model.js';
import type { PersonAttributes, SourcePerson } from '../src/core/model.js';
import type { Source, SourceContext } from '../src/sources/contract.js';
import type { ApplyOps } from '../src/store/index.js';
import { freshStore } from './setup.js';
import type { BenchDatabase } from './setup.js';
import { timed } from './stats.js';

/** A user row as `store.apply` inserts it. */
export type InsertRow = NonNullable<ApplyOps['createUsers']>[number];

/** The context the engine hands a connector (loopback allowed, default retries), with request counting. */
export const sourceContext = (): SourceContext & { stats: { requests: number; retries: number } } => ({
  allowLoopback: true,
  stats: { requests: 0, retries: 0 },
});

/**
 * Fetch floor: every page through the connector's own client (same HTTP agent, retries, JSON
 * parsing and page checks as a sync), and nothing done with the records: no map, no plan, no write.
 */
export async function fetchFloor(o: { source: Source; config: unknown }): Promise<{
  ms: number;
  records: number;
  requests: number;
}> {
  const ctx = sourceContext();
  let records = 0;
  const ms = await timed(async () => {
    for await (const page of o.source.read(o.config, ctx)) records += page.length;
  });
  return { ms, records, requests: ctx.stats.requests };
}

/** Reads and maps the whole roster once (untimed: it warms the JIT and yields the insert floor's rows). */
export async function readRoster(o: { source: Source; config: unknown }): Promise<SourcePerson[]> {
  const people: SourcePerson[] = [];
  for await (const page of o.source.read(o.config, sourceContext())) {
    for (const raw of page) people.push(o.source.map(raw));
  }
  return people;
}

/** The rows a first sync of `people` inserts: every person attribute (null when absent), linked, active. */
export function insertRows(people: readonly SourcePerson[]): InsertRow[] {
  const integrationId = randomUUID();
  return people.map((p) => {
    const attributes = {} as Record<keyof PersonAttributes, string | null>;
    for (const field of personFields) attributes[field] = p.attributes[field] ?? null;
    return { id: randomUUID(), attributes, active: true, integrationId, sourceId: p.sourceId };
  });
}

/**
 * Bulk insert floor: the rows into an empty users table of a fresh database, through the store's
 * own `apply` path: one transaction, one multi-row INSERT per chunk (as many rows as the dialect's
 * bind-parameter budget allows). Only the `apply` call is timed.
 */
export async function insertFloor(o: { db: BenchDatabase; rows: readonly InsertRow[] }): Promise<{
  ms: number;
  rowsWritten: number;
  statements: number;
}> {
  const fresh = await freshStore(o.db);
  try {
    const { store } = fresh;
    const id = randomUUID();
    await store.tenants.create({ id, slug: `floor-${id.slice(0, 8)}`, name: 'Floor' });
    const before = { ...store.stats };
    const rows = o.rows.map((r) => ({ ...r, id: randomUUID() }));
    const ms = await timed(() =>
      store.apply({ tenantId: id, runId: null, createUsers: rows }, { fence: null, now: new Date() }),
    );
    return {
      ms,
      rowsWritten: store.stats.directoryRows - before.directoryRows,
      statements: store.stats.statements - before.statements,
    };
  } finally {
    await fresh.dispose();
  }
}
