import { expect, it } from 'vitest';
import { describeEachDialect, newTenant, person } from '../../test/db.js';

describeEachDialect('store: sessions and org chart', (getStore) => {
  it('stores sessions by token hash with their admin; touch, revoke and purge', async () => {
    const store = getStore();
    const tenant = await newTenant(store);
    const admin = await store.admins.create({
      id: `${tenant.id}-a`,
      tenantId: tenant.id,
      email: 'A@acme.example',
      passwordHash: 'h',
      role: 'viewer',
    });
    const now = new Date('2026-11-23T06:00:00Z');
    const created = await store.sessions.create({
      id: `${tenant.id}-s`,
      tenantId: tenant.id,
      adminId: admin.id,
      tokenHash: `hash-${tenant.id}`,
      csrfToken: 'csrf',
      now,
      expiresAt: new Date(now.getTime() + 60_000),
    });
    expect(created).toMatchObject({ lastSeenAt: now.toISOString(), revokedAt: null });
    const found = await store.sessions.findByTokenHash(`hash-${tenant.id}`);
    expect(found?.admin).toMatchObject({ id: admin.id, email: 'A@acme.example', role: 'viewer' });
    expect(found?.session.csrfToken).toBe('csrf');
    expect(await store.sessions.findByTokenHash('nope')).toBeUndefined();
    const later = new Date(now.getTime() + 30_000);
    await store.sessions.touch(created.id, {
      lastSeenAt: later,
      expiresAt: new Date(later.getTime() + 60_000),
    });
    expect((await store.sessions.findByTokenHash(`hash-${tenant.id}`))?.session.lastSeenAt).toBe(
      later.toISOString(),
    );
    expect(await store.sessions.revoke(created.id, later)).toBe(true);
    expect(await store.sessions.revoke(created.id, later)).toBe(false);
    expect((await store.sessions.findByTokenHash(`hash-${tenant.id}`))?.session.revokedAt).toBe(
      later.toISOString(),
    );
    expect(await store.sessions.deleteExpired(new Date(later.getTime() + 120_000))).toBeGreaterThanOrEqual(1);
    expect(await store.sessions.findByTokenHash(`hash-${tenant.id}`)).toBeUndefined();
  });

  it("lists a manager's reports in her tenant only", async () => {
    const store = getStore();
    const tenant = await newTenant(store);
    const id = (n: string) => `${tenant.id}-${n}`;
    await store.apply(
      {
        tenantId: tenant.id,
        runId: null,
        createUsers: ['boss', 'b', 'a'].map((n) => ({
          id: id(n),
          attributes: person({ email: `${n}@acme.example`, firstName: n, lastName: n.toUpperCase() }),
          active: true,
          integrationId: null,
          sourceId: null,
        })),
        setManagers: [
          { userId: id('a'), managerId: id('boss') },
          { userId: id('b'), managerId: id('boss') },
        ],
      },
      { fence: null, now: new Date() },
    );
    const reports = await store.orgChart.reportsOf(tenant.id, id('boss'), 10);
    expect(reports.map((r) => [r.id, r.lastName, r.active])).toEqual([
      [id('a'), 'A', true],
      [id('b'), 'B', true],
    ]);
    const other = await newTenant(store);
    expect(await store.orgChart.reportsOf(other.id, id('boss'), 10)).toEqual([]);
  });
});
