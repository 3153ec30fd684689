/**
 * Case 8, SSRF: every tenant-supplied HR address is held to its provider's host pattern; loopback,
 * private and metadata addresses, names resolving to them and redirects are refused before any socket
 * opens (loopback canaries count 0 connections); emulators need the explicit loopback setting.
 */
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import { connect } from '../../src/engine/index.js';
import {
  emulatedProviders,
  startEmulatorFor,
  emulatorUrlKey,
  type StartedEmulator,
} from '../../src/engine/emulators.js';
import type { SourceContext } from '../../src/sources/contract.js';
import kiwihr from '../../src/sources/kiwihr/index.js';
import { describeEachDialect, newTenant } from '../db.js';
import { testDeps } from '../support/engine.js';
import { startCanary, startProxy, type Canary, type Proxy } from './support/loopback.js';

/** A resolver that answers `address` for every name and counts the lookups. */
const fakeResolver = (address: string) => {
  let calls = 0;
  const lookup = ((_host: string, _opts: unknown, cb: (e: null, a: LookupAddress[]) => void) => {
    calls += 1;
    cb(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  }) as unknown as LookupFunction;
  return { lookup, calls: () => calls };
};

async function drain(iterable: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const page of iterable) void page;
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('reliability 8: SSRF through the KiwiHR connector', () => {
  let canary443: Canary;
  let canary: Canary;
  let kiwi: StartedEmulator;
  let redirecting: Proxy;
  let redirectTo = '';
  beforeAll(async () => {
    // Port 443 on loopback: where a connection to https://acme.kiwihr.com would land if the guard let a
    // loopback answer through. Binding it needs root, which this suite's machines have.
    canary443 = await startCanary({ port: 443 });
    canary = await startCanary();
    kiwi = await startEmulatorFor({ provider: 'kiwihr', employees: 5, seed: 8 });
    redirecting = await startProxy({
      target: kiwi.emulator.origin,
      rewrite: (_req, reply) => ({ status: 302, headers: { location: redirectTo }, body: reply.body }),
    });
  });
  afterAll(async () => {
    await redirecting.close();
    await kiwi.emulator.close();
    await canary.close();
    await canary443.close();
  });

  it.each(['127.0.0.1', '10.0.0.5', '169.254.169.254', '::1', '::ffff:127.0.0.1', 'fd00:ec2::254'])(
    'acme.kiwihr.com resolving to %s is refused before connecting',
    async (address) => {
      const resolver = fakeResolver(address);
      const ctx: SourceContext = { allowLoopback: false, resolver: resolver.lookup, retry: { retries: 0 } };
      const error = await drain(
        kiwihr.read({ apiKey: 'k', url: 'https://acme.kiwihr.com/api/graphql' }, ctx),
      );
      expect(isAppError(error) && error.code).toBe('invalid_config');
      expect(String((error as Error).message)).toContain('not allowed');
      expect(resolver.calls()).toBeGreaterThan(0);
      expect(canary443.connections()).toBe(0);
    },
  );

  it.each([
    ['a loopback canary', () => `http://127.0.0.1:${canary.port}/x`],
    ['a private address', () => 'http://10.0.0.5/x'],
    ['the metadata service', () => 'http://169.254.169.254/latest/meta-data/'],
  ])('a redirect from the emulator to %s is never followed', async (_name, target) => {
    redirectTo = target();
    const ctx: SourceContext = { allowLoopback: true, retry: { retries: 0 } };
    const error = await drain(
      kiwihr.read({ apiKey: kiwi.config['apiKey'] ?? '', url: `${redirecting.origin}/api/graphql` }, ctx),
    );
    expect(isAppError(error) && error.code).toBe('invalid_config');
    expect(String((error as Error).message)).toContain('redirect');
    expect(canary.connections()).toBe(0);
  });
});

describeEachDialect('reliability 8: SSRF at connect, every provider', (getStore) => {
  let canary: Canary;
  const emulators: StartedEmulator[] = [];
  beforeAll(async () => {
    canary = await startCanary();
    for (const provider of emulatedProviders)
      emulators.push(await startEmulatorFor({ provider, employees: 3, seed: 8 }));
  });
  afterAll(async () => {
    for (const e of emulators) await e.emulator.close();
    await canary.close();
  });

  const hostile = (port: number): string[] => [
    `http://127.0.0.1:${port}/`,
    `https://127.0.0.1:${port}/`,
    `http://localhost:${port}/`,
    `https://[::ffff:127.0.0.1]:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://2130706433:${port}/`,
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.5/',
    'https://evil.test/',
    'https://api.personio.de.evil.test/',
    'https://evil.test#.kiwihr.com',
    'https://user:pass@evil.test/',
    'file:///etc/passwd',
  ];

  it('every hostile address is refused for every provider, and nothing is stored or contacted', async () => {
    const store = getStore();
    const deps = { ...testDeps(store), allowLoopbackSources: false };
    for (const e of emulators) {
      const tenant = await newTenant(store);
      for (const url of hostile(canary.port)) {
        const result = await connect(deps, {
          tenantId: tenant.id,
          provider: e.provider,
          config: { ...e.config, [emulatorUrlKey(e.provider)]: url },
        });
        expect(result.ok, `${e.provider} ${url}`).toBe(false);
        if (!result.ok) expect(result.error.code, `${e.provider} ${url}`).toBe('invalid_config');
      }
      expect(await store.integrations.getActive(tenant.id)).toBeUndefined();
    }
    expect(canary.connections()).toBe(0);
  });

  it('emulators (loopback) work only with the explicit setting', async () => {
    const store = getStore();
    for (const e of emulators) {
      const requests = e.emulator.state.requests;
      const refused = await connect(
        { ...testDeps(store), allowLoopbackSources: false },
        {
          tenantId: (await newTenant(store)).id,
          provider: e.provider,
          config: e.config,
          sync: false,
        },
      );
      expect(!refused.ok && refused.error.code, e.provider).toBe('invalid_config');
      expect(e.emulator.state.requests, e.provider).toBe(requests);
      const allowed = await connect(testDeps(store), {
        tenantId: (await newTenant(store)).id,
        provider: e.provider,
        config: e.config,
        sync: false,
      });
      expect(allowed.ok, e.provider).toBe(true);
    }
  });

  it('even with loopback allowed, private non-loopback addresses stay refused', async () => {
    const store = getStore();
    for (const e of emulators) {
      const result = await connect(testDeps(store), {
        tenantId: (await newTenant(store)).id,
        provider: e.provider,
        config: { ...e.config, [emulatorUrlKey(e.provider)]: 'http://10.0.0.5:4010/' },
      });
      expect(!result.ok && result.error.code, e.provider).toBe('invalid_config');
    }
  });
});
