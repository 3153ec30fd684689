// People HR webhook body → which employees to re-fetch. Only ids are taken from it, never data.
import type { WebhookHint } from '../contract.js';

/** More ids than this in one delivery is not a People HR event: re-read everything instead. */
const MAX_IDS = 100;
const MAX_DEPTH = 6;
/** People HR ids are at most 15 characters (API swagger); allow some slack, refuse anything odd. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,49}$/;
/** `Employee Id`, `employee_id`, `EmployeeID`... all normalise to this. */
const ID_KEY = 'employeeid';
const ACTION_KEYS = new Set(['action', 'actionid']);
/** ActionId 18 "Employee Deleted": the id can no longer be fetched, only a full read notices it is gone. */
const DELETED_ACTION_ID = '18';

const normaliseKey = (key: string): string => key.toLowerCase().replace(/[\s_\-.]/g, '');

const decode = (body: unknown): unknown => {
  if (body instanceof Uint8Array) return decode(new TextDecoder().decode(body));
  if (typeof body !== 'string') return body;
  const text = body.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
};

interface Found {
  readonly ids: Set<string>;
  deleted: boolean;
  overflow: boolean;
}

const addId = (found: Found, value: unknown): void => {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== 'string') return;
  const id = text.trim();
  if (!ID_PATTERN.test(id)) return;
  found.ids.add(id);
  if (found.ids.size > MAX_IDS) found.overflow = true;
};

const isDeletedAction = (key: string, value: unknown): boolean => {
  if (!ACTION_KEYS.has(key)) return false;
  const text = String(value).trim().toLowerCase();
  return text === DELETED_ACTION_ID || text === 'employee deleted';
};

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/** The documented text form: `ActionId:18, Action:Employee Deleted, EmployeeId:PW21` (or `a=b&c=d`). */
const scanText = (found: Found, text: string): void => {
  for (const match of text.matchAll(/employee[\s_-]*id\s*[:=]\s*"?([^,"&\s}\]]+)/gi)) {
    addId(found, safeDecode(match[1] ?? ''));
  }
  if (/action\s*(?:id)?\s*[:=]\s*"?(?:18\b|employee(?:\s|\+|%20)deleted)/i.test(text)) found.deleted = true;
};

const scan = (found: Found, value: unknown, depth: number): void => {
  if (depth > MAX_DEPTH || found.overflow) return;
  if (typeof value === 'string') {
    scanText(found, value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) scan(found, item, depth + 1);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [rawKey, child] of Object.entries(value as Record<string, unknown>)) {
    const key = normaliseKey(rawKey);
    if (key === ID_KEY) addId(found, child);
    else if (isDeletedAction(key, child)) found.deleted = true;
    else if (typeof child === 'object' && child !== null) scan(found, child, depth + 1);
    // A packet wrapped as JSON text inside a field (`{"payload": "{\"EmployeeId\":...}"}`).
    else if (typeof child === 'string' && /^\s*[[{]/.test(child)) scan(found, decode(child), depth + 1);
  }
};

/**
 * Reads a People HR webhook delivery. People HR documents the packet as `ActionId`, `Action`,
 * `EmployeeId` plus event details; the wire encoding is not documented, so JSON objects (also
 * nested or batched), JSON text, the `Key:Value, ...` text form and form encoding are accepted.
 * Returns the employee ids to re-fetch, or `full` when it names none, names too many, or reports
 * a deleted employee. Nothing else in the body is used.
 *
 * @example
 * parsePeopleHrWebhook({ ActionId: 1, Action: 'New Starter Added', EmployeeId: 'PW21' }) // { kind: 'ids', ids: ['PW21'] }
 * parsePeopleHrWebhook('hello') // { kind: 'full' }
 */
export const parsePeopleHrWebhook = (body: unknown): WebhookHint => {
  const found: Found = { ids: new Set(), deleted: false, overflow: false };
  scan(found, decode(body), 0);
  if (found.deleted || found.overflow || found.ids.size === 0) return { kind: 'full' };
  return { kind: 'ids', ids: [...found.ids] };
};
