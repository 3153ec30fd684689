/** String helpers shared by validate and plan: trimming, email and name keys, date and email checks. */

/** Trims a string; an empty or missing value becomes null (sources send '' for "not set"). */
export const cleanString = (value: string | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
};

/** The key emails are compared by: trimmed and lowercased (the directory keeps the display case). */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The key group, department, position and location names are matched by: trimmed, case-insensitive. */
export const nameKey = (name: string): string => name.trim().toLowerCase();

/** Code-point order: locale-independent, so plans sort the same on every machine. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysInMonth = (year: number, month: number): number => {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
};

/** True for a real calendar date written `YYYY-MM-DD` (`2026-02-30` is false). */
export const isIsoDate = (value: string): boolean => {
  const m = isoDate.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
};

// Deliberately loose (no RFC 5322 parser): a visible local part, one @, a dotted domain of letters,
// digits and hyphens, and an alphabetic TLD. It catches `jane@`, `jane.acme.com`, `a b@c.de`.
const emailShape =
  /^[^\s@"(),:;<>[\\\]]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;

/** True when the (trimmed) value looks like a deliverable email address. */
export const isPlausibleEmail = (value: string): boolean => {
  if (value.length > 254 || !emailShape.test(value)) return false;
  const local = value.slice(0, value.lastIndexOf('@'));
  return local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
};

/**
 * Replaces NUL characters by U+FFFD: PostgreSQL refuses NUL in text, so a NUL from an HR system must
 * never reach a message, a locator or a key the store writes.
 */
export const withoutNul = (value: string): string =>
  value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;

/** Quotes a source value for a message, shortened so a huge cell cannot flood a report. */
export const quote = (value: string): string =>
  `'${withoutNul(value.length > 80 ? `${value.slice(0, 77)}...` : value)}'`;

/** Lists record refs for a message, sorted: at most three, then "and N more" (messages stay short). */
export const listRefs = (refs: readonly string[]): string => {
  const shown = [...refs].sort(compareStrings).slice(0, 3).join(', ');
  return refs.length > 3 ? `${shown} and ${refs.length - 3} more` : shown;
};
