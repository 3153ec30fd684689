/** Request logging: pino with secrets redacted (headers, cookies, credentials) and webhook tokens cut from URLs. */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/** Keys whose values are secrets wherever they appear in a logged object (up to three levels deep). */
const secretKeys = [
  'password',
  'apiKey',
  'token',
  'secret',
  'clientSecret',
  'credentials',
  'csrfToken',
  'key',
  'config',
] as const;

export const redactPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...secretKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

/** `/webhooks/peoplehr/<token>` → `/webhooks/peoplehr/[redacted]`: the token is the credential. */
export function redactUrl(url: string): string {
  return url
    .replace(/^(\/webhooks\/[^/?#]+\/)[^/?#]+/, '$1[redacted]')
    .replace(secretQuery, '$1$2=[redacted]');
}

/** Query parameters that carry a credential when a client wrongly puts one in a URL. */
const secretQuery = /([?&])(api_?key|key|token|access_token|secret|password)=[^&#]*/gi;

/**
 * Fastify `logger` options: `false` logs nothing, `true` logs at `level`, an object is merged in (tests
 * pass `{ stream }` to read the log). Redaction and the URL serializer are always applied.
 */
export function loggerOptions(o: {
  logger: boolean | object | undefined;
  level: string;
}): Exclude<FastifyServerOptions['logger'], undefined> {
  if (o.logger === false || o.logger === undefined) return false;
  const extra = o.logger === true ? {} : (o.logger as Record<string, unknown>);
  return {
    level: o.level,
    ...extra,
    redact: { paths: [...redactPaths], censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        host: req.hostname,
        remoteAddress: req.ip,
      }),
    },
  };
}
