// Tests of the string helpers: emails, names, ISO dates.
import { describe, it, expect } from 'vitest';
import {
  cleanString,
  isIsoDate,
  isPlausibleEmail,
  listRefs,
  nameKey,
  normalizeEmail,
  quote,
} from './normalize.js';

describe('normalize', () => {
  it('trims strings and turns empty ones into null', () => {
    expect(cleanString('  Jane ')).toBe('Jane');
    expect(cleanString('   ')).toBeNull();
    expect(cleanString(undefined)).toBeNull();
  });

  it('compares emails trimmed and case-insensitively, names the same way', () => {
    expect(normalizeEmail('  Jane.Doe@ACME.com ')).toBe('jane.doe@acme.com');
    expect(nameKey(' Sales ')).toBe(nameKey('sALES'));
  });

  it.each([
    ['2024-02-29', true],
    ['2026-12-31', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2100-02-29', false],
    ['2000-02-29', true],
    ['2026-13-01', false],
    ['2026-04-31', false],
    ['26-01-01', false],
    ['2026-1-1', false],
    ['2026-01-01T00:00:00Z', false],
  ])('accepts only real ISO dates: %s → %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it.each([
    ['jane@acme.com', true],
    ['jane.doe+hr@sub.acme.co.uk', true],
    ['jürgen@müller.de', true],
    ['jane@', false],
    ['jane.acme.com', false],
    ['jane @acme.com', false],
    ['jane@acme', false],
    ['.jane@acme.com', false],
    ['ja..ne@acme.com', false],
    ['jane@@acme.com', false],
    ['jane@acme.c', false],
  ])('tells plausible emails: %s → %s', (value, expected) => {
    expect(isPlausibleEmail(value)).toBe(expected);
  });

  it('keeps quoted values and ref lists short', () => {
    expect(quote('x'.repeat(200))).toHaveLength(82);
    expect(listRefs(['row 1', 'row 2', 'row 3', 'row 4', 'row 5'])).toBe('row 1, row 2, row 3 and 2 more');
  });
});
