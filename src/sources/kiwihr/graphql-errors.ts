/** Maps GraphQL `errors` (KiwiHR answers HTTP 200 with them) to AppError kinds: auth, config, transient, system. */
import { AppError, type ErrorCode, type FailureKind } from '../../core/errors.js';
import { redact } from '../_shared/http.js';

/** One entry of a GraphQL response's `errors` array (only what we read). */
export interface GraphqlError {
  readonly message?: unknown;
  readonly extensions?: { readonly code?: unknown } | null;
}

const rules: readonly {
  readonly kind: FailureKind;
  readonly code: ErrorCode;
  readonly codes: readonly string[];
  readonly words: RegExp;
}[] = [
  {
    kind: 'auth',
    code: 'source_auth',
    codes: [
      'UNAUTHENTICATED',
      'UNAUTHORIZED',
      'INVALID_API_KEY',
      'FORBIDDEN',
      'ACCESS_DENIED',
      'PERMISSION_DENIED',
    ],
    words:
      /api[ -]?key|unauthori[sz]ed|unauthenticated|not authenticated|authenticat|forbidden|permission|access denied|not allowed/i,
  },
  {
    kind: 'config',
    code: 'invalid_config',
    codes: ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST'],
    words: /cannot query field|unknown argument|unknown type|syntax error|validation|must have a selection/i,
  },
  {
    kind: 'transient',
    code: 'source_unavailable',
    codes: ['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'TOO_MANY_REQUESTS', 'RATE_LIMITED', 'TIMEOUT'],
    words: /timed? ?out|temporar|unavailable|try again|rate limit|too many requests|internal server error/i,
  },
];

const isPermission = (code: string, message: string): boolean =>
  ['FORBIDDEN', 'ACCESS_DENIED', 'PERMISSION_DENIED'].includes(code) ||
  /forbidden|permission|access denied|not allowed/i.test(message);

/**
 * Turns the `errors` of one GraphQL response into an AppError: the first error that names an
 * extension code decides, else its message's wording; anything unrecognised is a 'system' error.
 * Partial data (`data` next to `errors`) is never trusted: a half-read roster must not be applied.
 */
export function graphqlFailure(o: {
  errors: readonly GraphqlError[];
  provider: string;
  label: string;
  secrets: readonly string[];
}): AppError {
  const first = o.errors[0] ?? {};
  const message =
    typeof first.message === 'string' ? first.message.replace(/\s+/g, ' ').trim().slice(0, 300) : '';
  const code = typeof first.extensions?.code === 'string' ? first.extensions.code.toUpperCase() : '';
  const rule = rules.find((r) => r.codes.includes(code)) ?? rules.find((r) => r.words.test(message));
  const said = message === '' ? '' : `: ${message}`;
  const more =
    o.errors.length > 1 ? ` (and ${o.errors.length - 1} more error${o.errors.length > 2 ? 's' : ''})` : '';
  let text: string;
  switch (rule?.kind) {
    case 'auth':
      text = isPermission(code, message)
        ? `${o.provider} denied access to its users (${o.label})${said}. The API key acts as the company's first administrator: make sure the KiwiHR company still has an active administrator, then 'Update credentials'.`
        : `${o.provider} refused the API key (${o.label})${said}. Check the key in KiwiHR under Settings → API keys (a lost key cannot be shown again: create a new one), then 'Update credentials'.`;
      break;
    case 'config':
      text = `${o.provider} did not accept rostersync's users query (${o.label})${said}${more}. The URL may point to another API: use https://<company>.kiwihr.com/api/graphql or https://api.kiwihr.com/api/graphql/public.`;
      break;
    case 'transient':
      text = `${o.provider} is unavailable (${o.label})${said}${more}. rostersync will try again on the next run.`;
      break;
    default:
      text = `${o.provider} answered ${o.label} with an error rostersync cannot interpret${said || ' (no message)'}${more}${code === '' ? '' : ` [${code}]`}. Nothing was applied; if this persists, contact KiwiHR support.`;
  }
  const [method = 'POST', path = ''] = o.label.split(' ');
  return new AppError(rule?.code ?? 'source_bad_response', redact({ text, secrets: o.secrets }), {
    kind: rule?.kind ?? 'system',
    // `graphql` tells the client this came in an HTTP 200 body, so its own retry applies (not the http client's).
    details: {
      provider: o.provider,
      method,
      path,
      graphql: true,
      ...(code === '' ? {} : { graphqlCode: code }),
    },
  });
}
