// Robustness: arbitrary strings and bytes (and CSV/XML-shaped noise) never make the parsers throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../core/errors.js';
import { parseEmployeeFile, parsePositionFile, type EmployeeFile } from './index.js';
import type { Result } from '../../core/result.js';

const settings = { seed: 20260611, numRuns: 300 } as const;
const expectedCodes = ['invalid_input', 'payload_too_large'];

/** Ok, or a typed AppError with an input code; and an ok roster accounts for every row. */
const wellBehaved = (result: Result<EmployeeFile | unknown[], AppError>): boolean => {
  if (!result.ok) return isAppError(result.error) && expectedCodes.includes(result.error.code);
  if (Array.isArray(result.value)) return true;
  const file = result.value;
  return file.people.length + file.issues.length === file.rows;
};

const parseAll = (input: Uint8Array | string): boolean =>
  wellBehaved(parseEmployeeFile(input)) &&
  wellBehaved(parseEmployeeFile(input, { format: 'csv' })) &&
  wellBehaved(parseEmployeeFile(input, { format: 'xml' })) &&
  wellBehaved(parsePositionFile(input)) &&
  wellBehaved(parseEmployeeFile(input, { maxBytes: 16 }));

const csvCell = fc.oneof(
  fc.string(),
  fc.string().map((text) => `"${text.replaceAll('"', '""')}"`),
  fc.stringMatching(/^[a-z0-9@. |-]{0,12}$/),
  fc.constantFrom('', '"', '""', ',', ';', '\n', '\r\n', 'active', 'inactive', 'a|b', ' "x" '),
);
const csvText = fc
  .tuple(
    fc.subarray(['status', 'groups', 'manager_employee_id']),
    fc.oneof({ weight: 9, arbitrary: fc.constant([]) }, fc.constant(['emial'])),
    fc.oneof({ weight: 9, arbitrary: fc.constantFrom(',', ';') }, fc.constant('\t')),
    fc.constantFrom('\n', '\r\n'),
  )
  .chain(([extra, typo, delimiter, eol]) => {
    const header = ['employee_id', 'email', 'first_name', 'last_name', ...extra, ...typo];
    // Mostly rows of the right width, so parsing gets past the field count check.
    const width = fc.oneof(
      { weight: 4, arbitrary: fc.constant(header.length) },
      fc.integer({ min: 0, max: 8 }),
    );
    const row = width.chain((n) => fc.array(csvCell, { minLength: n, maxLength: n }));
    return fc
      .array(row, { maxLength: 8 })
      .map((rows) => [header, ...rows].map((cells) => cells.join(delimiter)).join(eol));
  });

const xmlName = fc.constantFrom(
  'employees',
  'employee',
  'email',
  'groups',
  'group',
  'status',
  '__proto__',
  'x',
);
const xmlText = fc
  .array(
    fc.oneof(
      xmlName.map((n) => `<${n}>`),
      xmlName.map((n) => `</${n}>`),
      fc.string(),
      fc.constantFrom('&amp;', '&#0;', '<!--', '<![CDATA[', ']]>', '/>'),
    ),
    {
      maxLength: 30,
    },
  )
  .map((parts) => parts.join(''));

describe('parsers never throw', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), parseAll), settings);
  });

  it('on arbitrary bytes (with and without a BOM)', () => {
    const bom = fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]);
    const bytes = fc
      .tuple(bom, fc.uint8Array({ maxLength: 300 }))
      .map(([b, rest]) => Uint8Array.from([...b, ...rest]));
    fc.assert(fc.property(bytes, parseAll), settings);
  });

  it('on CSV-shaped noise', () => {
    fc.assert(fc.property(csvText, parseAll), settings);
  });

  it('on XML-shaped noise', () => {
    fc.assert(fc.property(xmlText, parseAll), settings);
  });

  it('accounts for every CSV row: a person or an issue', () => {
    const statuses = fc.array(fc.constantFrom('active', 'inactive', '', 'ACTIVE', 'gone', 'x'), {
      maxLength: 20,
    });
    fc.assert(
      fc.property(statuses, (values) => {
        const rows = values.map((status, i) => `${i + 1},p${i}@x.test,A,B,${status}`);
        const result = parseEmployeeFile(
          ['employee_id,email,first_name,last_name,status', ...rows].join('\n'),
        );
        const bad = values.filter((v) => !['active', 'inactive', ''].includes(v.toLowerCase())).length;
        expect(result.ok && [result.value.people.length, result.value.issues.length]).toEqual([
          values.length - bad,
          bad,
        ]);
      }),
      settings,
    );
  });
});
