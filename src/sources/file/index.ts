// The file source ("HR Data Sync" upload): employee files in CSV or XML, position files in XML.
import type { AppError } from '../../core/errors.js';
import { ok, type Result } from '../../core/result.js';
import { defineSource, type Source } from '../contract.js';
import { parseCsvEmployees } from './csv.js';
import { checkSize, decodeText, detectFormat, type FileFormat } from './decode.js';
import type { EmployeeFile } from './map.js';
import { FILE_MAX_BYTES_DEFAULT, fileSpec, type FileConfig } from './spec.js';
import { parseXmlEmployees } from './xml.js';

export { detectFormat, fileFormats, type FileFormat } from './decode.js';
export { employeeColumns, requiredColumns, type EmployeeColumn, type EmployeeFile } from './map.js';
export { parsePositionFile, type PositionEntry } from './positions.js';
export { FILE_MAX_BYTES_DEFAULT, fileConfigSchema, fileSpec, type FileConfig } from './spec.js';

/**
 * Parses an employee file, the FULL roster: people absent from it are leavers. The size cap is
 * checked before anything else; any structural problem (bad header, malformed row, cut file, DTD,
 * bad encoding) rejects the whole file as `invalid_input`, since a partial roster would turn the
 * missing people into leavers. Per-row problems the planner can survive are in `issues`.
 *
 * @example
 * const parsed = parseEmployeeFile(bytes, { format: detectFormat(bytes, contentType) });
 * if (parsed.ok) console.log(parsed.value.people.length, parsed.value.managedFields);
 */
export function parseEmployeeFile(
  input: Uint8Array | string,
  opts: { format?: FileFormat; maxBytes?: number } = {},
): Result<EmployeeFile, AppError> {
  const size = checkSize(input, opts.maxBytes ?? FILE_MAX_BYTES_DEFAULT);
  if (!size.ok) return size;
  const format = opts.format ?? detectFormat(input);
  const text = decodeText(input);
  if (!text.ok) return text;
  return format === 'xml' ? parseXmlEmployees(text.value) : parseCsvEmployees(text.value);
}

/** Files are pushed through the upload API, never pulled: `read` yields no page. */
const noPages = (): AsyncIterable<readonly never[]> => ({
  [Symbol.asyncIterator]: () => ({
    next: () => Promise.resolve({ done: true, value: undefined } as const),
  }),
});

/**
 * The connector entry for the registry. There is nothing to connect to, so `check` always
 * succeeds and `read` is empty; uploads go through `parseEmployeeFile` and the engine.
 */
export const fileSource: Source<FileConfig, never> = defineSource<FileConfig, never>({
  spec: fileSpec,
  check: () =>
    Promise.resolve(
      ok({ summary: 'Files are uploaded to rostersync; there is nothing to connect to.', sample: 0 }),
    ),
  read: noPages,
  // No raw record ever reaches map: `never` is a SourcePerson, vacuously.
  map: (raw) => raw,
});

export default fileSource;
