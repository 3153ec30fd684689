// Personio v1 client: client id + secret → bearer token (refreshed on expiry), paged employee list, by-id reads.
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { SourceContext } from '../contract.js';
import { createHttpClient, providerMessage, redact as redactSecrets, sourceError } from '../_shared/http.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../_shared/http.js';
import type { PersonioEmployee } from './map.js';
import { personioAllowedHosts, personioConfigSchema, personioDefaultApiUrl } from './spec.js';
import type { PersonioConfig } from './spec.js';

const provider = 'Personio';
/** Personio enforces at most 100 employees per page since 31 Jan 2025 (pagination adoption guide). */
export const personioMaxPageSize = 100;
/** Refresh a token this long before Personio says it expires, so a page never starts on a dying token. */
const expiryMarginMs = 60_000;
const credentialsHint =
  'Check the client ID and secret in Personio (Settings > Integrations > API credentials); the secret is shown only once, so generate new credentials if it is lost';

/** One page of `GET /v1/company/employees`, validated. */
export interface PersonioPage {
  readonly employees: readonly PersonioEmployee[];
  /** `metadata.total_elements`: employees matching the query, all pages together. */
  readonly total: number;
  readonly offset: number;
  /** The page size Personio applied (it caps `limit` at 100). */
  readonly limit: number;
}

/** Options of {@link createPersonioClient}. */
export interface PersonioClientOptions {
  readonly config: PersonioConfig;
  readonly ctx: SourceContext;
  /** Employees per page, 1..100 (default 100). */
  readonly pageSize?: number;
  /** Clock for token expiry (tests inject a fake one). */
  readonly now?: () => number;
}

/** A connected client; `close()` releases its sockets. */
export interface PersonioClient {
  /** One page at `offset`. */
  fetchPage(o: { offset: number; limit: number }): Promise<PersonioPage>;
  /** Every page, in order; throws when the sequence is incomplete (never a truncated roster). */
  employees(): AsyncGenerator<readonly PersonioEmployee[]>;
  /** `GET /v1/company/employees/{id}` for each id; ids Personio does not know (404) are skipped. */
  employeesByIds(ids: readonly string[]): AsyncGenerator<readonly PersonioEmployee[]>;
  /** Counts `POST /v1/auth` calls made (token requests), for tests and reports. */
  readonly tokenRequests: () => number;
  close(): Promise<void>;
}

// Only the id is checked per employee: attributes vary per credential and `map` reads each one
// defensively. (A zod catch-all over every attribute cost ~40% of a 10k read.)
const employeeSchema = z.custom<PersonioEmployee>(
  (value) => {
    if (typeof value !== 'object' || value === null) return false;
    const attributes = (value as { attributes?: unknown }).attributes;
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return false;
    const id = (attributes as { id?: { value?: unknown } }).id?.value;
    return (typeof id === 'number' && Number.isInteger(id)) || (typeof id === 'string' && /^\d+$/.test(id));
  },
  { message: 'an employee needs attributes with an integer id' },
);
const count = z.coerce.number().int().min(0);
const pageSchema = z.object({
  success: z.literal(true),
  metadata: z
    .object({ total_elements: count, current_page: count.optional(), total_pages: count.optional() })
    .loose(),
  offset: count.optional(),
  limit: count.optional(),
  data: z.array(employeeSchema),
});
const singleSchema = z.object({ success: z.literal(true), data: employeeSchema });
const tokenSchema = z.object({
  success: z.literal(true),
  data: z.object({ token: z.string().min(1), expires_in: z.coerce.number().positive().optional() }).loose(),
});

