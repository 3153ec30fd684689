/**
 * Case 7, hostile CSV (and hostile values): arbitrary bytes, BOM/UTF-16, huge cells and headers,
 * unbalanced quotes and NUL bytes give only typed input errors, end to end through the upload and the
 * store, with the error file always produced and no unhandled rejection. A NUL in a value from an HR
 * API is a per-record error on both databases, never a failed run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import { errorFileCsv, uploadEmployees } from '../../src/engine/index.js';
import { parseEmployeeFile } from '../../src/sources/file/index.js';
import { describeEachDialect } from '../db.js';
import { employeeCsv, fileRows, fileWorld } from './support/files.js';
import { activeEmails, allUsers, fakeWorld, people, sync } from './support/world.js';

const inputCodes = ['invalid_input', 'payload_too_large'];
const header = 'employee_id,email,first_name,last_name';
const bom8 = Buffer.from([0xef, 0xbb, 0xbf]);
const utf16 = (text: string, endian: 'le' | 'be', withBom = true): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  const body = endian === 'le' ? le : Buffer.from(le).swap16();
  return withBom ? Buffer.concat([Buffer.from(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]) : body;
};

/** Named hostile files and what they must give: `ok` (parsed) or an input error. */
const cases = (): [string, Uint8Array | string, 'ok' | 'error'][] => {
  const good = `${header}\n1,a@acme.example,Ann,A\n2,b@acme.example,Bob,B\n`;
  return [
    ['UTF-8 BOM', Buffer.concat([bom8, Buffer.from(good)]), 'ok'],
    ['UTF-16LE with BOM', utf16(good, 'le'), 'ok'],
    ['UTF-16BE with BOM', utf16(good, 'be'), 'ok'],
    ['UTF-16LE without BOM (NUL bytes)', utf16(good, 'le', false), 'error'],
    ['NUL byte in a cell', `${header}\n1,a@acme.example,An\0n,A\n`, 'error'],
    [
      'Latin-1 bytes',
      Buffer.concat([
        Buffer.from(`${header}\n1,a@acme.example,J`),
        Buffer.from([0xf6]),
        Buffer.from('rg,A\n'),
      ]),
      'error',
    ],
    ['unbalanced quote', `${header}\n1,a@acme.example,"Ann,A\n2,b@acme.example,Bob,B\n`, 'error'],
    ['quote inside a bare value', `${header}\n1,a@acme.example,An"n,A\n`, 'error'],
    ['1 MB quoted cell', `${header}\n1,a@acme.example,"${'x'.repeat(1024 * 1024 + 10)}",A\n`, 'error'],
    ['1 MB bare cell', `${header}\n1,a@acme.example,${'x'.repeat(1024 * 1024 + 10)},A\n`, 'error'],
    ['10^6 columns in the header', `${header}${',x'.repeat(1_000_000)}\n`, 'error'],
    ['10^5 cells in a row', `${header}\n${'1,'.repeat(100_000)}1\n`, 'error'],
    ['binary noise', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'error'],
  ];
};

describe('reliability 7: hostile CSV at the parser', () => {
  let unhandled = 0;
  const onUnhandled = (): void => {
    unhandled += 1;
  };
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it.each(cases())('%s', (_name, input, expected) => {
    const result = parseEmployeeFile(input, { format: 'csv' });
    if (expected === 'ok') {
      expect(result.ok && result.value.people.map((p) => p.attributes.firstName)).toEqual(['Ann', 'Bob']);
      return;
    }
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(isAppError(result.error)).toBe(true);
      expect(inputCodes).toContain(result.error.code);
      // A clear message, bounded whatever the input's size.
      expect(result.error.message.length).toBeLessThan(600);
    }
  });

  it('fast-check, 1 000 arbitrary byte strings and CSV-shaped noise (fixed seed): only typed input errors', () => {
    const noise = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.string({ unit: 'binary', maxLength: 1500 }).map((s) => `${header}\n${s}`),
      fc
        .array(
          fc.array(fc.constantFrom('a', '"', ',', ';', '\n', '\r', '\0', '\uFEFF', 'x@y.z', ' '), {
            maxLength: 30,
          }),
          { maxLength: 20 },
        )
        .map((rows) => `${header}\n${rows.map((r) => r.join('')).join('\n')}`),
    );
    fc.assert(
      fc.property(noise, (input) => {
        const result = parseEmployeeFile(input, { format: 'csv' });
        return result.ok || (isAppError(result.error) && inputCodes.includes(result.error.code));
      }),
      { seed: 7_2026, numRuns: 1000 },
    );
    expect(unhandled).toBe(0);
  });
});

