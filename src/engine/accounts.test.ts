import { describe, expect, it } from 'vitest';
import { describeEachDialect, newTenant } from '../../test/db.js';
import { testDeps } from '../../test/support/engine.js';
import {
  authenticateApiKey,
  createAdmin,
  createApiKey,
  hashPassword,
  login,
  logout,
  parseScopes,
  resolveSession,
  revokeApiKey,
  SESSION_IDLE_MS,
  verifyPassword,
} from './accounts.js';

describe('engine/accounts: passwords', () => {
  it('hashes with scrypt and a salt; verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
  });

  it('checks scopes', () => {
    expect(parseScopes(['admin', 'hr-data:write', 'admin'])).toEqual({
      ok: true,
      value: ['admin', 'hr-data:write'],
    });
    expect(parseScopes([]).ok).toBe(false);
    expect(parseScopes(['root']).ok).toBe(false);
  });
});

describeEachDialect('engine/accounts', (getStore) => {
  it('creates admins: plausible email, a long enough password, one per email and tenant', async () => {
    const deps = testDeps(getStore());
    const tenant = await newTenant(deps.store);
    expect(
      (await createAdmin(deps, { tenantId: tenant.id, email: 'nope', password: 'long enough pass' })).ok,
    ).toBe(false);
    expect(
      (await createAdmin(deps, { tenantId: tenant.id, email: 'a@acme.example', password: 'short' })).ok,
    ).toBe(false);
    const ok = await createAdmin(deps, {
      tenantId: tenant.id,
      email: 'a@acme.example',
      password: 'long enough pass',
      role: 'viewer',
    });
    expect(ok.ok && ok.value.role).toBe('viewer');
    expect(ok.ok && ok.value.passwordHash).not.toContain('long enough pass');
    const dup = await createAdmin(deps, {
      tenantId: tenant.id,
      email: 'A@acme.example',
      password: 'long enough pass',
    });
    expect(!dup.ok && dup.error.code).toBe('conflict');
  });

  it('sessions: sign in, resolve, slide, expire after 12 idle hours, end on logout', async () => {
    let now = new Date('2026-11-23T06:00:00Z');
    const deps = testDeps(getStore(), { now: () => now });
    const tenant = await newTenant(deps.store);
    await createAdmin(deps, {
      tenantId: tenant.id,
      email: 'boss@acme.example',
      password: 'long enough pass',
    });
    expect((await login(deps, { email: 'boss@acme.example', password: 'wrong password!' })).ok).toBe(false);
    const signed = await login(deps, {
      email: 'BOSS@acme.example',
      password: 'long enough pass',
      tenant: tenant.slug,
    });
    if (!signed.ok) throw signed.error;
    const { token, session } = signed.value;
    expect(await resolveSession(deps, token)).toMatchObject({
      adminId: session.adminId,
      csrfToken: session.csrfToken,
    });
    now = new Date(now.getTime() + SESSION_IDLE_MS - 60_000);
    const slid = await resolveSession(deps, token);
    expect(Date.parse(slid?.expiresAt ?? '')).toBe(now.getTime() + SESSION_IDLE_MS);
    now = new Date(now.getTime() + SESSION_IDLE_MS + 1);
    expect(await resolveSession(deps, token)).toBeUndefined();
    const again = await login(deps, { email: 'boss@acme.example', password: 'long enough pass' });
    if (!again.ok) throw again.error;
    await logout(deps, again.value.session.sessionId);
    expect(await resolveSession(deps, again.value.token)).toBeUndefined();
    expect(await resolveSession(deps, 'x'.repeat(43))).toBeUndefined();
  });

  it('an email that is an admin of two tenants must name the tenant', async () => {
    const deps = testDeps(getStore());
    const one = await newTenant(deps.store, 'One');
    const two = await newTenant(deps.store, 'Two');
    for (const t of [one, two])
      await createAdmin(deps, { tenantId: t.id, email: 'shared@acme.example', password: 'long enough pass' });
    const ambiguous = await login(deps, { email: 'shared@acme.example', password: 'long enough pass' });
    expect(!ambiguous.ok && ambiguous.error.details).toMatchObject({ field: 'tenant' });
    const chosen = await login(deps, {
      email: 'shared@acme.example',
      password: 'long enough pass',
      tenant: two.slug,
    });
    expect(chosen.ok && chosen.value.session.tenantId).toBe(two.id);
  });

  it('API keys: rs_<prefix>_<secret>, stored hashed, found by prefix, refused when tampered or revoked', async () => {
    const deps = testDeps(getStore());
    const tenant = await newTenant(deps.store);
    const created = await createApiKey(deps, {
      tenantId: tenant.id,
      name: ' export ',
      scopes: ['hr-data:write'],
    });
    if (!created.ok) throw created.error;
    const { key, record } = created.value;
    expect(record.name).toBe('export');
    expect(record.keyHash).not.toContain(key.slice(17));
    expect((await authenticateApiKey(deps, key))?.id).toBe(record.id);
    expect(
      await authenticateApiKey(deps, `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`),
    ).toBeUndefined();
    expect(await authenticateApiKey(deps, 'rs_short')).toBeUndefined();
    expect((await createApiKey(deps, { tenantId: tenant.id, name: '', scopes: ['admin'] })).ok).toBe(false);
    const revoked = await revokeApiKey(deps, { tenantId: tenant.id, id: record.id });
    expect(revoked.ok && revoked.value.revokedAt).not.toBeNull();
    expect(await authenticateApiKey(deps, key)).toBeUndefined();
    const other = await newTenant(deps.store);
    expect((await revokeApiKey(deps, { tenantId: other.id, id: record.id })).ok).toBe(false);
  });
});
