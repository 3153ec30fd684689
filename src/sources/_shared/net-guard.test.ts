/** Tests of the SSRF guard: URL rules, IP classification, and the connect-time lookup with a loopback canary. */
import { createServer } from 'node:net';
import type { AddressInfo, LookupFunction, Server } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUrl, guardedLookup, isBlockedIp, isLoopbackHost } from './net-guard.js';

const kiwi = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.kiwihr\.com$/;
const check = (url: string, allowLoopback = false) =>
  checkUrl(url, { allowedHosts: kiwi, allowLoopback, provider: 'KiwiHR' });

describe('checkUrl', () => {
  it('accepts an https URL on an allowed host', () => {
    const r = check('https://acme.kiwihr.com/api/graphql');
    expect(r.ok && r.value.hostname).toBe('acme.kiwihr.com');
  });

  it.each([
    ['http://acme.kiwihr.com/', 'https'],
    ['https://127.0.0.1/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://0x7f000001/', '127.0.0.1'],
    ['https://2130706433/', '127.0.0.1'],
    ['https://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['https://[::ffff:127.0.0.1]/', 'loopback'],
    ['https://10.0.0.5/', '10.0.0.5'],
    ['https://172.16.3.4/', '172.16.3.4'],
    ['https://192.168.1.1/', '192.168.1.1'],
    ['https://0.0.0.0/', '0.0.0.0'],
    ['https://[fd00:ec2::254]/', 'fd00:ec2::254'],
    ['https://[fe80::1]/', 'fe80::1'],
    ['https://kiwihr.com.evil.test/', 'not a KiwiHR host'],
    ['https://evil.test#.kiwihr.com', 'not a KiwiHR host'],
    ['https://user@evil.test/', 'user name'],
    ['https://acme.kiwihr.com:8443/', 'port 8443'],
    ['https://localhost/', 'loopback'],
    ['not a url', 'not a valid URL'],
    ['file:///etc/passwd', 'https'],
  ])('refuses %s', (url, why) => {
    const r = check(url);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_config');
      expect(r.error.kind).toBe('config');
      expect(r.error.message).toContain(why);
      expect(r.error.message).toContain('KiwiHR');
    }
  });

  it('lets loopback (http too) through only with allowLoopback, skipping the allow-list', () => {
    expect(check('http://127.0.0.1:4010/api/graphql', true).ok).toBe(true);
    expect(check('http://localhost:4010/', true).ok).toBe(true);
    expect(check('http://[::1]:4010/', true).ok).toBe(true);
    expect(check('http://127.0.0.1:4010/', false).ok).toBe(false);
  });

  it('never lets private, non-loopback addresses through, even with allowLoopback', () => {
    expect(check('http://10.0.0.5:4010/', true).ok).toBe(false);
    expect(check('https://169.254.169.254/', true).ok).toBe(false);
    expect(check('http://acme.kiwihr.com/', true).ok).toBe(false);
  });

  it('matches the allow-list against the whole host, even with an unanchored pattern', () => {
    const loose = checkUrl('https://kiwihr.com.evil.test/', {
      allowedHosts: /kiwihr\.com/g,
      allowLoopback: false,
      provider: 'KiwiHR',
    });
    expect(loose.ok).toBe(false);
    expect(
      checkUrl('https://kiwihr.com/', { allowedHosts: /kiwihr\.com/g, allowLoopback: false, provider: 'K' })
        .ok,
    ).toBe(true);
  });

  it('accepts a public IP literal', () => {
    expect(checkUrl('https://93.184.216.34/', { allowLoopback: false, provider: 'X' }).ok).toBe(true);
  });
});

describe('isBlockedIp / isLoopbackHost', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.31.255.255', '192.168.0.1', '169.254.169.254', '0.0.0.0',
    '100.64.0.1', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::abcd', '::ffff:10.0.0.1', '::ffff:7f00:1',
    '64:ff9b::a00:1', 'ff02::1', '224.0.0.1',
  ])('blocks %s', (ip) => expect(isBlockedIp(ip)).toBe(true)); // prettier-ignore

  it.each(['8.8.8.8', '172.32.0.1', '93.184.216.34', '2a00:1450:4001::200e', '::ffff:8.8.8.8'])(
    'allows %s',
    (ip) => expect(isBlockedIp(ip)).toBe(false),
  );

  it('knows loopback hosts', () => {
    expect(['localhost', 'LOCALHOST.', 'a.localhost', '127.0.0.2', '[::1]'].map(isLoopbackHost)).toEqual([
      true, true, true, true, true,
    ]); // prettier-ignore
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});

describe('guardedLookup at connect time', () => {
  let canary: Server;
  let port = 0;
  let hits = 0;

  beforeAll(async () => {
    canary = createServer((socket) => {
      hits += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    port = (canary.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => canary.close(() => resolve())));

  /** A resolver that maps every name to one address, as a poisoned DNS would. */
  const fakeResolver =
    (address: string): LookupFunction =>
    (_host, options, callback) => {
      if (options.all === true) callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
      else callback(null, address, address.includes(':') ? 6 : 4);
    };

  const tryConnect = (lookup: LookupFunction): Promise<'connected' | Error> =>
    new Promise((resolve) => {
      const socket = connect({ host: 'acme.kiwihr.com', port, lookup });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error) => resolve(error));
    });

  it('refuses a name that resolves to loopback; the canary records no hit', async () => {
    const before = hits;
    const outcome = await tryConnect(guardedLookup(false, { resolver: fakeResolver('127.0.0.1') }));
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toContain('private, loopback or reserved');
    expect(hits - before).toBe(0);
  });

  it('refuses a name resolving to a private address even with allowLoopback', async () => {
    const lookup = guardedLookup(true, { resolver: fakeResolver('10.0.0.5') });
    const result = await new Promise<unknown>((resolve) => {
      lookup('acme.kiwihr.com', {}, (error, address) => resolve(error ?? address));
    });
    expect(result).toBeInstanceOf(Error);
  });

  it('connects when loopback is allowed (the canary sees the hit, so the test above can fail)', async () => {
    const before = hits;
    const outcome = await tryConnect(guardedLookup(true, { resolver: fakeResolver('127.0.0.1') }));
    expect(outcome).toBe('connected');
    // The server may see the connection a tick after the client does: poll, bounded.
    for (let i = 0; i < 200 && hits === before; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(hits - before).toBe(1);
  });

  it('answers in the shape asked for (single address or all)', async () => {
    const lookup = guardedLookup(false, { resolver: fakeResolver('93.184.216.34') });
    const single = await new Promise<unknown[]>((resolve) => {
      lookup('acme.kiwihr.com', {}, (error, address, family) => resolve([error, address, family]));
    });
    expect(single).toEqual([null, '93.184.216.34', 4]);
    const all = await new Promise<unknown>((resolve) => {
      lookup('acme.kiwihr.com', { all: true }, (_e, addresses) => resolve(addresses));
    });
    expect(all).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });
});