describeEachDialect('reliability 7: hostile CSV uploads end to end', (getStore) => {
  it('every hostile upload gives a typed error or a run; the error file is always produced; nobody is lost', async () => {
    const store = getStore();
    const { deps, tenant } = await fileWorld(store, { rows: fileRows(4) });
    // The big inputs are covered at the parser; one goes end to end (it parses in a worker thread).
    const small = cases().filter(([name, input]) => input.length < 64 * 1024 || name === '1 MB quoted cell');
    for (const [name, input] of small) {
      const result = await uploadEmployees(deps, { tenantId: tenant.id, content: input, format: 'csv' });
      if (!result.ok) {
        expect(inputCodes, name).toContain(result.error.code);
        continue;
      }
      expect(['succeeded', 'partial', 'blocked'], name).toContain(result.value.status);
      expect(typeof (await errorFileCsv(deps, result.value)), name).toBe('string');
    }
    // The BOM/UTF-16 files held two valid people against four: the guard blocked them.
    expect(await activeEmails(store, tenant.id)).toHaveLength(4);
  });

  it('fast-check: random rows uploaded end to end never fail the run or throw', async () => {
    const store = getStore();
    const { deps, tenant } = await fileWorld(store, { rows: fileRows(3) });
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('', '=cmd', '"', '\0', 'x@acme.example', 'inactive'),
    );
    const rows = fc.array(fc.tuple(cell, cell, cell, cell), { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(rows, async (rs) => {
        const csv = `${header}\n${rs.map((r) => r.join(',')).join('\n')}\n`;
        const result = await uploadEmployees(deps, { tenantId: tenant.id, content: csv, format: 'csv' });
        if (!result.ok) return inputCodes.includes(result.error.code);
        await errorFileCsv(deps, result.value);
        return result.value.status !== 'failed';
      }),
      { seed: 77, numRuns: 40 },
    );
    // A big legit upload still works afterwards.
    const done = await uploadEmployees(deps, {
      tenantId: tenant.id,
      content: employeeCsv(fileRows(3)),
      format: 'csv',
    });
    expect(done.ok).toBe(true);
  });

  it('a NUL in values from an HR API quarantines that record only; the run succeeds on both databases', async () => {
    const store = getStore();
    const w = await fakeWorld(store, { roster: people(5) });
    w.control.people[1] = { ...w.control.people[1]!, firstName: 'Ja\0ne' };
    w.control.people[2] = { ...w.control.people[2]!, id: 'p\u00003' };
    w.control.people[3] = { ...w.control.people[3]!, groups: ['Team\0X'] };
    w.control.people.push({ id: 'p9', email: 'new\0@acme.example', firstName: 'N', lastName: 'U' });
    const run = await sync(w.deps, w.tenant.id);
    expect(run.status).toBe('partial');
    expect(run.counts.errors).toBe(4);
    const errors = await store.runs.listItems(w.tenant.id, run.id, { action: 'error', limit: 20 });
    expect(
      errors.items
        .filter((i) => i.code === 'invalid_value')
        .map((i) => i.field)
        .sort(),
    ).toEqual(['email', 'firstName', 'groups', 'sourceId']);
    expect(errors.items.every((i) => !(i.message ?? '').includes('\0') && !i.record.includes('\0'))).toBe(
      true,
    );
    const csv = await errorFileCsv(w.deps, run);
    expect(csv).not.toContain('\0');
    // The quarantined people are held as they are: nobody deactivated, nothing renamed.
    const users = await allUsers(store, w.tenant.id);
    expect(users.filter((u) => u.active)).toHaveLength(5);
    expect(users.find((u) => u.sourceId === 'p2')?.attributes.firstName).toBe('First2');
  });
});
