// Reads People HR's {isError, Status, Message, Result} envelope without building the whole roster tree at once.
import type { Result } from '../../core/result.js';
import { err, ok } from '../../core/result.js';

/** The envelope's header, plus where each element of an array `Result` sits in the text. */
export interface PeopleHrEnvelope {
  /** `isError` (the swagger spells it `IsError`; both are read). Null when absent. */
  readonly isError: boolean | null;
  readonly status: number | null;
  readonly message: string;
  /** `Result` when it is not an array (GetEmployeeDetailById's object, or null on errors). */
  readonly result: unknown;
  /** For an array `Result`: `[start, end)` offsets of each element, parsed later in batches. */
  readonly items: readonly (readonly [number, number])[] | null;
}

class Truncated extends Error {}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

const skipSpace = (text: string, from: number): number => {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
};

/** `from` is at the opening quote; returns the index after the closing one. */
const skipString = (text: string, from: number): number => {
  let i = from + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) throw new Truncated();
    let backslashes = 0;
    for (let j = quote - 1; j > from && text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
};

/** Returns the index after the JSON value starting at `from` (structure only; JSON.parse checks the rest). */
const skipValue = (text: string, from: number): number => {
  const first = text.charCodeAt(from);
  if (Number.isNaN(first)) throw new Truncated();
  if (first === 0x22) return skipString(text, from);
  if (first !== 0x7b && first !== 0x5b) {
    let i = from;
    while (i < text.length && !/[\s,\]}]/.test(text.charAt(i))) i++;
    if (i >= text.length) throw new Truncated();
    return i;
  }
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = skipString(text, i) - 1;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Truncated();
};

const consume = (text: string, at: number, char: string): number => {
  if (at >= text.length) throw new Truncated();
  if (text.charAt(at) !== char) throw new SyntaxError(`expected '${char}' at ${at}`);
  return at + 1;
};

const scanArray = (text: string, from: number): { end: number; items: [number, number][] } => {
  const items: [number, number][] = [];
  let i = skipSpace(text, from + 1);
  if (text.charAt(i) === ']') return { end: i + 1, items };
  for (;;) {
    const end = skipValue(text, i);
    items.push([i, end]);
    i = skipSpace(text, end);
    if (i >= text.length) throw new Truncated();
    if (text.charAt(i) === ']') return { end: i + 1, items };
    i = skipSpace(text, consume(text, i, ','));
  }
};

/**
 * Scans a People HR response body. Fails on anything that is not a complete JSON object (a
 * truncated body included), so a partial roster can never pass for a whole one.
 */
export const scanEnvelope = (text: string): Result<PeopleHrEnvelope, string> => {
  const header: { isError: boolean | null; status: number | null; message: string; result: unknown } = {
    isError: null,
    status: null,
    message: '',
    result: null,
  };
  let items: [number, number][] | null = null;
  try {
    let i = consume(text, skipSpace(text, 0), '{');
    i = skipSpace(text, i);
    if (text.charAt(i) !== '}') {
      for (;;) {
        const keyEnd = skipValue(text, i);
        const key = String(JSON.parse(text.slice(i, keyEnd))).toLowerCase();
        i = skipSpace(text, consume(text, skipSpace(text, keyEnd), ':'));
        if (key === 'result' && text.charAt(i) === '[') {
          const scanned = scanArray(text, i);
          items = scanned.items;
          i = scanned.end;
        } else {
          const end = skipValue(text, i);
          const value: unknown = JSON.parse(text.slice(i, end));
          if (key === 'iserror') header.isError = value === true || value === 'true';
          else if (key === 'status' && (typeof value === 'number' || typeof value === 'string')) {
            header.status = Number(value);
          } else if (key === 'message' && typeof value === 'string') header.message = value.trim();
          else if (key === 'result') header.result = value;
          i = end;
        }
        i = skipSpace(text, i);
        if (i >= text.length) throw new Truncated();
        if (text.charAt(i) === '}') break;
        i = skipSpace(text, consume(text, i, ','));
      }
    }
    if (skipSpace(text, i + 1) !== text.length) return err('it has data after the closing brace');
  } catch (error) {
    if (error instanceof Truncated) return err('the body ends early (truncated)');
    return err(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return ok({ ...header, items });
};
