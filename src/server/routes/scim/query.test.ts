/** The supported filter subset, paging rules and dateTime reading; anything else is a 400 invalidFilter. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../core/errors.js';
import { parseFilter } from './filter.js';
import { compileGroupFilter, compileUserFilter, parseDateTime, parsePaging } from './query.js';

const failed = (r: { ok: true } | { ok: false; error: AppError }): AppError => {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
};

describe('compileUserFilter', () => {
  it('serves userName eq (lower-cased), externalId eq (as written) and meta.lastModified gt', () => {
    expect(compileUserFilter('userName eq "Bjensen@Example.COM"')).toEqual({
      ok: true,
      value: { userName: 'bjensen@example.com' },
    });
    expect(compileUserFilter('externalId eq "E-42x"')).toEqual({ ok: true, value: { externalId: 'E-42x' } });
    expect(compileUserFilter('meta.lastModified gt "2026-11-23T07:00:00+01:00"')).toEqual({
      ok: true,
      value: { modifiedAfter: '2026-11-23T06:00:00.000Z' },
    });
  });

  it('reads attribute names case-insensitively, with or without the core User schema prefix', () => {
    const expected = { ok: true, value: { userName: 'a@b.c', externalId: '7' } };
    expect(compileUserFilter('USERNAME eq "a@b.c" and EXTERNALID eq "7"')).toEqual(expected);
    expect(
      compileUserFilter(
        'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "A@B.C" and (externalid EQ "7")',
      ),
    ).toEqual(expected);
    expect(compileUserFilter('META.LASTMODIFIED GT "2026-01-01T00:00:00Z"')).toEqual({
      ok: true,
      value: { modifiedAfter: '2026-01-01T00:00:00.000Z' },
    });
  });

  it('combines several filters with "and"; contradictions match nothing, several gt keep the latest', () => {
    expect(compileUserFilter('userName eq "a@b.c" and userName eq "A@B.C"')).toEqual({
      ok: true,
      value: { userName: 'a@b.c' },
    });
    expect(compileUserFilter('userName eq "a@b.c" and userName eq "x@b.c"')).toEqual({
      ok: true,
      value: { none: true },
    });
    expect(
      compileUserFilter(
        'meta.lastModified gt "2026-01-01T00:00:00Z" and meta.lastModified gt "2026-03-01T00:00:00Z" and meta.lastModified gt "2026-02-01T00:00:00Z"',
      ),
    ).toEqual({ ok: true, value: { modifiedAfter: '2026-03-01T00:00:00.000Z' } });
  });

  it('without a filter selects everything', () => {
    expect(compileUserFilter(undefined)).toEqual({ ok: true, value: {} });
  });

  it.each([
    ['userName co "jensen"', '"userName co" is not supported (use "eq")'],
    ['userName eq "a" or userName eq "b"', '"or" is not supported'],
    ['not (userName eq "a")', '"not" is not supported'],
    ['title pr', '"title pr" is not supported'],
    ['emails[value eq "a@b.c"]', 'value filter on "emails"'],
    ['displayName eq "Barbara"', 'filtering on "displayName" is not supported'],
    ['emails.value eq "a@b.c"', 'filtering on "emails.value"'],
    ['meta.lastModified ge "2026-01-01T00:00:00Z"', '(use "gt")'],
    ['externalId eq 42', 'must be compared with a "quoted string"'],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1"', 'employeeNumber'],
    ['meta.lastModified gt "yesterday"', 'not a dateTime'],
    ['userName eq', 'not valid SCIM'],
  ])('refuses %j with a 400 invalidFilter naming the problem', (filter, detail) => {
    const error = failed(compileUserFilter(filter));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual({ scimType: 'invalidFilter' });
    expect(error.message).toContain(detail);
  });

  it('says what is supported', () => {
    expect(failed(compileUserFilter('name.givenName eq "x"')).message).toContain(
      'userName eq, externalId eq and meta.lastModified gt',
    );
  });
});

describe('compileGroupFilter', () => {
  it('serves displayName eq (case-insensitive) and meta.lastModified gt', () => {
    expect(
      compileGroupFilter('DisplayName eq "Vertrieb ÄÖ" and meta.lastModified gt "2026-01-01T00:00:00Z"'),
    ).toEqual({
      ok: true,
      value: { displayName: 'vertrieb äö', modifiedAfter: '2026-01-01T00:00:00.000Z' },
    });
    expect(compileGroupFilter('displayName eq "a" and displayName eq "b"')).toEqual({
      ok: true,
      value: { none: true },
    });
  });

  it('refuses user attributes and other operators', () => {
    expect(failed(compileGroupFilter('userName eq "x"')).message).toContain(
      'Groups can be filtered by displayName eq',
    );
    expect(failed(compileGroupFilter('displayName sw "S"')).details).toEqual({ scimType: 'invalidFilter' });
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2026-11-23T06:00:00Z', '2026-11-23T06:00:00.000Z'],
    ['2026-11-23T06:00:00.5Z', '2026-11-23T06:00:00.500Z'],
    ['2026-11-23T07:30:00+01:30', '2026-11-23T06:00:00.000Z'],
    // Digits past the millisecond are cut: `gt x.123456` then excludes a row stored at x.123 (it is earlier).
    ['2026-11-23T06:00:00.123456Z', '2026-11-23T06:00:00.123Z'],
    // No zone: read as UTC, whatever the server's zone.
    ['2026-11-23T06:00:00', '2026-11-23T06:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(parseDateTime(input)).toBe(expected);
  });

  it.each(['2026-11-23', '23/11/2026 06:00', '2026-13-45T99:00:00Z', 'now'])('refuses %s', (input) => {
    expect(parseDateTime(input)).toBeUndefined();
  });
});

describe('parsePaging', () => {
  it('defaults to startIndex 1 and count 100', () => {
    expect(parsePaging({})).toEqual({ ok: true, value: { startIndex: 1, count: 100 } });
  });

  it('reads startIndex < 1 as 1, a negative count as 0, and caps count at 500 (RFC 7644 §3.4.2.4)', () => {
    expect(parsePaging({ startIndex: '0', count: '-5' })).toEqual({
      ok: true,
      value: { startIndex: 1, count: 0 },
    });
    expect(parsePaging({ startIndex: '-3', count: '10000' })).toEqual({
      ok: true,
      value: { startIndex: 1, count: 500 },
    });
    expect(parsePaging({ startIndex: '51', count: '25' })).toEqual({
      ok: true,
      value: { startIndex: 51, count: 25 },
    });
  });

  it.each([
    ['startIndex', 'abc'],
    ['count', '1.5'],
    ['count', '10e3'],
  ])('refuses %s=%s with invalidValue', (name, value) => {
    const error = failed(parsePaging({ [name]: value }));
    expect(error.details).toEqual({ scimType: 'invalidValue' });
    expect(error.message).toContain(name);
  });
});

describe('filters from arbitrary input', () => {
  it('never throw: any string parses or fails with a message and a position inside it', () => {
    const alphabet = fc.constantFrom(
      ...'abc eqornt()[]"\\.:-_$019 '.split(''),
      'eq',
      'and',
      'or',
      'not',
      'pr',
      '"x"',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')),
        (input) => {
          const r = parseFilter(input);
          if (!r.ok) {
            expect(r.error.message.length).toBeGreaterThan(0);
            expect(r.error.position).toBeGreaterThanOrEqual(0);
            expect(r.error.position).toBeLessThanOrEqual(input.length);
          }
          const compiled = compileUserFilter(input);
          if (!compiled.ok) expect(compiled.error.details).toEqual({ scimType: 'invalidFilter' });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
