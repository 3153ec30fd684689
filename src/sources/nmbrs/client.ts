/** Nmbrs SOAP v3 client: one call = one envelope with AuthHeaderWithDomain; faults mapped to AppErrors; companies read as pages. */
import { AppError, isAppError } from '../../core/errors.js';
import { err, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import type { SourceContext } from '../contract.js';
import {
  backoffDelay,
  checkUrl,
  createHttpClient,
  redact,
  retrySettings,
  sourceError,
  wait,
} from '../_shared/index.js';
import type { HttpClient } from '../_shared/index.js';
import { currentPersonalInfo } from './map.js';
import {
  joinCompany,
  parseCompanies,
  parseContractItems,
  parseEmployeeList,
  parseEmployeeTypes,
  parseEmploymentItems,
  parseFunctionItems,
  parseManager,
  parsePersonalInfoItems,
} from './records.js';
import type {
  NmbrsCompany,
  NmbrsEmployeeListItem,
  NmbrsEmployeeRecord,
  NmbrsEmployeeType,
  NmbrsManager,
} from './records.js';
import {
  buildEnvelope,
  classifyFault,
  readSoapReply,
  servicePath,
  soapAction,
  SoapParseError,
} from './soap.js';
import type { NmbrsService, SoapReply, XmlNode, XmlValueObject } from './soap.js';
import { nmbrsAllowedHosts, nmbrsApiUrl } from './spec.js';
import type { NmbrsConfig } from './spec.js';

const provider = 'Nmbrs';
/** Parallel calls per run: the http client's pool size, gentle on a fair-use API. */
const concurrency = 4;

/**
 * The base URL to call: production unless `baseUrl` overrides it (the sandbox host, or an emulator
 * on loopback when `ctx.allowLoopback`).
 */
export function nmbrsBaseUrl(config: NmbrsConfig, ctx: SourceContext): Result<string, AppError> {
  if (config.baseUrl === undefined) return ok(nmbrsApiUrl);
  const checked = checkUrl(config.baseUrl, {
    allowedHosts: nmbrsAllowedHosts,
    allowLoopback: ctx.allowLoopback,
    provider,
  });
  if (!checked.ok) {
    return err(
      new AppError(
        'invalid_config',
        `${checked.error.message} The API base URL setting is only for https://api-sandbox.nmbrs.nl or a local emulator (ROSTERSYNC_ALLOW_LOOPBACK_SOURCES=1); leave it empty for your Nmbrs account.`,
        { kind: 'config', details: { provider } },
      ),
    );
  }
  return ok(config.baseUrl.replace(/\/+$/, ''));
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure stops new work. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** One company read: its joined records (managers not yet resolved to employee ids). */
export interface CompanyPage {
  readonly company: NmbrsCompany;
  readonly records: NmbrsEmployeeRecord[];
}

/** The Nmbrs calls rostersync makes; create one per run and `close` it. */
export interface NmbrsClient {
  call(o: {
    service: NmbrsService;
    operation: string;
    params?: XmlValueObject;
  }): Promise<XmlNode | undefined>;
  companies(): Promise<NmbrsCompany[]>;
  /** Employee types; throws when Nmbrs returns none (nobody could be listed). */
  employeeTypes(): Promise<NmbrsEmployeeType[]>;
  /** Reads one company; `managerLimit` caps the per-employee manager calls (the preflight uses 1). */
  readCompany(o: {
    company: NmbrsCompany;
    types: readonly NmbrsEmployeeType[];
    managerLimit?: number;
  }): Promise<CompanyPage>;
  close(): Promise<void>;
}

/** Creates a client for a checked base URL (see {@link nmbrsBaseUrl}). */
export function createNmbrsClient(o: {
  config: NmbrsConfig;
  ctx: SourceContext;
  baseUrl: string;
  /** The read date (`YYYY-MM-DD`) stamped on records; default today (UTC). */
  asOf?: string;
}): NmbrsClient {
  const { config, ctx } = o;
  const http: HttpClient = createHttpClient({
    baseUrl: o.baseUrl,
    provider,
    ctx,
    allowedHosts: nmbrsAllowedHosts,
    secrets: [config.token],
    maxConnections: concurrency,
    authHint: 'Check the API domain, user e-mail and API token',
  });
  const auth = { username: config.username, token: config.token, domain: config.domain.toLowerCase() };
  const settings = retrySettings(ctx);
  const asOf = o.asOf ?? new Date().toISOString().slice(0, 10);
  const clean = (text: string): string => redact({ text, secrets: [config.token] });

  const call: NmbrsClient['call'] = async ({ service, operation, params = {} }) => {
    const path = servicePath(service);
    const name = `${service}.${operation}`;
    const body = buildEnvelope({ service, auth, body: { [operation]: params } });
    const fail = (f: {
      code: AppError['code'];
      kind: NonNullable<AppError['kind']>;
      message: string;
      status: number;
      cause?: unknown;
    }): AppError => sourceError({ ...f, provider, method: 'POST', path, message: clean(f.message) });
    for (let n = 0; ; n++) {
      const res = await http.request({
        method: 'POST',
        path,
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          soapaction: `"${soapAction({ service, operation })}"`,
        },
        body,
        // ASMX reports every exception as HTTP 500 + soap:Fault: we read the fault ourselves.
        acceptStatuses: [500],
      });
      let reply: SoapReply | null = null;
      let unreadable = '';
      try {
        reply = readSoapReply({ body: res.text, operation });
      } catch (error) {
        if (!(error instanceof SoapParseError)) throw error;
        unreadable = error.message;
      }
      let failure: AppError;
      if (reply === null && res.status !== 500) {
        throw fail({
          code: 'source_bad_response',
          kind: 'system',
          status: res.status,
          message: `Nmbrs answered ${name} with a body rostersync cannot read (${unreadable}). This is usually a passing fault at Nmbrs; if it persists, contact Nmbrs support.`,
        });
      } else if (reply === null) {
        failure = fail({
          code: 'source_unavailable',
          kind: 'transient',
          status: 500,
          message: `Nmbrs failed on ${name} (HTTP 500, no SOAP fault). rostersync will try again on the next run.`,
        });
      } else if (reply.kind === 'result') {
        return reply.result;
      } else {
        const { fault } = reply;
        const cls = classifyFault(fault);
        const what = fault.nmbrsCode === null ? fault.nmbrsText : `${fault.nmbrsCode}: ${fault.nmbrsText}`;
        failure = fail({
          code: cls.code,
          kind: cls.kind,
          status: res.status,
          message: `Nmbrs answered ${name} for domain '${auth.domain}' with fault '${what.slice(0, 300)}'. ${cls.advice}`,
        });
        if (cls.kind !== 'transient') throw failure;
      }
      // A server-side fault (no code, or 9999) may pass: retry like any 5xx.
      if (n >= settings.retries) throw failure;
      if (ctx.stats) ctx.stats.retries += 1;
      try {
        await wait({
          ms: backoffDelay({ attempt: n, ...settings }),
          signal: ctx.signal,
          sleep: settings.sleep,
        });
      } catch {
        // Aborted run: report the failure we were about to retry, as an AppError.
        throw failure;
      }
    }
  };

  const companies = async (): Promise<NmbrsCompany[]> =>
    parseCompanies(await call({ service: 'CompanyService', operation: 'List_GetAll' }));

  const employeeTypes = async (): Promise<NmbrsEmployeeType[]> => {
    const types = parseEmployeeTypes(
      await call({ service: 'EmployeeService', operation: 'EmployeeType_GetList' }),
    );
    if (types.length > 0) return types;
    // Without a type List_GetByCompany lists nobody: an empty roster would deactivate everyone.
    throw sourceError({
      code: 'source_bad_response',
      kind: 'system',
      provider,
      method: 'POST',
      path: servicePath('EmployeeService'),
      message:
        'Nmbrs returned no employee types (EmployeeService.EmployeeType_GetList), so no employee could be listed and nothing was synced. Check the API template, then run the sync again.',
    });
  };

  const byCompany = (operation: string, company: NmbrsCompany): Promise<XmlNode | undefined> =>
    call({ service: 'EmployeeService', operation, params: { CompanyID: company.ID } });

  const readCompany: NmbrsClient['readCompany'] = async ({ company, types, managerLimit }) => {
    // Employee types partition a company's employees (e.g. applicants, payroll): the union is all of them.
    const lists = await mapLimit(types, concurrency, async (type) =>
      parseEmployeeList(
        await call({
          service: 'EmployeeService',
          operation: 'List_GetByCompany',
          params: { CompanyId: company.ID, EmployeeType: type.Id },
        }),
      ),
    );
    const seen = new Set<string>();
    const employees: NmbrsEmployeeListItem[] = lists.flat().filter((e) => !seen.has(e.Id) && seen.add(e.Id));
    const [personal, functions, contracts, employments] = await Promise.all([
      byCompany('PersonalInfoWithoutBSN_Get_GetAllEmployeesByCompany', company),
      byCompany('Function_GetAll_AllEmployeesByCompany_V2', company),
      byCompany('Contract_GetAll_AllEmployeesByCompany', company),
      byCompany('Employment_GetAll_AllEmployeesByCompany', company),
    ]);
    const withManager = employees.slice(0, managerLimit ?? employees.length);
    const managerList = await mapLimit(withManager, concurrency, async (e) => {
      const result = await call({
        service: 'EmployeeService',
        operation: 'Manager_GetCurrent',
        params: { EmployeeId: e.Id },
      });
      return [e.Id, parseManager(result)] as const;
    });
    const joined = joinCompany({
      company,
      employees,
      personalInfos: parsePersonalInfoItems(personal),
      functions: parseFunctionItems(functions),
      contracts: parseContractItems(contracts),
      employments: parseEmploymentItems(employments),
      managers: new Map<string, NmbrsManager | null>(managerList),
      asOf,
    });
    if (joined.missingPersonalInfo.length > 0) {
      throw sourceError({
        code: 'source_bad_response',
        kind: 'system',
        provider,
        method: 'POST',
        path: servicePath('EmployeeService'),
        message: `Nmbrs listed ${joined.missingPersonalInfo.length} employee(s) of company '${company.Name ?? company.ID}' (e.g. employee ${joined.missingPersonalInfo[0] ?? ''}) but returned no personal info for them, so the roster would be incomplete and nothing was synced. Check that the API template allows PersonalInfoWithoutBSN_Get_GetAllEmployeesByCompany, then run the sync again.`,
      });
    }
    return { company, records: joined.records };
  };

  return { call, companies, employeeTypes, readCompany, close: () => http.close() };
}

const withManager = (record: NmbrsEmployeeRecord, id: string | null): NmbrsEmployeeRecord =>
  id === record.ManagerEmployeeId ? record : { ...record, ManagerEmployeeId: id };

/**
 * Reads every company as one page. Nmbrs managers are separate records: each is linked to the
 * employee with the same work e-mail. Records whose manager's e-mail belongs to a company not read
 * yet are held back and yielded last, once every e-mail is known (only those are kept in memory).
 */
export async function* readAllEmployees(client: NmbrsClient): AsyncGenerator<NmbrsEmployeeRecord[]> {
  const companies = await client.companies();
  if (companies.length === 0) return;
  const types = await client.employeeTypes();
  const byEmail = new Map<string, string>();
  const pending: NmbrsEmployeeRecord[] = [];
  const managerEmail = (m: NmbrsManager | null): string | null => m?.Email?.trim().toLowerCase() || null;
  for (const company of companies) {
    const page = await client.readCompany({ company, types });
    for (const record of page.records) {
      const email = currentPersonalInfo(record)?.EmailWork?.trim().toLowerCase();
      if (email && !byEmail.has(email)) byEmail.set(email, record.EmployeeId);
    }
    const ready: NmbrsEmployeeRecord[] = [];
    for (const record of page.records) {
      const email = managerEmail(record.Manager);
      const id = email === null ? undefined : byEmail.get(email);
      if (id !== undefined) ready.push(withManager(record, id));
      else if (email !== null) pending.push(record);
      else ready.push(record);
    }
    if (ready.length > 0) yield ready;
  }
  if (pending.length > 0) {
    yield pending.map((r) => withManager(r, byEmail.get(managerEmail(r.Manager) ?? '') ?? null));
  }
}

/** Any failure as an AppError for `check` (which must never surface a stack trace). */
export const asAppError = (error: unknown): AppError =>
  isAppError(error)
    ? error
    : new AppError(
        'internal',
        `Unexpected error while talking to Nmbrs: ${error instanceof Error ? error.message : String(error)}`,
        {
          kind: 'system',
          cause: error,
        },
      );
