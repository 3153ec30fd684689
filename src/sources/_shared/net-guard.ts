/** SSRF guard for connector URLs: https only, host allow-list, no private/loopback targets (checked again at connect). */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { AppError } from '../../core/errors.js';
import { err, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';

/** Options of {@link checkUrl}. */
export interface CheckUrlOptions {
  /** The host must match this pattern as a whole (e.g. `/^[a-z0-9-]+\.kiwihr\.com$/`). */
  readonly allowedHosts?: RegExp;
  /** Emulators: lets `http://127.0.0.1:port` and `localhost` through (loopback only, never 10/8 etc.). */
  readonly allowLoopback: boolean;
  /** Display name for messages: 'Personio'. */
  readonly provider: string;
}

/** Thrown by {@link guardedLookup} (and the connect hook of the HTTP client) for a forbidden address. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_ROSTERSYNC_BLOCKED_ADDRESS';
  readonly host: string;
  constructor(host: string, address: string) {
    super(
      `refused to connect to ${host}: it resolves to ${address}, a private, loopback or reserved address`,
    );
    this.name = 'BlockedAddressError';
    this.host = host;
  }
}

const ipv4ToInt = (ip: string): number => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);

// [network, prefix length]: everything that is not public unicast (RFC 6890 and friends).
const blockedV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const inV4 = (ip: string, [net, bits]: readonly [string, number]): boolean => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (ipv4ToInt(ip) & mask) >>> 0 === (ipv4ToInt(net) & mask) >>> 0;
};

/** Expands an IPv6 address to its 8 groups (handles `::` and a trailing dotted IPv4). */
const ipv6Groups = (ip: string): number[] => {
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToInt(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const fill = rest === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...fill, ...right];
};

const embeddedV4 = (g: readonly number[]): string =>
  [(g[6] ?? 0) >> 8, (g[6] ?? 0) & 0xff, (g[7] ?? 0) >> 8, (g[7] ?? 0) & 0xff].join('.');

/** Whether an IP literal is loopback (127.0.0.0/8, ::1, or an IPv4-mapped loopback). */
export const isLoopbackIp = (ip: string): boolean => {
  const family = isIP(ip);
  if (family === 4) return inV4(ip, ['127.0.0.0', 8]);
  if (family !== 6) return false;
  const g = ipv6Groups(ip);
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  return mapped && inV4(embeddedV4(g), ['127.0.0.0', 8]);
};

/** Whether an IP literal is anything but public unicast: private, loopback, link-local, metadata, ULA, multicast. */
export const isBlockedIp = (ip: string): boolean => {
  const family = isIP(ip);
  if (family === 4) return blockedV4.some((range) => inV4(ip, range));
  if (family !== 6) return true;
  const g = ipv6Groups(ip);
  const first = g[0] ?? 0;
  if (g.every((x) => x === 0)) return true; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true; // ::1
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 (ULA, includes fd00:ec2::254)
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10
  if ((first & 0xff00) === 0xff00) return true; // multicast
  if (first === 0x2001 && g[1] === 0x0db8) return true; // documentation
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) hide an IPv4 address.
  const mapped = g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0);
  const nat64 = first === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (mapped || nat64) return isBlockedIp(embeddedV4(g));
  return false;
};

const stripBrackets = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

/** Whether a host name (or literal) is loopback: localhost, *.localhost, 127/8, ::1. */
export const isLoopbackHost = (host: string): boolean => {
  const h = stripBrackets(host.toLowerCase()).replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || isLoopbackIp(h);
};

/** Whether `address` may be connected to under the given loopback policy. */
export const isAddressAllowed = (o: { address: string; allowLoopback: boolean }): boolean =>
  !isBlockedIp(o.address) || (o.allowLoopback && isLoopbackIp(o.address));

const fullMatch = (pattern: RegExp, text: string): boolean => {
  // A copy without g/y flags: exec on the caller's regex would move its lastIndex.
  const m = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')).exec(text);
  return m !== null && m.index === 0 && m[0] === text;
};

/**
 * Checks a connector URL before any connection: https only (http only to loopback when allowed),
 * no credentials in the URL, default port, host matching `allowedHosts` as a whole, and no literal
 * private/loopback/link-local/metadata IP (loopback passes only with `allowLoopback`).
 *
 * @example
 * checkUrl('https://acme.kiwihr.com/api/graphql', { allowedHosts: /^[a-z0-9-]+\.kiwihr\.com$/, allowLoopback: false, provider: 'KiwiHR' });
 */
export function checkUrl(url: string, o: CheckUrlOptions): Result<URL, AppError> {
  const refuse = (why: string): Result<URL, AppError> =>
    err(
      new AppError(
        'invalid_config',
        `The ${o.provider} URL is not allowed: ${why}. Enter the address of your ${o.provider} account (https).`,
        { kind: 'config', details: { provider: o.provider } },
      ),
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('it is not a valid URL');
  }
  if (parsed.username !== '' || parsed.password !== '')
    return refuse('it must not contain a user name or password');
  const host = stripBrackets(parsed.hostname);
  const loopback = isLoopbackHost(host);
  if (loopback && o.allowLoopback) {
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return refuse('it must use https');
    return ok(parsed);
  }
  if (parsed.protocol !== 'https:') return refuse('it must use https');
  if (parsed.port !== '' && parsed.port !== '443') return refuse(`port ${parsed.port} is not the https port`);
  if (isIP(host) !== 0) {
    return isBlockedIp(host) ? refuse(`${host} is a private, loopback or reserved address`) : ok(parsed);
  }
  if (loopback) return refuse(`${host} is a loopback host`);
  if (o.allowedHosts !== undefined && !fullMatch(o.allowedHosts, host)) {
    return refuse(`${host} is not a ${o.provider} host`);
  }
  return ok(parsed);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** Options of {@link guardedLookup}. */
export interface GuardedLookupOptions {
  /** The resolver to guard (default `dns.lookup`); tests inject a fake one. */
  readonly resolver?: LookupFunction;
}

/**
 * A `dns.lookup`-compatible function for undici's `connect.lookup`: resolves, then refuses (before
 * any socket opens) a name whose addresses include a private/loopback/reserved one. Loopback passes
 * when `allowLoopback`. Checking at connect time closes the check-then-resolve (TOCTOU) gap.
 */
export function guardedLookup(allowLoopback: boolean, options: GuardedLookupOptions = {}): LookupFunction {
  const resolver: LookupFunction = options.resolver ?? dnsLookup;
  return (hostname: string, opts: LookupOptions, callback: LookupCallback): void => {
    const allOpts: LookupAllOptions = { ...opts, all: true };
    resolver(hostname, allOpts, (error, result) => {
      if (error) {
        callback(error, '');
        return;
      }
      const addresses: LookupAddress[] =
        typeof result === 'string' ? [{ address: result, family: isIP(result) }] : result;
      const bad = addresses.find((a) => !isAddressAllowed({ address: a.address, allowLoopback }));
      if (bad !== undefined) {
        callback(new BlockedAddressError(hostname, bad.address), '');
        return;
      }
      const first = addresses[0];
      if (first === undefined) {
        const none: NodeJS.ErrnoException = new Error(`no address found for ${hostname}`);
        none.code = 'ENOTFOUND';
        callback(none, '');
        return;
      }
      if (opts.all === true) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
