// File source entry points: format detection, the size cap, and the registry-facing fileSource.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { managedFieldNames } from '../../core/model.js';
import {
  detectFormat,
  FILE_MAX_BYTES_DEFAULT,
  fileSource,
  parseEmployeeFile,
  parsePositionFile,
} from './index.js';

const utf16le = (text: string): Uint8Array =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

describe('detectFormat', () => {
  it.each([
    ['application/xml', 'xml'],
    ['text/xml; charset=utf-8', 'xml'],
    ['application/hr+xml', 'xml'],
    ['text/csv', 'csv'],
    ['application/vnd.ms-excel', 'csv'],
  ] as const)('trusts the content type %s', (contentType, format) => {
    expect(detectFormat('<employees/>', contentType)).toBe(format === 'xml' ? 'xml' : 'csv');
    expect(detectFormat('employee_id,email', contentType)).toBe(format);
  });

  it.each([
    ['XML text', '  \n<?xml version="1.0"?><employees/>', 'xml'],
    ['XML with a BOM', new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x2f, 0x3e]), 'xml'],
    ['UTF-16 XML', utf16le('<employees/>'), 'xml'],
    ['CSV text', 'employee_id,email\n', 'csv'],
    ['UTF-16 CSV', utf16le('employee_id,email\n'), 'csv'],
    ['an empty file', '', 'csv'],
  ] as const)('sniffs %s without a useful content type', (_name, input, format) => {
    expect(detectFormat(input)).toBe(format);
    expect(detectFormat(input, 'application/octet-stream')).toBe(format);
  });
});

describe('parseEmployeeFile', () => {
  it('detects the format when none is given', () => {
    const result = parseEmployeeFile('<employees/>');
    expect(result.ok && result.value.format).toBe('xml');
  });

  it('parses with the format it is told, even against the content', () => {
    const result = parseEmployeeFile('employee_id,email,first_name,last_name\n', { format: 'xml' });
    expect(result.ok).toBe(false);
  });

  it('refuses input over maxBytes with payload_too_large before any parsing', () => {
    // Malformed on purpose: the size error must win over any parse error.
    const result = parseEmployeeFile(new Uint8Array(101).fill(0x22), { maxBytes: 100 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('payload_too_large');
    expect(result.error.details).toEqual({ bytes: 101, maxBytes: 100 });
  });

  it('counts UTF-8 bytes, not characters, for string input', () => {
    const text = 'employee_id,email,first_name,last_name\n1,é@x.test,É,Ö\n';
    const bytes = Buffer.byteLength(text);
    expect(parseEmployeeFile(text, { maxBytes: bytes }).ok).toBe(true);
    const over = parseEmployeeFile(text, { maxBytes: text.length });
    expect(!over.ok && over.error.code).toBe('payload_too_large');
  });

  it('treats maxBytes 0 as zero, not as unlimited', () => {
    const result = parseEmployeeFile('x', { maxBytes: 0 });
    expect(!result.ok && result.error.code).toBe('payload_too_large');
    expect(parseEmployeeFile('', { maxBytes: 0 }).ok).toBe(true);
  });

  it('defaults the cap to 64 MiB', () => {
    expect(FILE_MAX_BYTES_DEFAULT).toBe(64 * 1024 * 1024);
  });
});

describe('fileSource', () => {
  it('describes an upload source that manages every field and has nothing to configure', () => {
    expect(fileSource.spec).toMatchObject({
      id: 'file',
      webhooks: false,
      secretFields: [],
      configFields: [],
    });
    expect(fileSource.spec.managedFields).toEqual(managedFieldNames);
    expect(fileSource.spec.configSchema.safeParse({}).success).toBe(true);
    expect(fileSource.spec.configSchema.safeParse({ apiKey: 'x' }).success).toBe(false);
  });

  it('checks ok and reads no page: files are pushed, not pulled', async () => {
    const check = await fileSource.check({}, { allowLoopback: false });
    expect(check.ok).toBe(true);
    let pages = 0;
    for await (const _page of fileSource.read({}, { allowLoopback: false })) pages += 1;
    expect(pages).toBe(0);
  });
});

describe('docs/file-format.md', () => {
  const doc = readFileSync(new URL('../../../docs/file-format.md', import.meta.url), 'utf8');
  const blocks = (lang: string): string[] =>
    [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');

  it('has examples that parse: the CSV and XML employee files and the position file', () => {
    const [csv] = blocks('csv');
    const [employees, positions] = blocks('xml');
    const csvFile = parseEmployeeFile(csv ?? '', { format: 'csv' });
    expect(csvFile.ok && [csvFile.value.people.length, csvFile.value.issues.length]).toEqual([4, 0]);
    const xmlFile = parseEmployeeFile(employees ?? '', { format: 'xml' });
    expect(xmlFile.ok && xmlFile.value.people.map((p) => p.groups)).toEqual([
      ['Leadership'],
      ['Platform', 'Backend'],
    ]);
    const positionFile = parsePositionFile(positions ?? '');
    expect(positionFile.ok && positionFile.value.length).toBe(2);
  });
});
