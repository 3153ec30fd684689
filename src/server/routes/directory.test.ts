/** Directory API over HTTP on both dialects: shapes, updatedSince, cursor pages (ties too), access, isolation. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, person } from '../../../test/db.js';
import {
  seedDirectory,
  SEEDED_AT,
  UPDATED_AT,
  type SeededDirectory,
} from '../../../test/support/directory.js';
import { asKey, errorOf, startService, type Service } from '../../../test/service-helpers.js';
import type { DirectoryApiGroup, DirectoryApiPage, DirectoryApiUser } from './directory.js';

describeEachDialect('directory API', (getStore) => {
  let svc: Service;
  let acme: SeededDirectory;
  let globex: SeededDirectory;
  beforeAll(async () => {
    svc = await startService(getStore());
    acme = await seedDirectory(svc.deps, 'Acme');
    globex = await seedDirectory(svc.deps, 'Globex');
  });
  afterAll(async () => {
    await svc.app.close();
  });

  const get = (url: string, key = acme.keys.directory) =>
    svc.app.inject({ method: 'GET', url, headers: asKey(key) });
  const users = async (query = '', key = acme.keys.directory) => {
    const res = await get(`/api/v1/directory/users${query}`, key);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<DirectoryApiPage<DirectoryApiUser>>();
  };
  /** Follows nextCursor to the end; returns every page. */
  const allPages = async (o: { path: string; query: string; key: string }) => {
    const pages: DirectoryApiPage<{ id: string }>[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await get(`${o.path}?${o.query}${suffix}`, o.key);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<DirectoryApiPage<{ id: string }>>();
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 50);
    return pages;
  };

  it('lists users with every attribute, manager, groups, source link and timestamps', async () => {
    const page = await users();
    expect(page.nextCursor).toBeNull();
    // (updatedAt, id) order: john was updated last.
    const u = acme.users;
    expect(page.items.map((i) => i.id)).toEqual([u.boss, u.jane, u.manual, u.leaver, u.john]);
    const jane = page.items.find((i) => i.id === u.jane);
    expect(jane).toEqual({
      ...person({
        email: acme.emails.jane,
        firstName: 'Jane',
        lastName: 'Doe',
        jobTitle: 'Engineer',
        department: 'R&D',
        employeeNumber: '1002',
        phoneNumber: '+49 30 1234',
        location: 'Berlin',
        birthDate: '1990-02-03',
      }),
      id: u.jane,
      active: true,
      manager: { id: u.boss, email: acme.emails.boss },
      groupIds: [acme.groups.sales, acme.groups.eng].sort(),
      source: { integrationId: acme.integrationId, provider: 'personio', sourceId: 'E2' },
      createdAt: SEEDED_AT.toISOString(),
      updatedAt: SEEDED_AT.toISOString(),
    });
    const manual = page.items.find((i) => i.id === u.manual);
    expect(manual).toMatchObject({ source: null, manager: null, groupIds: [] });
    expect(page.items.find((i) => i.id === u.leaver)?.active).toBe(false);
  });

  it('filters by updatedSince (inclusive, any zone)', async () => {
    expect((await users(`?updatedSince=${UPDATED_AT.toISOString()}`)).items.map((i) => i.id)).toEqual([
      acme.users.john,
    ]);
    const plusOne = encodeURIComponent('2026-11-10T07:00:00+01:00');
    expect((await users(`?updatedSince=${plusOne}`)).items.map((i) => i.id)).toEqual([acme.users.john]);
    expect((await users('?updatedSince=2026-12-01T00:00:00Z')).items).toEqual([]);
    const bad = await get('/api/v1/directory/users?updatedSince=yesterday');
    expect(bad.statusCode).toBe(422);
    expect(errorOf(bad).message).toContain('updatedSince');
  });

  it('pages with an opaque cursor through users sharing one updatedAt, each once', async () => {
    const pages = await allPages({
      path: '/api/v1/directory/users',
      query: 'limit=2',
      key: acme.keys.directory,
    });
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    const seen = pages.flatMap((p) => p.items.map((i) => i.id));
    expect(seen).toEqual((await users()).items.map((i) => i.id));
    // Four users share SEEDED_AT: the id breaks the tie, so a page boundary inside them loses no one.
    expect(new Set(seen).size).toBe(5);
    // An exact multiple of the limit ends with a null cursor, not an empty extra page.
    const five = await allPages({
      path: '/api/v1/directory/users',
      query: 'limit=5',
      key: acme.keys.directory,
    });
    expect(five.map((p) => p.items.length)).toEqual([5]);
  });

  it('a consumer resuming from its newest updatedAt, or from a cursor, sees the later changes', async () => {
    const before = await users('?limit=500', globex.keys.directory);
    const newest =
      before.items
        .map((i) => i.updatedAt)
        .sort()
        .at(-1) ?? '';
    const cursor = (await users('?limit=4', globex.keys.directory)).nextCursor ?? '';
    expect(cursor).not.toBe('');
    await svc.deps.store.apply(
      {
        tenantId: globex.tenant.id,
        runId: null,
        updateUsers: [{ id: globex.users.boss, attributes: { jobTitle: 'Chair' } }],
      },
      { fence: null, now: new Date('2026-11-20T06:00:00Z') },
    );
    // updatedSince is inclusive: what changed at `newest` comes again (at least once), then the new change.
    const since = await users(`?updatedSince=${encodeURIComponent(newest)}`, globex.keys.directory);
    expect(since.items.map((i) => i.id)).toEqual([globex.users.john, globex.users.boss]);
    expect(since.items.at(-1)?.jobTitle).toBe('Chair');
    // A cursor stays valid while the directory changes: the updated user moved behind it.
    const next = await users(`?cursor=${encodeURIComponent(cursor)}`, globex.keys.directory);
    expect(next.items.map((i) => i.id)).toEqual([globex.users.john, globex.users.boss]);
  });

  it('refuses a forged cursor and a limit over 500 with 422', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('{"a":1}').toString('base64url'), 'eyJ', '%%%']) {
      const res = await get(`/api/v1/directory/users?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(422);
      expect(errorOf(res).code).toBe('invalid_input');
    }
    expect((await get('/api/v1/directory/users?limit=501')).statusCode).toBe(422);
    expect((await get('/api/v1/directory/users?limit=0')).statusCode).toBe(422);
  });

  it('lists groups with member ids, paged by cursor', async () => {
    const res = await get('/api/v1/directory/groups');
    expect(res.statusCode).toBe(200);
    const page = res.json<DirectoryApiPage<DirectoryApiGroup>>();
    expect(page.items).toHaveLength(3);
    expect(page.items.find((g) => g.id === acme.groups.sales)).toEqual({
      id: acme.groups.sales,
      name: 'Sales',
      memberIds: [acme.users.jane, acme.users.john],
      createdAt: SEEDED_AT.toISOString(),
      updatedAt: SEEDED_AT.toISOString(),
    });
    expect(page.items.find((g) => g.id === acme.groups.ops)?.memberIds).toEqual([]);
    const pages = await allPages({
      path: '/api/v1/directory/groups',
      query: 'limit=1',
      key: acme.keys.directory,
    });
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(page.items.map((g) => g.id));
    expect((await get('/api/v1/directory/groups?updatedSince=2026-11-02T00:00:00Z')).json()).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('needs a key with directory:read: 401 without, 403 with another scope', async () => {
    for (const path of ['/api/v1/directory/users', '/api/v1/directory/groups']) {
      const anonymous = await svc.app.inject({ method: 'GET', url: path });
      expect(anonymous.statusCode).toBe(401);
      expect(errorOf(anonymous).code).toBe('unauthorized');
      for (const key of [acme.keys.admin, acme.keys.upload]) {
        const res = await get(path, key);
        expect(res.statusCode).toBe(403);
        expect(errorOf(res).message).toContain('directory:read');
      }
    }
  });

  it("keeps tenants apart: a key reads its own tenant's users and groups only", async () => {
    const theirs = await users('', globex.keys.directory);
    expect(theirs.items).toHaveLength(5);
    expect(theirs.items.every((i) => i.id.startsWith(globex.tenant.slug))).toBe(true);
    const groups = (await get('/api/v1/directory/groups', globex.keys.directory)).json<
      DirectoryApiPage<DirectoryApiGroup>
    >();
    expect(groups.items.every((g) => g.id.startsWith(globex.tenant.slug))).toBe(true);
    // A cursor pointing into another tenant's listing reveals nothing of it.
    const acmePage = await users('?limit=1');
    const crossed = await users(
      `?cursor=${encodeURIComponent(acmePage.nextCursor ?? '')}`,
      globex.keys.directory,
    );
    expect(crossed.items.every((i) => i.id.startsWith(globex.tenant.slug))).toBe(true);
  });
});
