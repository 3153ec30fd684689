// CSV employee files: header and delimiter checks, then a strict RFC 4180 parse where any bad row rejects the file.
import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../../core/errors.js';
import type { RecordIssue, SourcePerson } from '../../core/model.js';
import { err, ok, type Result } from '../../core/result.js';
import {
  describeUnknown,
  excerpt,
  isEmployeeColumn,
  managedFieldsFor,
  mapEmployee,
  requiredColumns,
  type EmployeeColumn,
  type EmployeeFile,
} from './map.js';

/** A longer record is a runaway quote, not an employee: fail fast with its line. */
const MAX_RECORD_BYTES = 1024 * 1024;

/** 18 columns fit in a few hundred characters; a far longer first line is not a header. */
const MAX_HEADER_CHARS = 16 * 1024;

/** Delimiters we reject by name when they split the header better than comma or semicolon do. */
const foreignDelimiters = [
  ['\t', 'tabs'],
  ['|', "'|'"],
  [':', "':'"],
] as const;

const reject = (message: string, details: Record<string, unknown>, cause?: unknown) =>
  err(
    new AppError('invalid_input', `${message} Nothing was changed; fix the file and upload it again.`, {
      details,
      ...(cause === undefined ? {} : { cause }),
    }),
  );

const isBlank = (line: string): boolean => /^[ \t]*$/.test(line);

/** The first non-blank line and its 1-based number, or null for an empty file. */
const findHeader = (text: string): { line: string; lineNo: number } | null => {
  let start = 0;
  for (let lineNo = 1; start <= text.length; lineNo += 1) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    if (!isBlank(line)) return { line, lineNo };
    if (end === -1) return null;
    start = end + 1;
  }
  return null;
};

/** First non-blank line at or after `lineNo` (where a failing record starts). */
const nonBlankLineFrom = (text: string, lineNo: number): number => {
  let start = 0;
  for (let n = 1; n < lineNo; n += 1) {
    const next = text.indexOf('\n', start);
    if (next === -1) return lineNo;
    start = next + 1;
  }
  for (let n = lineNo; ; n += 1) {
    const end = text.indexOf('\n', start);
    if (!isBlank(text.slice(start, end === -1 ? text.length : end)) || end === -1) return n;
    start = end + 1;
  }
};

const normalizeName = (cell: string): string => cell.trim().toLowerCase();

/** How many cells of the header line, split by `delimiter`, are known column names. */
const knownCount = (line: string, delimiter: string): { known: number; cells: number } => {
  const cells = line.split(delimiter).map((cell) => normalizeName(cell.trim().replace(/^"(.*)"$/, '$1')));
  return { known: cells.filter(isEmployeeColumn).length, cells: cells.length };
};

/** The header's delimiter: the one that splits it into the most known column names. */
const detectDelimiter = (line: string, lineNo: number): Result<',' | ';', AppError> => {
  const comma = knownCount(line, ',');
  const semicolon = knownCount(line, ';');
  const best = Math.max(comma.known, semicolon.known);
  const foreign = foreignDelimiters.find(([d]) => knownCount(line, d).known > best);
  if (foreign !== undefined) {
    return reject(
      `The header (line ${lineNo}) is separated by ${foreign[1]}: wrong delimiter: use comma or semicolon.`,
      { line: lineNo },
    );
  }
  if (semicolon.known > comma.known) return ok(';');
  if (semicolon.known === comma.known && semicolon.cells > comma.cells) return ok(';');
  return ok(',');
};

