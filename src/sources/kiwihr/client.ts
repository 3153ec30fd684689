/** KiwiHR GraphQL client: X-Api-Key auth, offset/limit pages of `users`, GraphQL errors mapped, completeness checked. */
import { z } from 'zod';
import { isAppError, type AppError } from '../../core/errors.js';
import type { CheckInfo, SourceContext } from '../contract.js';
import { createHttpClient, sourceError, type HttpClient } from '../_shared/http.js';
import { backoffDelay, retrySettings, wait } from '../_shared/retry.js';
import { kiwihrHostPattern, parseKiwihrUrl, type KiwihrEndpoint } from './endpoint.js';
import { graphqlFailure } from './graphql-errors.js';
import type { KiwihrUser } from './map.js';
import type { KiwihrConfig } from './spec.js';

const PROVIDER = 'KiwiHR';
/** KiwiHR's documented maximum page size for list queries (1–100). */
export const KIWIHR_PAGE_SIZE = 100;

/** The one query the connector sends; `Int` (nullable) variables as KiwiHR's own clients declare them. */
export const usersQuery = `query RostersyncUsers($offset: Int, $limit: Int) {
  users(offset: $offset, limit: $limit) {
    items {
      id firstName lastName email birthDate employeeNumber
      employmentStartDate employmentEndDate isActive
      position { name }
      teams { name }
      manager { id }
    }
    pageInfo { offset limit count }
  }
}`;

const id = z.union([z.string(), z.number()]);
const named = z.looseObject({ name: z.string().nullish() });
const userSchema = z.looseObject({
  id,
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  birthDate: z.string().nullish(),
  employeeNumber: id.nullish(),
  employmentStartDate: z.string().nullish(),
  employmentEndDate: z.string().nullish(),
  isActive: z.boolean().nullish(),
  position: named.nullish(),
  teams: z.array(named.nullable()).nullish(),
  manager: z.looseObject({ id: id.nullish() }).nullish(),
});
const usersDataSchema = z.object({
  users: z.object({
    items: z.array(userSchema),
    pageInfo: z.looseObject({
      offset: z.number().int().nullish(),
      limit: z.number().int().nullish(),
      count: z.number().int().nonnegative(),
    }),
  }),
});
const envelopeSchema = z.looseObject({
  data: z.unknown().optional(),
  errors: z.array(z.looseObject({ message: z.unknown().optional() })).optional(),
});

/** One page of `users` as KiwiHR returned it. */
export interface KiwihrUsersPage {
  readonly items: readonly KiwihrUser[];
  readonly offset: number;
  /** The page size KiwiHR applied (`pageInfo.limit` when it capped the request, else the requested one). */
  readonly limit: number;
  /** Total number of users KiwiHR reports (`pageInfo.count`). */
  readonly count: number;
}

export interface KiwihrClient {
  readonly endpoint: KiwihrEndpoint;
  /** One `users` page. */
  usersPage(o: { offset: number; limit: number }): Promise<KiwihrUsersPage>;
  /** Every user, page by page; throws when a page fails or the pages do not add up to `count`. */
  users(): AsyncGenerator<readonly KiwihrUser[]>;
  /** Authenticates and reads one page. */
  preflight(): Promise<CheckInfo>;
  close(): Promise<void>;
}

const badResponse = (message: string, label: string): AppError =>
  sourceError({
    code: 'source_bad_response',
    kind: 'system',
    provider: PROVIDER,
    message,
    method: 'POST',
    path: label,
  });

/**
 * Creates a client for one KiwiHR account. Throws `invalid_config` when the URL is not one of
 * KiwiHR's two GraphQL endpoints (or a loopback emulator without `ctx.allowLoopback`).
 */
