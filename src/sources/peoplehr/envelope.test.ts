// Envelope scanner tests: same answer as JSON.parse on good bodies, an error on every truncated one.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanEnvelope } from './envelope.js';

const fixtureText = readFileSync(new URL('./fixtures/get-all-employee-detail.json', import.meta.url), 'utf8');

const elements = (text: string): unknown[] => {
  const scanned = scanEnvelope(text);
  if (!scanned.ok) throw new Error(scanned.error);
  return (scanned.value.items ?? []).map(([from, to]) => JSON.parse(text.slice(from, to)) as unknown);
};

describe('scanEnvelope', () => {
  it('finds the same employees as JSON.parse in a recorded-shape body', () => {
    const parsed = JSON.parse(fixtureText) as { Result: unknown[] };
    expect(elements(fixtureText)).toEqual(parsed.Result);
    expect(elements(JSON.stringify(parsed))).toEqual(parsed.Result);
  });

  it('reads the header, whatever the casing of IsError', () => {
    const scanned = scanEnvelope('{"IsError":true,"Status":2,"Message":" Invalid API Key. ","Result":null}');
    expect(scanned).toEqual({
      ok: true,
      value: { isError: true, status: 2, message: 'Invalid API Key.', result: null, items: null },
    });
  });

  it.each([
    ['error-invalid-api-key.json', 2, 'Invalid API Key.'],
    ['error-no-access.json', 5, 'No access on employee schema.'],
  ])('reads the recorded error envelope %s', (file, status, message) => {
    const text = readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8');
    expect(scanEnvelope(text)).toEqual({
      ok: true,
      value: { isError: true, status, message, result: null, items: null },
    });
  });

  it('keeps an object Result (GetEmployeeDetailById) as a value', () => {
    const scanned = scanEnvelope(
      '{"isError":false,"Status":0,"Message":"ok","Result":{"EmployeeId":{"DisplayValue":"PW6"}}}',
    );
    expect(scanned.ok && scanned.value.result).toEqual({ EmployeeId: { DisplayValue: 'PW6' } });
  });

  it('is not fooled by brackets, quotes and backslashes inside strings', () => {
    const result = [{ a: 'x]}", \\', b: ['[', '{'] }, { c: '\\"' }, 'plain', 12, null, [1, [2]]];
    expect(elements(JSON.stringify({ Result: result, isError: false }))).toEqual(result);
  });

  it('handles empty lists and empty objects', () => {
    expect(elements('{"Result":[]}')).toEqual([]);
    expect(scanEnvelope(' { } ').ok).toBe(true);
  });

  it.each([
    ['not JSON', '<html>Service Unavailable</html>'],
    ['data after the end', '{"Result":[]} {"Result":[]}'],
    ['missing comma', '{"Result":[{} {}]}'],
    ['empty body', ''],
  ])('refuses %s', (_name, text) => {
    expect(scanEnvelope(text).ok).toBe(false);
  });

  it('refuses every truncation of a real body (a partial roster never passes for a whole one)', () => {
    const compact = JSON.stringify(JSON.parse(fixtureText));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: compact.length - 1 }), (cut) => {
        expect(scanEnvelope(compact.slice(0, cut)).ok).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with JSON.parse on arbitrary JSON arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), (result) => {
        const text = JSON.stringify({ isError: false, Status: 0, Result: result });
        expect(elements(text)).toEqual(JSON.parse(JSON.stringify(result)));
      }),
      { numRuns: 150 },
    );
  });
});
