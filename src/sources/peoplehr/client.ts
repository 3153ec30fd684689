// People HR API client: POST {APIKey, Action} to /Employee, envelope errors mapped to AppError kinds.
import type { AppError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import { err, ok } from '../../core/result.js';
import type { SourceContext } from '../contract.js';
import type { HttpClient } from '../_shared/http.js';
import { createHttpClient, redact, sourceError } from '../_shared/http.js';
import type { PeopleHrEnvelope } from './envelope.js';
import { scanEnvelope } from './envelope.js';
import type { PeopleHrEmployee } from './map.js';
import { peopleHrEmployeeId } from './map.js';
import type { PeopleHrConfig } from './spec.js';
import { PEOPLEHR_ALLOWED_HOSTS, PEOPLEHR_DEFAULT_BASE_URL } from './spec.js';

const PROVIDER = 'People HR';
const PATH = '/Employee';
/** Records handed to the engine per yielded page; GetAllEmployeeDetail itself is one response. */
export const PEOPLEHR_BATCH_SIZE = 200;
/** The whole roster arrives in one body: allow far more than the kit's 64 MiB default (~3 KB per employee). */
const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;
/** One call carries the whole roster, so a big account needs longer than a paged API per attempt. */
const TIMEOUT_MS = 120_000;

export const peopleHrActions = ['GetAllEmployeeDetail', 'GetEmployeeDetailById'] as const;
export type PeopleHrAction = (typeof peopleHrActions)[number];
const actionLabels: Record<PeopleHrAction, string> = {
  GetAllEmployeeDetail: 'Get All Employee Detail',
  GetEmployeeDetailById: 'Get Employee Detail By Id',
};

/** A People HR account, read-only. Close it when done (it owns a keep-alive pool). */
export interface PeopleHrClient {
  /** GetAllEmployeeDetail (leavers included), parsed and yielded in batches of {@link PEOPLEHR_BATCH_SIZE}. */
  allEmployees(): AsyncGenerator<PeopleHrEmployee[], void, undefined>;
  /** GetEmployeeDetailById; null when People HR no longer knows the id. */
  employeeById(id: string): Promise<PeopleHrEmployee | null>;
  close(): Promise<void>;
}

type Outcome = 'auth' | 'permission' | 'not_found' | 'rate_limit' | 'server' | 'other';

/** Status codes and messages from the People HR swagger (Status 0–10); HTTP is 200 for all of them. */
const classify = (status: number | null, message: string): Outcome => {
  if (/no access/i.test(message)) return 'permission';
  if (status === 1 || status === 2 || /api\s*key/i.test(message)) return 'auth';
  if (/rate limit|too many|exceeded/i.test(message)) return 'rate_limit';
  if (status === 10 || /does not exist|no record|no detail|not found/i.test(message)) return 'not_found';
  if (status === 6) return 'server';
  return 'other';
};

const envelopeError = (o: {
  action: PeopleHrAction;
  envelope: PeopleHrEnvelope;
  secrets: string[];
}): AppError => {
  const { action, envelope } = o;
  const said = redact({ text: envelope.message.slice(0, 300), secrets: o.secrets }) || 'no message';
  const what = `People HR answered ${action} with an error (Status ${envelope.status ?? '?'}: "${said}")`;
  const fail = (code: AppError['code'], kind: 'auth' | 'transient' | 'system', message: string): AppError =>
    sourceError({ code, kind, provider: PROVIDER, method: 'POST', path: PATH, status: 200, message });
  switch (classify(envelope.status, envelope.message)) {
    case 'auth':
      return fail(
        'source_auth',
        'auth',
        `${what}. The API key is wrong or was removed in People HR: in People HR, Settings > API, create a key with the Employee permissions "Get All Employee Detail" and "Get Employee Detail By Id", then 'Update credentials'.`,
      );
    case 'permission':
      return fail(
        'source_auth',
        'auth',
        `${what}. The API key lacks a permission: in People HR, Settings > API, edit the key and enable the Employee permission "${actionLabels[action]}", then 'Update credentials'.`,
      );
    case 'rate_limit':
    case 'server':
      return fail('source_unavailable', 'transient', `${what}. rostersync will try again on the next run.`);
    default:
      return fail('source_bad_response', 'system', `${what}. rostersync did not expect this answer.`);
  }
};

const badResponse = (action: PeopleHrAction, why: string): AppError =>
  sourceError({
    code: 'source_bad_response',
    kind: 'system',
    provider: PROVIDER,
    method: 'POST',
    path: PATH,
    message: `People HR sent an answer to ${action} that rostersync cannot read: ${why}. Nothing was applied; the next run tries again.`,
  });

const checkEmployee = (o: { action: PeopleHrAction; value: unknown; index: number }): PeopleHrEmployee => {
  const { value } = o;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badResponse(o.action, `employee ${o.index + 1} of Result is not an object`);
  }
  const employee = value as PeopleHrEmployee;
  if (peopleHrEmployeeId(employee) === null) {
    throw badResponse(o.action, `employee ${o.index + 1} of Result has no EmployeeId`);
  }
  return employee;
};

