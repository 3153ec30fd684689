/** Local KiwiHR emulator: POST /api/graphql and /api/graphql/public with X-Api-Key, GraphQL users/teams pages. */
import type { ApiContext, FaultDecision, RunningEmulator } from '../_shared/emulator-kit.js';
import { startEmulator, truncateBody } from '../_shared/emulator-kit.js';
import type { HrPerson } from '../_shared/generator.js';
import { kiwihrGraphqlPaths } from './endpoint.js';
import { GqlSyntaxError, parseGraphql, type GqlOperation } from './graphql-lite.js';
import { execContext, execute, requestedPage, validate, type GqlErrorOut } from './emulator-schema.js';

/** Credentials the emulator accepts unless told otherwise; keys are the connector's config field names. */
export const kiwihrEmulatorDefaults = { apiKey: 'kiwihr-emulator-key' } as const;

/**
 * How a refused key is answered. KiwiHR does not document it: 'graphql' (default) is HTTP 200 with
 * an UNAUTHENTICATED error, the usual GraphQL-server behaviour; 'http' is HTTP 401 with the same body.
 */
export const kiwihrAuthFailures = ['graphql', 'http'] as const;
export type KiwihrAuthFailure = (typeof kiwihrAuthFailures)[number];

export interface KiwihrEmulatorOptions {
  readonly port?: number;
  readonly count?: number;
  readonly seed?: number;
  readonly people?: HrPerson[];
  readonly credentials?: Partial<{ apiKey: string }>;
  readonly today?: string;
  readonly authFailure?: KiwihrAuthFailure;
  /** Largest page a list query accepts (default 100, as KiwiHR documents). */
  readonly maxLimit?: number;
}

interface GraphqlRequest {
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly operationName: string | null;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const errorBody = (errors: readonly GqlErrorOut[]): { errors: readonly GqlErrorOut[]; data: null } => ({
  errors,
  data: null,
});
const statusText: Readonly<Record<number, string>> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Reads `{ query, variables, operationName }` from a POST body; a string is the error to answer with 400. */
function readRequest(body: string): GraphqlRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'POST body sent invalid JSON.';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'POST body must be a JSON object.';
  const { query, variables, operationName } = value as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '') return 'Must provide query string.';
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  ) {
    return 'Variables must be provided as an Object where each property is a variable value.';
  }
  return {
    query,
    variables: (variables ?? {}) as Record<string, unknown>,
    operationName: typeof operationName === 'string' && operationName !== '' ? operationName : null,
  };
}

/** Picks the operation to run, as GraphQL servers do; a string is the error message. */
function pickOperation(ops: readonly GqlOperation[], name: string | null): GqlOperation | string {
  const op = name === null ? (ops.length === 1 ? ops[0] : undefined) : ops.find((o) => o.name === name);
  if (op === undefined) {
    return name === null
      ? 'Must provide operation name if query contains multiple operations.'
      : `Unknown operation named "${name}".`;
  }
  if (op.type !== 'query') return `The KiwiHR emulator serves queries only, not ${op.type}s.`;
  return op;
}

/**
 * Starts the KiwiHR emulator on 127.0.0.1. `url` is `<origin>/api/graphql`, what an admin types;
 * `/api/graphql/public` answers too. Every API request calls `fault(page)` once, page = offset / limit + 1
 * of the query's first list field.
 *
 * @example
 * const emu = await startKiwihrEmulator({ count: 250, seed: 7 });
 * // config: { apiKey: emu.state.credentials.apiKey, url: emu.url }
 */
