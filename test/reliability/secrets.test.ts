/**
 * Case 11, secrets: a canary in every credential, in the API key, in an HR error body and in a thrown
 * error; failing syncs and every GET of the API → the canary appears 0 times in logs, responses, error
 * files, job payloads and database tables. Stored credentials are AES-256-GCM bound to their row:
 * tampering and row swaps fail, key rotation keeps old rows readable.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connect,
  createCipher,
  runSync,
  updateCredentials,
  type EngineDeps,
} from '../../src/engine/index.js';
import { createPgBossQueue } from '../../src/jobs/index.js';
import { startPersonioEmulator, type PersonioEmulator } from '../../src/sources/personio/emulator.js';
import type { Store } from '../../src/store/index.js';
import { testDeps, testKey } from '../support/engine.js';
import { describeEachRawDb, type RawDb } from './support/dialects.js';
import { startProxy, type Proxy } from './support/loopback.js';
import { apiKey, bearer, captureLogs, routesOf, startApp } from './support/service.js';

const CANARY = `canary${randomBytes(6).toString('hex')}`;
// The client id is not a secret (Personio shows it; so does rostersync): the canary goes in the secret.
const clientId = 'rostersync-client';
const clientSecret = `sec-${CANARY}`;

const count = (text: string): number => text.split(CANARY).length - 1;

/** Every row of every table of the suite's database, as text. */
async function dumpTables(db: RawDb): Promise<string> {
  const tables =
    db.dialect === 'sqlite'
      ? (await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map(
          (t) => t.name,
        )
      : (
          await db.query<{ table_name: string }>(
            `SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'`,
            [db.schema],
          )
        ).map((t) => t.table_name);
  const parts: string[] = [];
  for (const t of tables) parts.push(JSON.stringify(await db.query(`SELECT * FROM "${t}"`)));
  return parts.join('\n');
}

async function connectedTenant(store: Store, deps: EngineDeps, apiUrl: string) {
  const tenant = await store.tenants.create({
    id: randomUUID(),
    slug: `s-${randomUUID().slice(0, 10)}`,
    name: 'Secretive',
  });
  const connected = await connect(deps, {
    tenantId: tenant.id,
    provider: 'personio',
    config: { clientId, clientSecret, apiUrl },
  });
  if (!connected.ok) throw connected.error;
  return { tenant, integration: connected.value.integration };
}

describeEachRawDb('reliability 11: secrets', (get) => {
  let emu: PersonioEmulator;
  let echo: Proxy;
  beforeAll(async () => {
    emu = await startPersonioEmulator({ count: 12, seed: 11, credentials: { clientId, clientSecret } });
    // An HR API that echoes the credentials back in its error bodies (some do).
    echo = await startProxy({
      target: emu.origin,
      rewrite: (req, reply) =>
        req.url?.startsWith('/v1/company/employees')
          ? {
              status: 500,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                success: false,
                error: { message: `client ${clientId} with secret ${clientSecret} is locked` },
              }),
            }
          : reply,
    });
  });
  afterAll(async () => {
    await echo.close();
    await emu.close();
  });

  it('the canary appears 0 times in logs, responses, error files, job payloads and tables', async () => {
    const db = get();
    const logs = captureLogs();
    const deps: EngineDeps = { ...testDeps(db.store), log: logs.logger };
    const { tenant, integration } = await connectedTenant(db.store, deps, emu.url);
    const key = await apiKey(deps, tenant.id, ['admin', 'directory:read', 'hr-data:write'], 'everything');
    const KEY_TEXT = key;

    // Failing sync 1: the HR system echoes the credentials in a 500 body.
    await db.store.integrations.update(tenant.id, integration.id, {
      publicConfig: { clientId, apiUrl: echo.origin },
    });
    const echoed = await runSync(deps, { tenantId: tenant.id, trigger: 'manual' });
    expect(echoed.ok && echoed.value.status).toBe('failed');
    // Failing sync 2: a thrown error whose message carries the credential (a driver echoing a parameter).
    await db.store.integrations.update(tenant.id, integration.id, {
      publicConfig: { clientId, apiUrl: emu.url },
    });
    await emu.control.update(emu.state.people[0]!.id, { lastName: `Changed${randomUUID().slice(0, 6)}` });
    const throwing: Store = {
      ...db.store,
      apply: () =>
        Promise.reject(
          new Error(`insert failed for parameter '${clientSecret}' (${CANARY})`.replace(`(${CANARY})`, '')),
        ),
    };
    const thrown = await runSync({ ...deps, store: throwing }, { tenantId: tenant.id, trigger: 'manual' });
    expect(thrown.ok && thrown.value.status).toBe('failed');
    expect(logs.text()).toContain('sync run failed');

    const app = await startApp({ deps, logs });
    try {
      // The key goes in the header of every GET.
      const bodies: string[] = [];
      const users = await db.store.directory.listUsers(tenant.id, { limit: 1 });
      const groups = await db.store.directory.listGroups(tenant.id);
      const ids = [
        echoed.ok ? echoed.value.id : '',
        thrown.ok ? thrown.value.id : '',
        users.items[0]?.id ?? '',
        groups[0]?.id ?? 'none',
      ];
      const gets = (await routesOf(app.app)).filter((r) => r.method === 'GET');
      expect(gets.length).toBeGreaterThan(10);
      for (const route of gets) {
        const urls = route.path.includes('{')
          ? ids.map((id) => route.path.replace(/\{[^}]+\}/g, id))
          : [route.path];
        for (const url of urls) {
          const res = await app.app.inject({ method: 'GET', url, headers: bearer(KEY_TEXT) });
          expect(res.statusCode, url).toBeLessThan(500);
          bodies.push(res.body, JSON.stringify(res.headers));
        }
      }
      const all = bodies.join('\n');
      expect(count(all), 'responses').toBe(0);
      expect(all.includes(KEY_TEXT), 'responses hold the API key').toBe(false);
      const logText = logs.text();
      expect(logText.length).toBeGreaterThan(0);
      expect(count(logText), 'logs').toBe(0);
      expect(logText.includes(KEY_TEXT), 'logs hold the API key').toBe(false);
    } finally {
      await app.close();
    }

    // Job payloads: what a queued sync of this integration carries (pg-boss rows on PostgreSQL).
    if (db.dialect === 'postgres') {
      const schema = `${db.schema ?? 'x'}_boss`;
      const queue = createPgBossQueue({
        deps,
        connectionString: db.url,
        schema,
        queueName: 'sync-secrets',
        work: false,
      });
      await queue.start();
      try {
        await queue.enqueueSync({
          tenantId: tenant.id,
          integrationId: integration.id,
          trigger: 'manual',
          input: { kind: 'pull' },
        });
        const rows = await db.query<{ data: unknown }>(`SELECT data FROM "${schema}".job`);
        expect(rows.length).toBeGreaterThan(0);
        expect(count(JSON.stringify(rows)), 'job payloads').toBe(0);
      } finally {
        await queue.stop({ timeoutMs: 1_000 });
        await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    }
    const tables = await dumpTables(db);
    expect(count(tables), 'database tables').toBe(0);
    expect(tables.includes(KEY_TEXT), 'database holds the API key').toBe(false);
    const stored = await db.store.integrations.get(tenant.id, integration.id);
    expect(stored?.credentialsCiphertext).toMatch(/^v1\.t1\./);
  });

  it('a key a client wrongly sends in a URL query string is not logged', async () => {
    const db = get();
    const logs = captureLogs();
    const deps: EngineDeps = { ...testDeps(db.store), log: logs.logger };
    const { tenant } = await connectedTenant(db.store, deps, emu.url);
    const key = await apiKey(deps, tenant.id, ['admin'], 'query');
    const app = await startApp({ deps, logs });
    try {
      const res = await app.app.inject({
        method: 'GET',
        url: `/api/v1/runs?api_key=${encodeURIComponent(key)}`,
        headers: bearer(key),
      });
      expect(res.statusCode).toBe(200);
      expect(res.body.includes(key)).toBe(false);
      expect(logs.text()).toContain('/api/v1/runs');
      expect(logs.text().includes(key), 'the request log holds the key from the query string').toBe(false);
    } finally {
      await app.close();
    }
  });

  it('a tampered ciphertext and a ciphertext moved to another row fail cleanly, leaking nothing', async () => {
    const db = get();
    const logs = captureLogs();
    const deps: EngineDeps = { ...testDeps(db.store), log: logs.logger };
    const a = await connectedTenant(db.store, deps, emu.url);
    const b = await connectedTenant(db.store, deps, emu.url);
    const cipherA =
      (await db.store.integrations.get(a.tenant.id, a.integration.id))?.credentialsCiphertext ?? '';
    const parts = cipherA.split('.');
    const body = Buffer.from(parts[4] ?? '', 'base64');
    body[0] = (body[0] ?? 0) ^ 1;
    const tampered = [...parts.slice(0, 4), body.toString('base64')].join('.');
    expect(() => deps.cipher.decrypt(tampered, `integration:${a.integration.id}`)).toThrow(
      /could not be decrypted/,
    );
    expect(() => deps.cipher.decrypt(cipherA, `integration:${b.integration.id}`)).toThrow(
      /could not be decrypted/,
    );

    for (const [t, value] of [
      [a, tampered],
      [b, cipherA],
    ] as const) {
      await db.store.integrations.update(t.tenant.id, t.integration.id, { credentialsCiphertext: value });
      const rowsBefore = db.store.stats.directoryRows;
      const run = await runSync(deps, { tenantId: t.tenant.id, trigger: 'manual' });
      expect(run.ok && run.value.status).toBe('failed');
      expect(run.ok && run.value.errorCode).toBe('internal');
      expect(db.store.stats.directoryRows).toBe(rowsBefore);
    }
    expect(count(logs.text())).toBe(0);
  });

  it('key rotation: rows written under the old key stay readable; updates are written under the new one', async () => {
    const db = get();
    const deps = testDeps(db.store);
    const { tenant, integration } = await connectedTenant(db.store, deps, emu.url);
    const rotated: EngineDeps = {
      ...deps,
      cipher: createCipher([{ id: 't2', key: randomBytes(32) }, testKey]),
    };
    const run = await runSync(rotated, { tenantId: tenant.id, trigger: 'manual' });
    expect(run.ok && run.value.status).toBe('succeeded');
    const updated = await updateCredentials(rotated, {
      tenantId: tenant.id,
      config: { clientSecret },
      sync: false,
    });
    expect(updated.ok).toBe(true);
    const stored = await db.store.integrations.get(tenant.id, integration.id);
    expect(stored?.credentialsCiphertext).toMatch(/^v1\.t2\./);
    expect((await runSync(rotated, { tenantId: tenant.id, trigger: 'manual' })).ok).toBe(true);
    // A process that lost the old key cannot read old rows: it fails the run instead of guessing.
    const forgetful: EngineDeps = { ...deps, cipher: createCipher([{ id: 't3', key: randomBytes(32) }]) };
    const lost = await runSync(forgetful, { tenantId: tenant.id, trigger: 'manual' });
    expect(lost.ok && lost.value.status).toBe('failed');
  });
});
