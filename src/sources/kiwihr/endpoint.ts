/** KiwiHR endpoint URL: accepts exactly the two real GraphQL addresses (and a loopback emulator when allowed). */
import { AppError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';

/** Host names KiwiHR serves its API from: `<company>.kiwihr.com` and `api.kiwihr.com` (one DNS label each). */
export const kiwihrHostPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.kiwihr\.com$/;

/** The legacy per-company endpoint (the form KiwiHR's own setup guide gives) and the newer public one. */
export const kiwihrGraphqlPaths = ['/api/graphql', '/api/graphql/public'] as const;
export type KiwihrGraphqlPath = (typeof kiwihrGraphqlPaths)[number];

export const kiwihrUrlFormat = 'https://<company>.kiwihr.com/api/graphql';
const PUBLIC_HOST = 'api.kiwihr.com';
const PUBLIC_URL = `https://${PUBLIC_HOST}/api/graphql/public`;
const LOOPBACK_HOSTS = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])$/;

/** A validated endpoint: `origin` + `path` is where the GraphQL POSTs go. */
export interface KiwihrEndpoint {
  readonly origin: string;
  readonly path: KiwihrGraphqlPath;
  /** For messages: `acme.kiwihr.com`, `api.kiwihr.com` or `127.0.0.1:4010`. */
  readonly host: string;
  readonly kind: 'company' | 'public' | 'loopback';
}

const configError = (message: string): AppError =>
  new AppError('invalid_config', message, { kind: 'config', details: { field: 'url' } });

const expected = (what: string): AppError =>
  configError(
    `${what} Enter your KiwiHR address with /api/graphql appended, like ${kiwihrUrlFormat} ` +
      `(or the public endpoint ${PUBLIC_URL}).`,
  );

/** One trailing slash is forgiven: admins paste addresses from the browser bar. */
const trimSlash = (path: string): string =>
  path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;

const isGraphqlPath = (path: string): path is KiwihrGraphqlPath =>
  (kiwihrGraphqlPaths as readonly string[]).includes(path);

/**
 * Checks the URL an admin entered. Only `https://<company>.kiwihr.com/api/graphql` and
 * `https://api.kiwihr.com/api/graphql/public` pass; `http://127.0.0.1:PORT/api/graphql[/public]`
 * (the emulator) passes only when `allowLoopback`. Messages never repeat userinfo or query strings.
 *
 * @example
 * parseKiwihrUrl('https://acme.kiwihr.com/api/graphql', { allowLoopback: false }) // ok({ host: 'acme.kiwihr.com', ... })
 * parseKiwihrUrl('https://acme.kiwihr.com', { allowLoopback: false }) // err: append /api/graphql ...
 */
export function parseKiwihrUrl(raw: string, o: { allowLoopback: boolean }): Result<KiwihrEndpoint, AppError> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return err(expected('The KiwiHR URL is not a valid web address.'));
  }
  if (url.username !== '' || url.password !== '') {
    return err(expected('The KiwiHR URL must not contain a user name or password.'));
  }
  if (url.search !== '' || url.hash !== '') {
    return err(expected('The KiwiHR URL must not contain a query (?...) or fragment (#...).'));
  }
  const path = trimSlash(url.pathname);
  if (LOOPBACK_HOSTS.test(url.hostname) && (url.protocol === 'http:' || url.protocol === 'https:')) {
    if (!o.allowLoopback) {
      return err(
        configError(
          `The KiwiHR URL points to this machine (${url.host}), which is only allowed for the local emulator. ` +
            `Enter your KiwiHR address with /api/graphql appended, like ${kiwihrUrlFormat}.`,
        ),
      );
    }
    if (!isGraphqlPath(path)) {
      return err(expected(`The path ${path} on ${url.host} is not a KiwiHR GraphQL endpoint.`));
    }
    return ok({ origin: url.origin, path, host: url.host, kind: 'loopback' });
  }
  if (url.protocol !== 'https:') return err(expected('The KiwiHR URL must start with https://.'));
  if (url.port !== '') return err(expected('The KiwiHR URL must not name a port.'));
  if (!kiwihrHostPattern.test(url.hostname)) {
    return err(expected(`${url.hostname} is not a KiwiHR address.`));
  }
  const host = url.hostname;
  if (host === PUBLIC_HOST) {
    if (path === '/api/graphql/public') return ok({ origin: url.origin, path, host, kind: 'public' });
    return err(
      configError(`The public KiwiHR endpoint is ${PUBLIC_URL}; other paths on ${host} are not supported.`),
    );
  }
  if (path === '/api/graphql') return ok({ origin: url.origin, path, host, kind: 'company' });
  if (path === '' || path === '/') {
    return err(configError(`Append /api/graphql to your KiwiHR address: https://${host}/api/graphql.`));
  }
  return err(expected(`The path ${path} is not KiwiHR's GraphQL endpoint.`));
}
