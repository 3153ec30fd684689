/** Case 12, API keys and rate limits: bad keys get 401 then 429 with Retry-After; quotas are per key; disabled tenants' and revoked keys are refused. */
import { afterEach, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/engine/index.js';
import { describeEachDialect } from '../db.js';
import { employeeCsv, fileRows, fileWorld } from './support/files.js';
import { apiKey, bearer, startApp, type App } from './support/service.js';

let open: App | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const upload = (app: App, key: string) =>
  app.app.inject({
    method: 'POST',
    url: '/api/v1/hr-data/employees?dryRun=true',
    headers: { ...bearer(key), 'content-type': 'text/csv' },
    payload: employeeCsv(fileRows(3)),
  });

describeEachDialect('reliability 12: API keys and rate limits', (getStore) => {
  it('a client trying bad keys gets 401, then 429 with Retry-After, and stays limited', async () => {
    const store = getStore();
    const { deps } = await fileWorld(store, { rows: fileRows(2) });
    open = await startApp({ deps });
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 1000; i++) {
      const bad = `rs_${i.toString(16).padStart(12, '0')}_${'x'.repeat(43)}`;
      const res = await open.app.inject({ method: 'GET', url: '/api/v1/runs', headers: bearer(bad) });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        retryAfter = res.headers['retry-after'];
        break;
      }
    }
    expect(statuses[0]).toBe(401);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.at(-1), 'no 429 after 1000 bad keys from one client').toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('one key over its upload quota gets 429 with Retry-After; another key of the tenant is not slowed', async () => {
    const store = getStore();
    const { deps, tenant } = await fileWorld(store, { rows: fileRows(3) });
    open = await startApp({ deps, limits: { uploadMax: 3, uploadWindowMs: 60_000 } });
    const [a, b] = [
      await apiKey(deps, tenant.id, ['hr-data:write'], 'a'),
      await apiKey(deps, tenant.id, ['hr-data:write'], 'b'),
    ];
    const fromA: number[] = [];
    for (let i = 0; i < 5; i++) fromA.push((await upload(open, a)).statusCode);
    expect(fromA).toEqual([200, 200, 200, 429, 429]);
    const limited = await upload(open, a);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const fromB: number[] = [];
    for (let i = 0; i < 3; i++) fromB.push((await upload(open, b)).statusCode);
    expect(fromB).toEqual([200, 200, 200]);
  });

  it("a disabled tenant's keys and a revoked key are refused with 401", async () => {
    const store = getStore();
    const { deps, tenant } = await fileWorld(store, { rows: fileRows(2) });
    open = await startApp({ deps });
    const admin = await apiKey(deps, tenant.id, ['admin'], 'admin');
    const reader = await apiKey(deps, tenant.id, ['directory:read'], 'reader');
    const writer = await apiKey(deps, tenant.id, ['hr-data:write'], 'writer');
    expect(
      (await open.app.inject({ method: 'GET', url: '/api/v1/runs', headers: bearer(admin) })).statusCode,
    ).toBe(200);
    const revokedKey = await apiKey(deps, tenant.id, ['admin'], 'soon revoked');
    const record = (await store.apiKeys.list(tenant.id)).find((k) => k.name === 'soon revoked');
    expect((await revokeApiKey(deps, { tenantId: tenant.id, id: record?.id ?? '' })).ok).toBe(true);
    expect(
      (await open.app.inject({ method: 'GET', url: '/api/v1/runs', headers: bearer(revokedKey) })).statusCode,
    ).toBe(401);

    await store.tenants.update(tenant.id, { disabled: true });
    expect(
      (await open.app.inject({ method: 'GET', url: '/api/v1/runs', headers: bearer(admin) })).statusCode,
    ).toBe(401);
    expect(
      (await open.app.inject({ method: 'GET', url: '/api/v1/directory/users', headers: bearer(reader) }))
        .statusCode,
    ).toBe(401);
    expect((await upload(open, writer)).statusCode).toBe(401);
    expect((await store.runs.list(tenant.id, { limit: 10 })).filter((r) => r.dryRun)).toHaveLength(0);
  });
});
