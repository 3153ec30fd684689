// The XML position file: <positions><position><code/><title/><department/></position></positions>.
import type { AppError } from '../../core/errors.js';
import { ok, type Result } from '../../core/result.js';
import { FILE_MAX_BYTES_DEFAULT } from './spec.js';
import { checkSize, decodeText } from './decode.js';
import { excerpt } from './map.js';
import { readFields, readXmlItems, rejectXml } from './xml.js';

/** One position of the position file; the title is what the directory's position list holds. */
export interface PositionEntry {
  readonly code: string | null;
  readonly title: string;
  readonly department: string | null;
}

const positionElements: ReadonlySet<string> = new Set(['code', 'title', 'department']);

const textOrNull = (value: string | string[] | undefined): string | null => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? null : trimmed;
};

/**
 * Parses an XML position file (UTF-8 or UTF-16 with BOM, same hardening as employee files).
 * Positions only ever add to the reference lists, so any bad entry (no title, unknown element, a
 * code used twice) rejects the whole file rather than guessing. Blank input or `<positions/>` → [].
 *
 * @example parsePositionFile('<positions><position><title>Engineer</title></position></positions>')
 * // ok([{ code: null, title: 'Engineer', department: null }])
 */
export function parsePositionFile(
  input: Uint8Array | string,
  opts: { maxBytes?: number } = {},
): Result<PositionEntry[], AppError> {
  const size = checkSize(input, opts.maxBytes ?? FILE_MAX_BYTES_DEFAULT);
  if (!size.ok) return size;
  const text = decodeText(input);
  if (!text.ok) return text;
  const items = readXmlItems(text.value, { root: 'positions', item: 'position' });
  if (!items.ok) return items;
  const positions: PositionEntry[] = [];
  const codes = new Map<string, number>();
  for (const [index, node] of items.value.entries()) {
    const label = `position #${index + 1}`;
    const fields = readFields(node, { allowed: positionElements, label });
    if (!fields.ok) return fields;
    const title = textOrNull(fields.value.get('title'));
    if (title === null) return rejectXml(`${label} has no <title>; every position needs one.`);
    const code = textOrNull(fields.value.get('code'));
    if (code !== null) {
      const earlier = codes.get(code);
      if (earlier !== undefined) {
        return rejectXml(
          `${label} reuses the code '${excerpt(code)}' of position #${earlier}; codes must be unique.`,
        );
      }
      codes.set(code, index + 1);
    }
    positions.push({ code, title, department: textOrNull(fields.value.get('department')) });
  }
  return ok(positions);
}
