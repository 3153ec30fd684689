// XML position file: valid entries, whole-file rejections, and the same hardening as employee files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePositionFile } from './index.js';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const rejected = (input: Uint8Array | string, maxBytes?: number) => {
  const result = parsePositionFile(input, maxBytes === undefined ? {} : { maxBytes });
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.error;
};

describe('XML position file', () => {
  it('reads a valid file: code, title and department, empty ones as null', () => {
    expect(parsePositionFile(fixture('positions.xml'))).toEqual({
      ok: true,
      value: [
        { code: 'ENG-1', title: 'Engineer', department: 'R&D' },
        { code: 'DES-1', title: 'Designer', department: 'Product' },
        { code: null, title: 'Advisor', department: null },
      ],
    });
  });

  it('rejects a position without a title, naming it', () => {
    const error = rejected(fixture('positions-no-title.xml'));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('Position #2 has no <title>');
  });

  it('rejects a code used twice rather than guessing the title', () => {
    const text =
      '<positions><position><code>A</code><title>X</title></position><position><code>A</code><title>Y</title></position></positions>';
    expect(rejected(text).message).toContain("reuses the code 'A' of position #1");
  });

  it.each([
    [
      'an unknown element',
      '<positions><position><title>X</title><name>Y</name></position></positions>',
      "'name'",
    ],
    [
      'a DTD',
      '<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><positions/>',
      'DTDs and entities are not allowed',
    ],
    ['an employee file', '<employees><employee/></employees>', 'root element <positions>'],
    ['a CSV file', 'code,title\nA,B\n', 'malformed'],
    ['a malformed file', '<positions>\n<position>\n<title>X</titel>\n</position></positions>', 'Line 3'],
  ])('rejects %s', (_name, text, message) => {
    const error = rejected(text);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(message);
  });

  it('reads <positions/> and an empty upload as no positions', () => {
    expect(parsePositionFile('<positions/>')).toEqual({ ok: true, value: [] });
    expect(parsePositionFile(new Uint8Array())).toEqual({ ok: true, value: [] });
  });

  it('refuses a file over the size cap before parsing it', () => {
    const error = rejected(`<positions>${'<position><title>X</title></position>'.repeat(10)}`, 100);
    expect(error.code).toBe('payload_too_large');
    expect(error.details).toMatchObject({ maxBytes: 100 });
  });
});