export function createKiwihrClient(o: {
  config: KiwihrConfig;
  ctx: SourceContext;
  pageSize?: number;
}): KiwihrClient {
  const { config, ctx } = o;
  const parsed = parseKiwihrUrl(config.url, { allowLoopback: ctx.allowLoopback });
  if (!parsed.ok) throw parsed.error;
  const endpoint = parsed.value;
  const apiKey = config.apiKey.trim();
  const secrets = [apiKey];
  const pageSize = Math.min(Math.max(1, o.pageSize ?? KIWIHR_PAGE_SIZE), KIWIHR_PAGE_SIZE);
  const label = endpoint.path;
  const http: HttpClient = createHttpClient({
    baseUrl: endpoint.origin,
    provider: PROVIDER,
    ctx,
    allowedHosts: kiwihrHostPattern,
    headers: { 'x-api-key': apiKey, accept: 'application/json' },
    secrets,
    authHint:
      'Check the API key in KiwiHR under Settings → API keys (a lost key cannot be shown again: create a new one)',
  });
  const settings = retrySettings(ctx);

  const postOnce = async (variables: Record<string, unknown>): Promise<unknown> => {
    const res = await http.request({
      method: 'POST',
      path: endpoint.path,
      body: JSON.stringify({ operationName: 'RostersyncUsers', query: usersQuery, variables }),
    });
    const envelope = envelopeSchema.safeParse(res.json());
    if (!envelope.success) {
      throw badResponse(
        `${PROVIDER} answered POST ${label} with JSON that is not a GraphQL response.`,
        label,
      );
    }
    const { errors, data } = envelope.data;
    if (errors !== undefined && errors.length > 0) {
      throw graphqlFailure({ errors, provider: PROVIDER, label: `POST ${label}`, secrets });
    }
    return data;
  };

  // The http client retries HTTP-level faults; a GraphQL-level transient error (HTTP 200) gets the same policy here.
  const post = async (variables: Record<string, unknown>): Promise<unknown> => {
    for (let n = 0; ; n++) {
      try {
        return await postOnce(variables);
      } catch (error) {
        const graphqlTransient =
          isAppError(error) && error.kind === 'transient' && error.details?.['graphql'] === true;
        if (!graphqlTransient || n >= settings.retries) throw error;
        if (ctx.stats) ctx.stats.retries += 1;
        await wait({
          ms: backoffDelay({ attempt: n, ...settings }),
          signal: ctx.signal,
          sleep: settings.sleep,
        });
      }
    }
  };

  const usersPage = async (p: { offset: number; limit: number }): Promise<KiwihrUsersPage> => {
    const data = usersDataSchema.safeParse(await post({ offset: p.offset, limit: p.limit }));
    if (!data.success) {
      const where = data.error.issues[0]?.path.join('.') ?? '';
      throw badResponse(
        `${PROVIDER} answered POST ${label} (users at offset ${p.offset}) with an unexpected shape` +
          `${where === '' ? '' : ` at ${where}`}. Nothing was applied; if this persists, contact KiwiHR support.`,
        label,
      );
    }
    const { items, pageInfo } = data.data.users;
    if (pageInfo.offset !== undefined && pageInfo.offset !== null && pageInfo.offset !== p.offset) {
      throw badResponse(
        `${PROVIDER} answered the users page at offset ${p.offset} with offset ${pageInfo.offset}; the roster cannot be read reliably. Nothing was applied.`,
        label,
      );
    }
    // A server that caps the page below what was asked says so in pageInfo.limit; the reader follows it.
    const limit =
      pageInfo.limit != null && pageInfo.limit >= 1 && pageInfo.limit < p.limit ? pageInfo.limit : p.limit;
    return { items: items as readonly KiwihrUser[], offset: p.offset, limit, count: pageInfo.count };
  };

  async function* users(): AsyncGenerator<readonly KiwihrUser[]> {
    const seen = new Set<string>();
    let offset = 0;
    let total: number | null = null;
    for (;;) {
      const page = await usersPage({ offset, limit: pageSize });
      total ??= page.count;
      if (page.count !== total) {
        throw sourceError({
          code: 'source_unavailable',
          kind: 'transient',
          provider: PROVIDER,
          method: 'POST',
          path: label,
          message: `${PROVIDER}'s user count changed while rostersync was reading it (${total} → ${page.count}), so pages may have shifted. Nothing was applied; the next run reads the roster again.`,
        });
      }
      const expected = Math.min(page.limit, total - offset);
      if (page.items.length !== expected) {
        throw badResponse(
          `${PROVIDER} returned ${page.items.length} users at offset ${offset} where ${expected} were expected ` +
            `(${total} in total): the roster would be incomplete, so nothing was applied. The next run reads it again.`,
          label,
        );
      }
      for (const user of page.items) {
        const key = String(user.id);
        if (seen.has(key)) {
          throw badResponse(
            `${PROVIDER} returned user ${key} on two pages: the pages overlap and the roster would be incomplete. Nothing was applied.`,
            label,
          );
        }
        seen.add(key);
      }
      ctx.log?.('kiwihr users page', { offset, items: page.items.length, count: total });
      if (page.items.length > 0) yield page.items;
      offset += page.items.length;
      if (offset >= total) return;
    }
  }

  const preflight = async (): Promise<CheckInfo> => {
    const page = await usersPage({ offset: 0, limit: pageSize });
    const where = endpoint.kind === 'public' ? 'the public KiwiHR API' : endpoint.host;
    return {
      summary: `Connected to ${where}: ${page.count} user${page.count === 1 ? '' : 's'} (${page.items.length} read on the first page).`,
      sample: page.items.length,
    };
  };

  return { endpoint, usersPage, users, preflight, close: () => http.close() };
}