export function startKiwihrEmulator(o: KiwihrEmulatorOptions = {}): Promise<RunningEmulator> {
  const authFailure = o.authFailure ?? 'graphql';
  const maxLimit = o.maxLimit ?? 100;
  const handle = async (ctx: ApiContext): Promise<void> => {
    const path = ctx.url.pathname.replace(/\/+$/, '');
    if (!(kiwihrGraphqlPaths as readonly string[]).includes(path)) {
      ctx.send(404, '<!doctype html><title>Not Found</title><h1>Not Found</h1>', {
        'content-type': 'text/html',
      });
      return;
    }
    if (ctx.method !== 'POST') {
      ctx.json(
        405,
        errorBody([{ message: 'Only POST is supported.', extensions: { code: 'BAD_REQUEST' } }]),
        {
          allow: 'POST',
        },
      );
      return;
    }
    const request = readRequest(ctx.body);
    let ops: GqlOperation[] | GqlSyntaxError | null = null;
    if (typeof request !== 'string') {
      try {
        ops = parseGraphql(request.query);
      } catch (error) {
        if (!(error instanceof GqlSyntaxError)) throw error;
        ops = error;
      }
    }
    const op =
      Array.isArray(ops) && typeof request !== 'string' ? pickOperation(ops, request.operationName) : null;
    const variables = typeof request === 'string' ? {} : withDefaults(op, request.variables);
    const page = op !== null && typeof op !== 'string' ? requestedPage({ op, variables }) : 1;

    const decision: FaultDecision = await ctx.fault(page);
    if (decision.action === 'reset') return ctx.destroy();
    if (decision.action === 'status') {
      const text = statusText[decision.status] ?? 'Error';
      ctx.json(
        decision.status,
        errorBody([{ message: text, extensions: { code: text.toUpperCase().replace(/ /g, '_') } }]),
        {
          ...decision.headers,
        },
      );
      return;
    }
    const key = ctx.headers['x-api-key'];
    if (decision.action === 'revoked' || key === undefined || key !== ctx.state.credentials['apiKey']) {
      const message = key === undefined || key === '' ? 'Missing API key' : 'Invalid API key';
      const body = errorBody([{ message, extensions: { code: 'UNAUTHENTICATED' } }]);
      ctx.json(authFailure === 'http' ? 401 : 200, body);
      return;
    }
    const answer = (status: number, value: unknown): void => {
      const text = JSON.stringify(value);
      ctx.send(status, decision.action === 'malformed' ? truncateBody(text) : text, JSON_TYPE);
    };
    if (typeof request === 'string')
      return answer(400, errorBody([{ message: request, extensions: { code: 'BAD_REQUEST' } }]));
    if (ops instanceof GqlSyntaxError) {
      return answer(
        200,
        errorBody([
          { message: ops.message, locations: [ops.loc], extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
        ]),
      );
    }
    if (typeof op === 'string' || op === null) {
      return answer(
        200,
        errorBody([{ message: op ?? 'No operation.', extensions: { code: 'BAD_REQUEST' } }]),
      );
    }
    const invalid = validate({ op, variables });
    if (invalid.length > 0) return answer(200, { errors: invalid });
    const result = execute({ op, variables, ctx: execContext({ people: ctx.state.people, maxLimit }) });
    answer(
      200,
      result.errors.length > 0 ? { errors: result.errors, data: result.data } : { data: result.data },
    );
  };

  return startEmulator({
    provider: 'KiwiHR',
    ...(o.people === undefined ? {} : { people: o.people }),
    ...(o.count === undefined ? {} : { count: o.count }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.today === undefined ? {} : { today: o.today }),
    credentials: { ...kiwihrEmulatorDefaults, ...o.credentials },
    handle,
    publicUrl: (origin) => `${origin}/api/graphql`,
  });
}

/** Variables as sent, with the operation's declared defaults filled in. */
function withDefaults(
  op: GqlOperation | string | null,
  variables: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  if (op === null || typeof op === 'string') return variables;
  const out: Record<string, unknown> = { ...variables };
  for (const v of op.variables) {
    if (out[v.name] === undefined && v.defaultValue?.kind === 'literal') out[v.name] = v.defaultValue.value;
  }
  return out;
}