/** The first zod issue as `data[3].attributes.id: expected number`, for messages. */
const firstIssue = (error: z.ZodError): string => {
  const issue = error.issues[0];
  if (issue === undefined) return 'unexpected shape';
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${path.replace(/^\./, '') || 'body'}: ${issue.message}`;
};

const badResponse = (message: string, extra: { status?: number; path?: string } = {}): AppError =>
  sourceError({ code: 'source_bad_response', kind: 'system', provider, message, method: 'GET', ...extra });

/** Parses and checks the config (defaults applied), then builds the client. Throws `invalid_config`. */
export function createPersonioClient(o: PersonioClientOptions): PersonioClient {
  const parsed = personioConfigSchema.safeParse(o.config);
  if (!parsed.success) {
    throw new AppError('invalid_config', `Personio settings are incomplete: ${firstIssue(parsed.error)}`, {
      kind: 'config',
    });
  }
  const config = parsed.data;
  const now = o.now ?? Date.now;
  const pageSize = Math.min(personioMaxPageSize, Math.max(1, Math.floor(o.pageSize ?? personioMaxPageSize)));
  const http: HttpClient = createHttpClient({
    baseUrl: config.apiUrl,
    provider,
    ctx: o.ctx,
    allowedHosts: personioAllowedHosts,
    headers: { accept: 'application/json' },
    secrets: [config.clientSecret],
    authHint: credentialsHint,
  });
  let token: { value: string; expiresAt: number } | null = null;
  let tokenRequests = 0;
  const redact = (text: string): string => redactSecrets({ text, secrets: [config.clientSecret] });

  const authenticate = async (): Promise<string> => {
    tokenRequests += 1;
    // Credentials go in the body: query-string credentials are deprecated (Personio changelog, 2026).
    const res = await http.request({
      method: 'POST',
      path: '/v1/auth',
      body: JSON.stringify({ client_id: config.clientId, client_secret: config.clientSecret }),
      acceptStatuses: [400, 401, 403, 404, 405, 422],
    });
    const said = redact(providerMessage(res.text));
    if (res.status === 404 || res.status === 405) {
      throw sourceError({
        code: 'invalid_config',
        kind: 'config',
        provider,
        status: res.status,
        method: 'POST',
        path: '/v1/auth',
        message: `${config.apiUrl} is not the Personio API: POST /v1/auth answered ${res.status}. Use ${personioDefaultApiUrl} (the same for every Personio account), then 'Update credentials'.`,
      });
    }
    if (res.status !== 200) {
      throw sourceError({
        code: 'source_auth',
        kind: 'auth',
        provider,
        status: res.status,
        method: 'POST',
        path: '/v1/auth',
        message: `Personio refused the client ID and secret (${res.status} on POST /v1/auth${said === '' ? '' : `: ${said}`}). ${credentialsHint}, then 'Update credentials'.`,
      });
    }
    const body = tokenSchema.safeParse(safeJson(res));
    if (!body.success) {
      throw sourceError({
        code: 'invalid_config',
        kind: 'config',
        provider,
        status: res.status,
        method: 'POST',
        path: '/v1/auth',
        message: `${config.apiUrl} does not answer like the Personio API: POST /v1/auth returned no token (${firstIssue(body.error)}). Check the API URL (normally ${personioDefaultApiUrl}).`,
      });
    }
    const ttlMs = (body.data.data.expires_in ?? 86_400) * 1000;
    token = { value: body.data.data.token, expiresAt: now() + ttlMs - Math.min(expiryMarginMs, ttlMs / 2) };
    return token.value;
  };

  const currentToken = async (): Promise<string> =>
    token !== null && now() < token.expiresAt ? token.value : authenticate();

  /** A data call with the bearer token; a refused token (expired, revoked, single-use) is renewed once. */
  const authed = async (req: HttpRequest): Promise<HttpResponse> => {
    for (let renewed = false; ; renewed = true) {
      const value = await currentToken();
      const res = await http.request({
        ...req,
        headers: { ...req.headers, authorization: `Bearer ${value}` },
        acceptStatuses: [...(req.acceptStatuses ?? []), 401, 403],
      });
      if (res.status === 401 || res.status === 403) {
        token = null;
        if (!renewed) continue;
        throw refused(res, req.path);
      }
      // Personio echoes the token to use next (a new one in its older single-use mode).
      const echoed = /^Bearer\s+(\S+)$/i.exec(res.headers['authorization'] ?? '');
      if (echoed?.[1] !== undefined && token !== null) token = { ...token, value: echoed[1] };
      return res;
    }
  };

  const refused = (res: HttpResponse, path: string): AppError => {
    const said = redact(providerMessage(res.text));
    const their = said === '' ? '' : `: ${said}`;
    const shown = path.split('?')[0] ?? path;
    return sourceError({
      code: 'source_auth',
      kind: 'auth',
      provider,
      status: res.status,
      method: 'GET',
      path: shown,
      message:
        res.status === 403
          ? `Personio denied access to the employee list (403 on GET ${shown}${their}) with a fresh token. The API credential needs read access to Employees: in Personio open Settings > Integrations > API credentials, edit the credential, allow reading Employees, then 'Update credentials'.`
          : `Personio refused a token it had just issued (401 on GET ${shown}${their}). ${credentialsHint}, then 'Update credentials'.`,
    });
  };

  const fetchPage = async (p: { offset: number; limit: number }): Promise<PersonioPage> => {
    const path = '/v1/company/employees';
    const res = await authed({ path, query: { limit: p.limit, offset: p.offset } });
    const page = pageSchema.safeParse(res.json());
    if (!page.success) {
      throw badResponse(
        `Personio sent an employee list page that rostersync cannot read (offset ${p.offset}): ${firstIssue(page.error)}. Nothing was changed; if this repeats, contact Personio support.`,
        { status: res.status, path },
      );
    }
    const { data, metadata, limit } = page.data;
    return {
      employees: data,
      total: metadata.total_elements,
      offset: p.offset,
      limit: limit ?? p.limit,
    };
  };

  async function* employees(): AsyncGenerator<readonly PersonioEmployee[]> {
    const seen = new Set<string>();
    let offset = 0;
    let total: number | null = null;
    let pages = 0;
    for (;;) {
      const page = await fetchPage({ offset, limit: pageSize });
      pages += 1;
      // Offset paging over a list that changes shifts it: someone is read twice or skipped, and a
      // skipped person would look like a leaver. So any change of the total fails the run.
      if (total !== null && page.total !== total) {
        throw changed(`the total went from ${total} to ${page.total} between pages`, pages);
      }
      total = page.total;
      if (page.employees.length === 0) break;
      for (const e of page.employees) {
        const id = String(e.attributes.id?.value);
        if (seen.has(id)) throw changed(`employee ${id} appeared twice`, pages);
        seen.add(id);
      }
      // Advance by what arrived, not by what was asked: Personio may cap the page size.
      offset += page.employees.length;
      yield page.employees;
      if (seen.size >= total) break;
    }
    if (seen.size !== total) {
      throw badResponse(
        `Personio's employee list ended early: ${seen.size} of the ${total} employees it announced arrived in ${pages} page${pages === 1 ? '' : 's'}. Nothing was changed; if the next sync fails the same way, contact Personio support.`,
        { path: '/v1/company/employees' },
      );
    }
  }

  /** The list moved under us: a rerun fixes it, so the failure is transient. */
  const changed = (what: string, pages: number): AppError =>
    sourceError({
      code: 'source_bad_response',
      kind: 'transient',
      provider,
      method: 'GET',
      path: '/v1/company/employees',
      message: `Personio's employee list changed while it was read (${what}, page ${pages}). Nothing was changed; the next sync reads it again.`,
    });

  async function* employeesByIds(ids: readonly string[]): AsyncGenerator<readonly PersonioEmployee[]> {
    let batch: PersonioEmployee[] = [];
    for (const id of new Set(ids)) {
      // Personio ids are integers; anything else cannot name an employee.
      if (!/^\d+$/.test(id)) continue;
      const path = `/v1/company/employees/${id}`;
      const res = await authed({ path, acceptStatuses: [404] });
      if (res.status === 404) continue;
      const one = singleSchema.safeParse(res.json());
      if (!one.success) {
        throw badResponse(
          `Personio sent employee ${id} in a shape rostersync cannot read: ${firstIssue(one.error)}. Nothing was changed; if this repeats, contact Personio support.`,
          { status: res.status, path },
        );
      }
      batch.push(one.data.data);
      if (batch.length >= pageSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  return {
    fetchPage,
    employees,
    employeesByIds,
    tokenRequests: () => tokenRequests,
    close: () => http.close(),
  };
}

/** `res.json()`, but a body that is not JSON becomes `undefined` so the schema reports it. */
const safeJson = (res: HttpResponse): unknown => {
  try {
    return res.json();
  } catch {
    return undefined;
  }
};