const parseEmployee = (o: { action: PeopleHrAction; text: string; index: number }): PeopleHrEmployee => {
  let value: unknown;
  try {
    value = JSON.parse(o.text);
  } catch {
    throw badResponse(o.action, `employee ${o.index + 1} of Result is not valid JSON`);
  }
  return checkEmployee({ action: o.action, value, index: o.index });
};

/** The base URL to call, or why the config cannot be used (an override needs loopback sources allowed). */
export const resolveBaseUrl = (o: {
  config: PeopleHrConfig;
  ctx: SourceContext;
}): Result<string, AppError> => {
  const override = o.config.baseUrl?.trim();
  if (override === undefined || override === '') return ok(PEOPLEHR_DEFAULT_BASE_URL);
  const host = URL.canParse(override) ? new URL(override).hostname : '';
  if (!PEOPLEHR_ALLOWED_HOSTS.test(host) && !o.ctx.allowLoopback) {
    return err(
      sourceError({
        code: 'invalid_config',
        kind: 'config',
        provider: PROVIDER,
        message: `The People HR base URL override (${host || 'not a URL'}) is only for a local People HR emulator and needs ROSTERSYNC_ALLOW_LOOPBACK_SOURCES=1. Remove it to use ${PEOPLEHR_DEFAULT_BASE_URL}.`,
      }),
    );
  }
  return ok(override);
};

/**
 * Creates a client for one People HR account. Fails (as a value) only on config problems found
 * before any request; HTTP and envelope failures are thrown as `AppError` by the methods.
 */
export const createPeopleHrClient = (o: {
  config: PeopleHrConfig;
  ctx: SourceContext;
}): Result<PeopleHrClient, AppError> => {
  const baseUrl = resolveBaseUrl(o);
  if (!baseUrl.ok) return baseUrl;
  const apiKey = o.config.apiKey.trim();
  const secrets = [apiKey];
  const http: HttpClient = createHttpClient({
    baseUrl: baseUrl.value,
    provider: PROVIDER,
    ctx: o.ctx,
    allowedHosts: PEOPLEHR_ALLOWED_HOSTS,
    headers: { accept: 'application/json' },
    secrets,
    timeoutMs: TIMEOUT_MS,
    maxConnections: 2,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    authHint: 'Check the API key under People HR Settings > API',
  });

  const call = async (action: PeopleHrAction, extra: Record<string, string>) => {
    const res = await http.request({
      method: 'POST',
      path: PATH,
      body: JSON.stringify({ APIKey: apiKey, Action: action, ...extra }),
    });
    const scanned = scanEnvelope(res.text);
    if (!scanned.ok) throw badResponse(action, scanned.error);
    return { text: res.text, envelope: scanned.value };
  };

  return ok({
    async *allEmployees() {
      const action = 'GetAllEmployeeDetail';
      // Leavers are asked for so their LeavingDate reaches core (the seed maps it) instead of them just vanishing.
      const { text, envelope } = await call(action, { IncludeLeavers: 'true' });
      if (envelope.isError === true) {
        if (classify(envelope.status, envelope.message) === 'not_found') return;
        throw envelopeError({ action, envelope, secrets });
      }
      if (envelope.items === null) {
        if (classify(envelope.status, envelope.message) === 'not_found') return;
        throw badResponse(action, 'it has no Result list of employees');
      }
      const { items } = envelope;
      o.ctx.log?.('peoplehr roster read', { employees: items.length, bytes: text.length });
      for (let start = 0; start < items.length; start += PEOPLEHR_BATCH_SIZE) {
        const batch: PeopleHrEmployee[] = [];
        for (let index = start; index < Math.min(start + PEOPLEHR_BATCH_SIZE, items.length); index++) {
          const [from, to] = items[index] ?? [0, 0];
          batch.push(parseEmployee({ action, text: text.slice(from, to), index }));
        }
        yield batch;
      }
    },

    async employeeById(id: string) {
      const action = 'GetEmployeeDetailById';
      const { text, envelope } = await call(action, { EmployeeId: id });
      if (envelope.isError === true) {
        // The id came from a webhook: an unknown or malformed one is skipped, the daily full sync settles it.
        const outcome = classify(envelope.status, envelope.message);
        if (outcome === 'not_found' || (envelope.status === 5 && /employeeid/i.test(envelope.message))) {
          o.ctx.log?.('peoplehr employee not found', { employeeId: id, status: envelope.status });
          return null;
        }
        throw envelopeError({ action, envelope, secrets });
      }
      if (envelope.items !== null) {
        // Not what the swagger documents (an object), but unambiguous: take the element with this id.
        const found = envelope.items
          .map(([from, to], index) => parseEmployee({ action, text: text.slice(from, to), index }))
          .find((employee) => peopleHrEmployeeId(employee) === id);
        return found ?? null;
      }
      if (envelope.result === null || envelope.result === undefined) return null;
      return checkEmployee({ action, value: envelope.result, index: 0 });
    },

    close: () => http.close(),
  });
};
