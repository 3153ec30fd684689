/** SCIM filter grammar: every construct of RFC 7644 §3.4.2.2 parses; malformed filters say where they break. */
import { describe, expect, it } from 'vitest';
import { FILTER_MAX_LENGTH, formatPath, parseFilter, type FilterNode } from './filter.js';

const parsed = (input: string): FilterNode => {
  const r = parseFilter(input);
  if (!r.ok) throw new Error(`expected ${input} to parse: ${r.error.message}`);
  return r.value;
};

const failure = (input: string) => {
  const r = parseFilter(input);
  if (r.ok) throw new Error(`expected ${input} to fail, got ${JSON.stringify(r.value)}`);
  return r.error;
};

const path = (name: string, subAttr: string | null = null, schema: string | null = null) => ({
  schema,
  name,
  subAttr,
});

describe('parseFilter', () => {
  it('parses a comparison with a JSON string value', () => {
    expect(parsed('userName eq "bjensen"')).toEqual({
      kind: 'compare',
      path: path('userName'),
      op: 'eq',
      value: 'bjensen',
    });
  });

  it('reads operators, and/or/not and literals case-insensitively, keeping attribute case', () => {
    expect(parsed('UserName EQ "x" AND Active Eq TRUE')).toEqual({
      kind: 'and',
      left: { kind: 'compare', path: path('UserName'), op: 'eq', value: 'x' },
      right: { kind: 'compare', path: path('Active'), op: 'eq', value: true },
    });
  });

  it('parses sub-attributes and schema-qualified paths (the URN ends at the last colon)', () => {
    expect(parsed('meta.lastModified gt "2011-05-13T04:42:34Z"')).toMatchObject({
      path: path('meta', 'lastModified'),
      op: 'gt',
    });
    expect(parsed('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O\'Malley"')).toEqual({
      kind: 'compare',
      path: path('name', 'familyName', 'urn:ietf:params:scim:schemas:core:2.0:User'),
      op: 'co',
      value: "O'Malley",
    });
  });

  it('decodes JSON escapes in strings', () => {
    expect(parsed('displayName eq "a \\"quoted\\" \\u00e9 \\\\ name"')).toMatchObject({
      value: 'a "quoted" é \\ name',
    });
  });

  it('parses numbers, null, false and the pr operator', () => {
    expect(parsed('x.count ge -1.5e2')).toMatchObject({ op: 'ge', value: -150 });
    expect(parsed('title eq null')).toMatchObject({ value: null });
    expect(parsed('active ne false')).toMatchObject({ op: 'ne', value: false });
    expect(parsed('title pr')).toEqual({ kind: 'present', path: path('title') });
  });

  it('gives "and" precedence over "or", and honours parentheses', () => {
    const loose = parsed('a eq "1" or b eq "2" and c eq "3"');
    expect(loose).toMatchObject({ kind: 'or', right: { kind: 'and' } });
    const grouped = parsed('(a eq "1" or b eq "2") and c eq "3"');
    expect(grouped).toMatchObject({ kind: 'and', left: { kind: 'or' } });
  });

  it('parses not(...) and value paths', () => {
    expect(parsed('not (userName eq "x")')).toMatchObject({ kind: 'not', filter: { kind: 'compare' } });
    expect(parsed('emails[type eq "work" and value co "@example.com"]')).toMatchObject({
      kind: 'valuePath',
      path: path('emails'),
      filter: { kind: 'and' },
    });
  });

  it('reads attribute names like $ref', () => {
    expect(parsed('members.$ref pr')).toEqual({ kind: 'present', path: path('members', '$ref') });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['userName', 'expected an operator'],
    ['userName eq', 'expected a value'],
    ['userName eq bjensen', 'expected a value'],
    ['userName like "x"', 'expected an operator'],
    ['userName eq "x" userName eq "y"', "expected 'and', 'or' or the end"],
    ['userName eq "unterminated', 'unterminated'],
    ['(userName eq "x"', "expected ')'"],
    ['userName eq "x")', "expected 'and', 'or' or the end"],
    ['not userName eq "x"', "expected '('"],
    ['emails[type eq "work"', "expected ']'"],
    ['emails[type[value eq "x"]]', 'cannot contain another'],
    ['a.b.c eq "x"', 'not an attribute path'],
    ['foo:bar eq "x"', "starts with 'urn:'"],
    ['userName eq "x" & b', "unexpected character '&'"],
    ['count eq 12abc', 'malformed number'],
    ['s eq "bad \\q escape"', 'malformed string'],
  ])('refuses %j (%s)', (input, message) => {
    expect(failure(input).message).toContain(message);
  });

  it('reports the position where the filter breaks', () => {
    expect(failure('userName eq "x" and').position).toBe('userName eq "x" and'.length);
    expect(failure('userName zz "x"').position).toBe(9);
  });

  it('bounds length and nesting so a hostile filter costs nothing', () => {
    expect(failure(`userName eq "${'x'.repeat(FILTER_MAX_LENGTH)}"`).message).toContain('longer than');
    const deep = `${'('.repeat(40)}a eq "1"${')'.repeat(40)}`;
    expect(failure(deep).message).toContain('nested more than');
    const fine = `${'('.repeat(10)}a eq "1"${')'.repeat(10)}`;
    expect(parseFilter(fine).ok).toBe(true);
  });

  it('formats paths back for messages', () => {
    expect(formatPath(path('meta', 'lastModified'))).toBe('meta.lastModified');
    expect(formatPath(path('manager', null, 'urn:x'))).toBe('urn:x:manager');
  });
});