/** Header cells → column per position (null for a nameless column, ignored), or a whole-file error. */
const checkHeader = (
  cells: readonly string[],
  lineNo: number,
): Result<(EmployeeColumn | null)[], AppError> => {
  const names = cells.map(normalizeName);
  const unknown = names.filter((name) => name !== '' && !isEmployeeColumn(name));
  if (unknown.length > 0) {
    const listed = unknown.slice(0, 10).map(describeUnknown).join(', ');
    const more = unknown.length > 10 ? ` and ${unknown.length - 10} more` : '';
    return reject(
      `The header (line ${lineNo}) has unknown columns: ${listed}${more}. Rename or remove them; the columns are listed in docs/file-format.md.`,
      { line: lineNo, columns: unknown.slice(0, 10) },
    );
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (name !== '' && seen.has(name)) {
      return reject(`The header (line ${lineNo}) has the column '${name}' twice; keep one.`, {
        line: lineNo,
        column: name,
      });
    }
    seen.add(name);
  }
  const missing = requiredColumns.filter((column) => !seen.has(column));
  if (missing.length > 0) {
    return reject(
      `The header (line ${lineNo}) lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
      { line: lineNo, columns: missing },
    );
  }
  return ok(names.map((name) => (isEmployeeColumn(name) ? name : null)));
};

const newlines = (cells: readonly unknown[]): number => {
  let count = 0;
  for (const cell of cells) {
    if (typeof cell !== 'string') continue;
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count += 1;
  }
  return count;
};

/** Turns a csv-parse failure into the whole-file error, naming the line where the bad record starts. */
const explain = (error: CsvError, o: { text: string; lastEndLine: number; width: number }) => {
  const record: unknown[] = Array.isArray(error.record) ? (error.record as unknown[]) : [];
  const lines = typeof error.lines === 'number' ? error.lines : o.lastEndLine + 1;
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const line = lines - newlines(record);
      return reject(
        `Line ${line} has ${record.length} fields but the header has ${o.width} columns. A value with the delimiter in it must be in double quotes, or the file was cut short.`,
        { line },
        error,
      );
    }
    case 'CSV_MAX_RECORD_SIZE': {
      const line = nonBlankLineFrom(o.text, o.lastEndLine + 1);
      return reject(
        `The record starting at line ${line} is over 1 MiB long: a double quote is probably never closed, or the file is not an employee file.`,
        { line },
        error,
      );
    }
    case 'CSV_QUOTE_NOT_CLOSED': {
      const line = nonBlankLineFrom(o.text, o.lastEndLine + 1);
      return reject(
        `Line ${line} opens a double quote that is never closed. The file may be cut short, or a quote inside a value is not doubled ("" inside a quoted value).`,
        { line },
        error,
      );
    }
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return reject(
        `Line ${lines} has a double quote inside a value. Put the whole value in double quotes and double each quote inside it ("5"" screen").`,
        { line: lines },
        error,
      );
    default:
      return reject(
        `Line ${lines} could not be read as CSV (${excerpt(error.message, 120)}).`,
        { line: lines },
        error,
      );
  }
};

const emptyFile = (managed: readonly EmployeeColumn[]): EmployeeFile => ({
  format: 'csv',
  people: [],
  managedFields: managedFieldsFor(managed),
  rows: 0,
  issues: [],
});

/**
 * Parses a decoded CSV employee file. Header, delimiter and every row are checked before anything
 * is returned: one malformed row rejects the whole file (a partial roster would turn the missing
 * people into leavers). Rows with a bad status are left out with an issue instead.
 */
export const parseCsvEmployees = (raw: string): Result<EmployeeFile, AppError> => {
  // One line ending for csv-parse and our line numbers alike (mixed CRLF/LF files exist).
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  const header = text.trim() === '' ? null : findHeader(text);
  if (header === null) return ok(emptyFile([]));
  if (header.line.length > MAX_HEADER_CHARS) {
    return reject(
      `Line ${header.lineNo} should be the header but is over ${MAX_HEADER_CHARS / 1024} KiB long: the file does not start with the employee columns.`,
      { line: header.lineNo },
    );
  }
  const delimiter = detectDelimiter(header.line, header.lineNo);
  if (!delimiter.ok) return delimiter;
  const options = { delimiter: delimiter.value, trim: true, max_record_size: MAX_RECORD_BYTES } as const;
  let headerCells: string[];
  try {
    const [first] = parse(header.line, options);
    headerCells = first ?? [];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return explain(error, { text, lastEndLine: header.lineNo - 1, width: 0 });
  }
  const checked = checkHeader(headerCells, header.lineNo);
  if (!checked.ok) return checked;
  const positions = checked.value;
  const columns = new Set(positions.filter((column): column is EmployeeColumn => column !== null));

  const people: SourcePerson[] = [];
  const issues: RecordIssue[] = [];
  let rows = 0;
  let lastEndLine = header.lineNo - 1;
  let headerSeen = false;
  try {
    parse(text, {
      ...options,
      from_line: header.lineNo,
      skip_empty_lines: true,
      relax_column_count: false,
      relax_quotes: false,
      on_record: (record: string[], context) => {
        const endLine = context.lines;
        const startLine = endLine - newlines(record);
        lastEndLine = endLine;
        if (!headerSeen) {
          headerSeen = true;
          return null;
        }
        // Spreadsheets append rows of bare delimiters; they are not people.
        if (record.every((cell) => cell === '')) return null;
        rows += 1;
        const values: Partial<Record<EmployeeColumn, string>> = {};
        positions.forEach((column, index) => {
          if (column !== null) values[column] = record[index] ?? '';
        });
        const outcome = mapEmployee({ values, columns, ref: `line ${startLine}` });
        if (outcome.ok) people.push(outcome.person);
        else issues.push(outcome.issue);
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return explain(error, { text, lastEndLine, width: positions.length });
  }
  return ok({ format: 'csv', people, managedFields: managedFieldsFor(columns), rows, issues });
};
