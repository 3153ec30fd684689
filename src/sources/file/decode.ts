// Bytes → text for uploaded files: size cap first, then BOM/encoding detection, NUL and UTF-8 checks.
import { Buffer } from 'node:buffer';
import { AppError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';

/** Upload formats the file source reads. */
export const fileFormats = ['csv', 'xml'] as const;
export type FileFormat = (typeof fileFormats)[number];

const formatSize = (bytes: number): string =>
  bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * Refuses input over `maxBytes` before anything else looks at it. A limit of 0 means 0, never
 * "unlimited" (the falsy-limit trap of CVE-2026-33349); a negative or non-finite limit is a bug.
 */
export const checkSize = (input: Uint8Array | string, maxBytes: number): Result<void, AppError> => {
  if (!Number.isFinite(maxBytes) || maxBytes < 0) {
    throw new RangeError(`maxBytes must be a finite number >= 0, got ${String(maxBytes)}`);
  }
  // A string cannot hold fewer UTF-8 bytes than characters: skip the exact count when obviously over.
  const bytes =
    typeof input === 'string'
      ? input.length > maxBytes
        ? input.length
        : Buffer.byteLength(input, 'utf8')
      : input.byteLength;
  if (bytes <= maxBytes) return ok(undefined);
  return err(
    new AppError(
      'payload_too_large',
      `The file is ${formatSize(bytes)}, over the upload limit of ${formatSize(maxBytes)}. Nothing was read or changed. Keep the file one full roster (never split it: people missing from a file leave); drop unused columns or ask your operator to raise the limit.`,
      { details: { bytes, maxBytes } },
    ),
  );
};

const lineOf = (text: string, index: number): number => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
};

const bomLength = (bytes: Uint8Array): number => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 3;
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) ? 2 : 0;
};

const rejectText = (message: string, line: number): Result<string, AppError> =>
  err(new AppError('invalid_input', message, { details: { line } }));

const decodeUtf16 = (bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Result<string, AppError> => {
  try {
    return ok(new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2)));
  } catch {
    return err(
      new AppError(
        'invalid_input',
        `The file starts with a ${encoding.toUpperCase()} byte order mark but is not valid ${encoding.toUpperCase()} (cut or mixed encodings). Save it again as UTF-8 and upload it again.`,
      ),
    );
  }
};

const decodeUtf8 = (bytes: Uint8Array): Result<string, AppError> => {
  const body = bytes.subarray(bomLength(bytes));
  try {
    return ok(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    // Locate the first bad byte for the message; only done on this failure path.
    const loose = new TextDecoder('utf-8').decode(body);
    const line = lineOf(loose, loose.indexOf('\uFFFD'));
    return rejectText(
      `Line ${line} is not valid UTF-8 (the file is probably Latin-1 or Windows-1252). Save it as UTF-8 (or UTF-16 with a byte order mark) and upload it again.`,
      line,
    );
  }
};

/**
 * Decodes an upload: UTF-8 with or without BOM, UTF-16 LE/BE with BOM; strips the BOM.
 * A NUL character is refused: it means a binary file or UTF-16 without BOM, and databases reject it.
 */
export const decodeText = (input: Uint8Array | string): Result<string, AppError> => {
  let decoded: Result<string, AppError>;
  if (typeof input === 'string') decoded = ok(input.startsWith('\uFEFF') ? input.slice(1) : input);
  else if (input[0] === 0xff && input[1] === 0xfe) decoded = decodeUtf16(input, 'utf-16le');
  else if (input[0] === 0xfe && input[1] === 0xff) decoded = decodeUtf16(input, 'utf-16be');
  else decoded = decodeUtf8(input);
  if (!decoded.ok) return decoded;
  const nul = decoded.value.indexOf('\0');
  if (nul !== -1) {
    const line = lineOf(decoded.value, nul);
    return rejectText(
      `Line ${line} contains a NUL character: this is not a text file, or it is UTF-16 without a byte order mark. Export the file as UTF-8 text and upload it again.`,
      line,
    );
  }
  return decoded;
};

const xmlContentType = /(^|\/|\+)xml$/;
const csvContentTypes = new Set([
  'text/csv',
  'application/csv',
  'text/comma-separated-values',
  // What Windows browsers send for a .csv file.
  'application/vnd.ms-excel',
]);

/** Whitespace, a BOM (strings) or a UTF-16 zero byte (bytes): skipped when sniffing the format. */
const insignificant = new Set([0x00, 0x09, 0x0a, 0x0d, 0x20, 0xfeff]);

/** First significant character of the input, looking at no more than the first 4 KiB. */
const firstSignificant = (input: Uint8Array | string): number | undefined => {
  const start = typeof input === 'string' ? 0 : bomLength(input);
  const end = Math.min(input.length, start + 4096);
  for (let i = start; i < end; i += 1) {
    const c = typeof input === 'string' ? input.charCodeAt(i) : input[i];
    if (c !== undefined && !insignificant.has(c)) return c;
  }
  return undefined;
};

/**
 * Picks the parser for an employee upload: an explicit CSV or XML content type wins; otherwise
 * (octet-stream, text/plain, none) a file whose first significant character is `<` is XML.
 *
 * @example detectFormat('<employees/>') // 'xml'
 * @example detectFormat(bytes, 'text/csv; charset=utf-8') // 'csv'
 */
export function detectFormat(input: Uint8Array | string, contentType?: string): FileFormat {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (xmlContentType.test(type)) return 'xml';
  if (csvContentTypes.has(type)) return 'csv';
  return firstSignificant(input) === 0x3c ? 'xml' : 'csv';
}
