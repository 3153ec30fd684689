/** Accounts and access over HTTP: sign-in, cookie flags, CSRF, roles, API key scopes, revocation, rate limits. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './db.js';
import {
  asBrowser,
  asKey,
  company,
  errorOf,
  PASSWORD,
  startService,
  type Company,
  type Service,
} from './service-helpers.js';

describeEachDialect('service: accounts and access', (getStore) => {
  let svc: Service;
  let acme: Company;
  beforeAll(async () => {
    svc = await startService(getStore(), {
      limits: { loginMax: 3 },
      env: { PUBLIC_URL: 'https://rostersync.example.com' },
    });
    acme = await company(svc);
  });
  afterAll(async () => {
    await svc.app.close();
  });

  it('signs in: httpOnly, SameSite=Lax, Secure (https PUBLIC_URL) cookie and a CSRF token', async () => {
    const res = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: acme.adminEmail.toUpperCase(), password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'rs_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
    const body = res.json<{ csrfToken: string; admin: { role: string }; tenant: { slug: string } }>();
    expect(body.admin.role).toBe('admin');
    expect(body.tenant.slug).toBe(acme.tenant.slug);
    expect(body.csrfToken.length).toBeGreaterThan(20);
    // The cookie holds a random token; only its hash is stored.
    const stored = await svc.deps.store.sessions.findByTokenHash(cookie?.value ?? '');
    expect(stored).toBeUndefined();
  });

  it('refuses a wrong password or unknown email with the same 401, and a malformed body with 422', async () => {
    const wrong = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: acme.adminEmail, password: 'nope-nope-nope' },
    });
    const unknown = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'ghost@nowhere.example', password: PASSWORD },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(wrong).message).toBe(errorOf(unknown).message);
    const bad = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'x@y.example' },
    });
    expect(bad.statusCode).toBe(422);
    expect(errorOf(bad).code).toBe('invalid_input');
    expect(errorOf(bad).details?.fields).toEqual([expect.objectContaining({ field: 'password' })]);
    const notJson = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(notJson.statusCode).toBe(422);
  });

  it('rate-limits sign-in per IP and email with Retry-After (429)', async () => {
    const attempt = (email: string) =>
      svc.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email, password: 'wrong-password' },
      });
    const codes: number[] = [];
    for (let i = 0; i < 4; i += 1) codes.push((await attempt('victim@acme.example')).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    const limited = await attempt('victim@acme.example');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(errorOf(limited).code).toBe('rate_limited');
    // Another email from the same IP is counted apart.
    expect((await attempt('other@acme.example')).statusCode).toBe(401);
  });

  it('GET /session returns the same CSRF token; DELETE signs out and the cookie stops working', async () => {
    const b = await (async () => {
      const res = await svc.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: `viewer@${acme.tenant.slug}.example`, password: PASSWORD },
      });
      return {
        cookie: `rs_session=${res.cookies[0]?.value ?? ''}`,
        csrf: res.json<{ csrfToken: string }>().csrfToken,
      };
    })();
    const me = await svc.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ csrfToken: string }>().csrfToken).toBe(b.csrf);
    const noCsrf = await svc.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie: b.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    const out = await svc.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: asBrowser(b) });
    expect(out.statusCode).toBe(204);
    const after = await svc.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: b.cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it('CSRF: a write with the session cookie needs x-csrf-token equal to the session token; keys need none', async () => {
    const patch = (headers: Record<string, string>) =>
      svc.app.inject({
        method: 'PATCH',
        url: '/api/v1/settings',
        headers,
        payload: { allowManualUsers: true },
      });
    const missing = await patch({ cookie: acme.admin.cookie });
    expect(missing.statusCode).toBe(403);
    expect(errorOf(missing).details).toMatchObject({ csrf: true });
    expect(
      (await patch({ cookie: acme.admin.cookie, 'x-csrf-token': `${acme.admin.csrf}x` })).statusCode,
    ).toBe(403);
    // Another session's token does not fit this session.
    expect((await patch({ cookie: acme.admin.cookie, 'x-csrf-token': acme.viewer.csrf })).statusCode).toBe(
      403,
    );
    expect((await svc.deps.store.tenants.get(acme.tenant.id))?.allowManualUsers).toBe(false);
    expect((await patch(asBrowser(acme.admin))).statusCode).toBe(200);
    expect((await patch(asKey(acme.keys.admin))).statusCode).toBe(200);
    // Reads need no token.
    expect(
      (
        await svc.app.inject({
          method: 'GET',
          url: '/api/v1/settings',
          headers: { cookie: acme.admin.cookie },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('401 without credentials, with a bad cookie, a malformed or unknown key; a bad key never falls back to the cookie', async () => {
    const get = (headers: Record<string, string>) =>
      svc.app.inject({ method: 'GET', url: '/api/v1/users', headers });
    expect((await get({})).statusCode).toBe(401);
    expect((await get({ cookie: 'rs_session=forged-token-forged-token-forged' })).statusCode).toBe(401);
    expect((await get({ authorization: 'Bearer nonsense' })).statusCode).toBe(401);
    expect((await get({ authorization: `Bearer ${acme.keys.admin.slice(0, -2)}xx` })).statusCode).toBe(401);
    expect((await get({ authorization: 'Basic abc' })).statusCode).toBe(401);
    expect((await get({ authorization: 'Bearer nonsense', cookie: acme.admin.cookie })).statusCode).toBe(401);
    expect(errorOf(await get({})).code).toBe('unauthorized');
  });

  it('403: viewers read but do not write; keys need the right scope', async () => {
    expect(
      (await svc.app.inject({ method: 'GET', url: '/api/v1/runs', headers: asBrowser(acme.viewer) }))
        .statusCode,
    ).toBe(200);
    const write = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/gender-choices',
      headers: asBrowser(acme.viewer),
      payload: { value: 'diverse' },
    });
    expect(write.statusCode).toBe(403);
    expect(errorOf(write).code).toBe('forbidden');
    const upload = await svc.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: asKey(acme.keys.upload),
    });
    expect(upload.statusCode).toBe(403);
    expect(errorOf(upload).message).toContain('admin');
    expect(
      (await svc.app.inject({ method: 'GET', url: '/api/v1/users', headers: asKey(acme.keys.directory) }))
        .statusCode,
    ).toBe(403);
    expect(
      (await svc.app.inject({ method: 'GET', url: '/api/v1/users', headers: asKey(acme.keys.admin) }))
        .statusCode,
    ).toBe(200);
    // A signed-in admin may upload from the UI: this file passes auth and is refused for its content.
    const csv = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/hr-data/employees',
      headers: { ...asBrowser(acme.admin), 'content-type': 'text/csv' },
      payload: 'employee_id,email\n',
    });
    expect(csv.statusCode).toBe(422);
    expect(
      (await svc.app.inject({ method: 'GET', url: '/api/v1/session', headers: asKey(acme.keys.admin) }))
        .statusCode,
    ).toBe(403);
  });

  it('API keys: listed without secrets, created once with scopes, revoked at once (then 401), last use recorded', async () => {
    const created = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: asBrowser(acme.admin),
      payload: { name: 'payroll export', scopes: ['hr-data:write', 'admin'] },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json<{ id: string; key: string; scopes: string[]; prefix: string }>();
    expect(key.key).toMatch(/^rs_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key.key.startsWith(`rs_${key.prefix}_`)).toBe(true);
    expect(key.scopes).toEqual(['admin', 'hr-data:write']);
    expect(
      (await svc.app.inject({ method: 'GET', url: '/api/v1/settings', headers: asKey(key.key) })).statusCode,
    ).toBe(200);
    const list = await svc.app.inject({
      method: 'GET',
      url: '/api/v1/api-keys',
      headers: asBrowser(acme.viewer),
    });
    expect(list.body).not.toContain(key.key);
    expect(list.body).not.toContain(key.key.slice(17));
    const listed = list.json<{
      items: { id: string; lastUsedAt: string | null; revokedAt: string | null }[];
    }>().items;
    expect(listed.find((k) => k.id === key.id)?.lastUsedAt).not.toBeNull();

    const bad = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: asBrowser(acme.admin),
      payload: { name: 'x', scopes: ['root'] },
    });
    expect(bad.statusCode).toBe(422);
    const revoked = await svc.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${key.id}`,
      headers: asBrowser(acme.admin),
    });
    expect(revoked.statusCode).toBe(204);
    expect(
      (await svc.app.inject({ method: 'GET', url: '/api/v1/settings', headers: asKey(key.key) })).statusCode,
    ).toBe(401);
    expect(
      (
        await svc.app.inject({
          method: 'DELETE',
          url: `/api/v1/api-keys/${key.id}`,
          headers: asBrowser(acme.admin),
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await svc.app.inject({
          method: 'DELETE',
          url: '/api/v1/api-keys/nope',
          headers: asBrowser(acme.admin),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('a disabled company is locked out (401) for sessions and keys', async () => {
    const other = await company(svc, 'Soon Disabled');
    await svc.deps.store.tenants.update(other.tenant.id, { disabled: true });
    expect(
      (await svc.app.inject({ method: 'GET', url: '/api/v1/users', headers: asBrowser(other.admin) }))
        .statusCode,
    ).toBe(401);
    expect(
      (await svc.app.inject({ method: 'GET', url: '/api/v1/users', headers: asKey(other.keys.admin) }))
        .statusCode,
    ).toBe(401);
  });

  it('unknown endpoints answer 404 in the error shape; bodies over 1 MB answer 413', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('not_found');
    const big = await svc.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: { ...asBrowser(acme.admin), 'content-type': 'application/json' },
      payload: JSON.stringify({ notificationRecipients: ['x'.repeat(1_100_000)] }),
    });
    expect(big.statusCode).toBe(413);
    expect(errorOf(big).code).toBe('payload_too_large');
  });
});
