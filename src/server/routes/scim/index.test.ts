/** SCIM /Users and /Groups over HTTP on both dialects: shapes, filters, paging, ETags, 404s, tenant isolation. */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/db.js';
import {
  seedDirectory,
  SEEDED_AT,
  UPDATED_AT,
  type SeededDirectory,
} from '../../../../test/support/directory.js';
import { expectRfcResource, undeclaredAttributes } from '../../../../test/support/scim.js';
import { asKey, startService, type Service } from '../../../../test/service-helpers.js';
import { SCIM_SCHEMA } from './schemas.js';

const PUBLIC_URL = 'https://rs.example.com';
const base = `${PUBLIC_URL}/scim/v2`;

interface ListBody {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Record<string, unknown>[];
}

describeEachDialect('scim: Users and Groups', (getStore) => {
  let svc: Service;
  let acme: SeededDirectory;
  let globex: SeededDirectory;
  beforeAll(async () => {
    svc = await startService(getStore(), { env: { PUBLIC_URL } });
    acme = await seedDirectory(svc.deps, 'Acme');
    globex = await seedDirectory(svc.deps, 'Globex');
  });
  afterAll(async () => {
    await svc.app.close();
  });

  const get = (url: string, key = acme.keys.directory, headers: Record<string, string> = {}) =>
    svc.app.inject({ method: 'GET', url, headers: { ...asKey(key), ...headers } });
  const list = async (url: string, key = acme.keys.directory): Promise<ListBody> => {
    const res = await get(url, key);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ListBody>();
  };
  const ids = (body: ListBody) => body.Resources.map((r) => r.id);
  const filter = (f: string) => `/scim/v2/Users?filter=${encodeURIComponent(f)}`;
  const scimError = (res: LightMyRequestResponse) =>
    res.json<{ schemas: string[]; status: string; scimType?: string; detail: string }>();

  it("lists the tenant's users as a ListResponse in creation order, as application/scim+json", async () => {
    const res = await get('/scim/v2/Users');
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    const body = res.json<ListBody>();
    expect(body).toMatchObject({
      schemas: [SCIM_SCHEMA.listResponse],
      totalResults: 5,
      startIndex: 1,
      itemsPerPage: 5,
    });
    const u = acme.users;
    expect(ids(body)).toEqual([u.boss, u.jane, u.john, u.manual, u.leaver]);
    for (const r of body.Resources) {
      expectRfcResource(r, { resourceType: 'User', base });
      expect(undeclaredAttributes(r, SCIM_SCHEMA.user)).toEqual([]);
    }
  });

  it('shows a user with the core, enterprise and rostersync attributes', async () => {
    const res = await get(`/scim/v2/Users/${acme.users.jane}`);
    expect(res.statusCode).toBe(200);
    const jane = res.json<Record<string, unknown>>();
    expect(jane).toMatchObject({
      id: acme.users.jane,
      externalId: 'E2',
      userName: acme.emails.jane,
      name: { givenName: 'Jane', familyName: 'Doe', formatted: 'Jane Doe' },
      title: 'Engineer',
      active: true,
      emails: [{ value: acme.emails.jane, type: 'work', primary: true }],
      phoneNumbers: [{ value: '+49 30 1234', type: 'work' }],
      groups: expect.arrayContaining([
        {
          value: acme.groups.sales,
          $ref: `${base}/Groups/${acme.groups.sales}`,
          display: 'Sales',
          type: 'direct',
        },
        expect.objectContaining({ value: acme.groups.eng, display: 'Engineering' }) as unknown,
      ]) as unknown,
      [SCIM_SCHEMA.enterpriseUser]: {
        employeeNumber: '1002',
        department: 'R&D',
        manager: {
          value: acme.users.boss,
          $ref: `${base}/Users/${acme.users.boss}`,
          displayName: 'Big Boss',
        },
      },
      [SCIM_SCHEMA.rostersyncUser]: {
        location: 'Berlin',
        birthDate: '1990-02-03',
        sourceProvider: 'personio',
      },
      meta: {
        resourceType: 'User',
        created: SEEDED_AT.toISOString(),
        lastModified: SEEDED_AT.toISOString(),
        location: `${base}/Users/${acme.users.jane}`,
      },
    });
    expect(res.headers.etag).toBe((jane.meta as { version: string }).version);
    const leaver = (await get(`/scim/v2/Users/${acme.users.leaver}`)).json<Record<string, unknown>>();
    expect(leaver.active).toBe(false);
    const manual = (await get(`/scim/v2/Users/${acme.users.manual}`)).json<Record<string, unknown>>();
    expect(manual).not.toHaveProperty('externalId');
  });

  it('answers 304 to If-None-Match with the current version, 200 with a stale one', async () => {
    const first = await get(`/scim/v2/Users/${acme.users.john}`);
    const etag = String(first.headers.etag);
    expect(
      (await get(`/scim/v2/Users/${acme.users.john}`, acme.keys.directory, { 'if-none-match': etag }))
        .statusCode,
    ).toBe(304);
    const stale = await get(`/scim/v2/Users/${acme.users.john}`, acme.keys.directory, {
      'if-none-match': 'W/"old"',
    });
    expect(stale.statusCode).toBe(200);
    // Weak comparison: the strong spelling of the same tag, in a list, matches too.
    const strong = await get(`/scim/v2/Users/${acme.users.john}`, acme.keys.directory, {
      'if-none-match': `"other", ${etag.replace(/^W\//, '')}`,
    });
    expect(strong.statusCode).toBe(304);
    const group = await get(`/scim/v2/Groups/${acme.groups.sales}`);
    const again = await get(`/scim/v2/Groups/${acme.groups.sales}`, acme.keys.directory, {
      'if-none-match': String(group.headers.etag),
    });
    expect(again.statusCode).toBe(304);
  });

  it('filters by userName eq, case-insensitively in name and value', async () => {
    const body = await list(filter(`USERNAME eq "${acme.emails.jane.toUpperCase()}"`));
    expect(body).toMatchObject({ totalResults: 1, itemsPerPage: 1 });
    expect(ids(body)).toEqual([acme.users.jane]);
    // The stored email is mixed case (Boss@...): found by its lower-case spelling too.
    expect(ids(await list(filter(`userName eq "${acme.emails.boss.toLowerCase()}"`)))).toEqual([
      acme.users.boss,
    ]);
    expect((await list(filter('userName eq "nobody@nowhere.example"'))).totalResults).toBe(0);
  });

  it('filters by externalId eq, exactly (externalId is caseExact)', async () => {
    expect(ids(await list(filter('externalId eq "e3"')))).toEqual([acme.users.john]);
    expect((await list(filter('externalId eq "E3"'))).totalResults).toBe(0);
    expect(ids(await list(filter('urn:ietf:params:scim:schemas:core:2.0:User:externalId eq "E1"')))).toEqual([
      acme.users.boss,
    ]);
  });

  it('filters by meta.lastModified gt, strictly', async () => {
    const after = (iso: string) => list(filter(`meta.lastModified gt "${iso}"`));
    expect(ids(await after(SEEDED_AT.toISOString()))).toEqual([acme.users.john]);
    expect(ids(await after('2026-11-01T05:59:59Z')).length).toBe(5);
    expect((await after(UPDATED_AT.toISOString())).totalResults).toBe(0);
    // Another zone, same instant.
    expect(ids(await after('2026-11-10T06:59:59+01:00'))).toEqual([acme.users.john]);
  });

  it('combines filters with "and"', async () => {
    const both = `userName eq "${acme.emails.john}" and meta.lastModified gt "${SEEDED_AT.toISOString()}"`;
    expect(ids(await list(filter(both)))).toEqual([acme.users.john]);
    const none = `externalId eq "E2" and userName eq "${acme.emails.john}"`;
    expect((await list(filter(none))).totalResults).toBe(0);
    const contradiction = `userName eq "${acme.emails.john}" and userName eq "${acme.emails.jane}"`;
    expect((await list(filter(contradiction))).totalResults).toBe(0);
  });

  it.each([
    ['userName co "jane"', '"userName co" is not supported'],
    ['userName eq "a" or userName eq "b"', '"or" is not supported'],
    ['title eq "CEO"', 'filtering on "title"'],
    ['userName eq', 'not valid SCIM'],
    ['meta.lastModified gt "last week"', 'not a dateTime'],
  ])('refuses %j with 400 invalidFilter in SCIM error format', async (f, detail) => {
    const res = await get(filter(f));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    const body = scimError(res);
    expect(body).toMatchObject({ schemas: [SCIM_SCHEMA.error], status: '400', scimType: 'invalidFilter' });
    expect(body.detail).toContain(detail);
  });

  it('pages with startIndex and count: every user once, in order, totalResults throughout', async () => {
    const seen: unknown[] = [];
    for (let start = 1; start <= 5; start += 2) {
      const page = await list(`/scim/v2/Users?startIndex=${start}&count=2`);
      expect(page).toMatchObject({ totalResults: 5, startIndex: start, itemsPerPage: start === 5 ? 1 : 2 });
      seen.push(...ids(page));
    }
    expect(seen).toEqual(ids(await list('/scim/v2/Users')));
  });

  it('handles paging edges: count=0, past the end, startIndex < 1, negative count, non-integers', async () => {
    expect(await list('/scim/v2/Users?count=0')).toMatchObject({
      totalResults: 5,
      itemsPerPage: 0,
      Resources: [],
    });
    expect(await list('/scim/v2/Users?startIndex=6')).toMatchObject({
      totalResults: 5,
      startIndex: 6,
      itemsPerPage: 0,
    });
    expect(await list('/scim/v2/Users?startIndex=0&count=1')).toMatchObject({
      startIndex: 1,
      itemsPerPage: 1,
    });
    expect(await list('/scim/v2/Users?count=-1')).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
    expect(await list('/scim/v2/Users?count=100000')).toMatchObject({ itemsPerPage: 5 });
    const bad = await get('/scim/v2/Users?count=ten');
    expect(bad.statusCode).toBe(400);
    expect(scimError(bad)).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const twice = await get('/scim/v2/Users?count=1&count=2');
    expect(scimError(twice)).toMatchObject({ status: '400', scimType: 'invalidValue' });
  });

  it('returns only the asked attributes (attributes / excludedAttributes)', async () => {
    const slim = await list('/scim/v2/Users?attributes=userName&count=1');
    expect(slim.Resources[0]).toEqual({
      schemas: [SCIM_SCHEMA.user],
      id: acme.users.boss,
      userName: acme.emails.boss,
    });
    const res = await get(
      `/scim/v2/Users/${acme.users.jane}?excludedAttributes=groups,${SCIM_SCHEMA.rostersyncUser}`,
    );
    const jane = res.json<Record<string, unknown>>();
    expect(jane).not.toHaveProperty('groups');
    expect(jane).not.toHaveProperty([SCIM_SCHEMA.rostersyncUser]);
    expect(jane).toHaveProperty('userName');
  });

  it('queries by POST /Users/.search with a SearchRequest', async () => {
    const res = await svc.app.inject({
      method: 'POST',
      url: '/scim/v2/Users/.search',
      headers: { ...asKey(acme.keys.directory), 'content-type': 'application/scim+json' },
      payload: JSON.stringify({
        schemas: [SCIM_SCHEMA.searchRequest],
        filter: `userName eq "${acme.emails.jane}"`,
        attributes: ['userName', 'name.givenName'],
        startIndex: 1,
        count: 10,
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ListBody>().Resources).toEqual([
      {
        schemas: [SCIM_SCHEMA.user],
        id: acme.users.jane,
        userName: acme.emails.jane,
        name: { givenName: 'Jane' },
      },
    ]);
    const broken = await svc.app.inject({
      method: 'POST',
      url: '/scim/v2/Users/.search',
      headers: { ...asKey(acme.keys.directory), 'content-type': 'application/scim+json' },
      payload: '{"filter": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(scimError(broken)).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
  });

  it('lists groups with members, and filters them by displayName eq in any script', async () => {
    const body = await list('/scim/v2/Groups');
    expect(body.totalResults).toBe(3);
    for (const r of body.Resources) {
      expectRfcResource(r, { resourceType: 'Group', base });
      expect(undeclaredAttributes(r, SCIM_SCHEMA.group)).toEqual([]);
    }
    const sales = body.Resources.find((r) => r.id === acme.groups.sales);
    expect(sales).toMatchObject({
      displayName: 'Sales',
      members: [
        {
          value: acme.users.jane,
          $ref: `${base}/Users/${acme.users.jane}`,
          display: 'Jane Doe',
          type: 'User',
        },
        { value: acme.users.john, display: 'John Roe', type: 'User' },
      ],
    });
    const ops = await list(`/scim/v2/Groups?filter=${encodeURIComponent('displayName eq "ÉQUIPE OPS"')}`);
    expect(ids(ops)).toEqual([acme.groups.ops]);
    expect(ops.Resources[0]).not.toHaveProperty('members');
    const paged = await list('/scim/v2/Groups?startIndex=2&count=1&excludedAttributes=members');
    expect(paged).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(paged.Resources[0]).not.toHaveProperty('members');
    // Excluded members are not even read: fewer statements than the same page with them.
    const statements = async (url: string) => {
      const before = svc.deps.store.stats.statements;
      await list(url);
      return svc.deps.store.stats.statements - before;
    };
    const withMembers = await statements('/scim/v2/Groups');
    const without = await statements('/scim/v2/Groups?excludedAttributes=members');
    expect(without).toBeLessThan(withMembers);
    const bad = await get(`/scim/v2/Groups?filter=${encodeURIComponent('members.value eq "x"')}`);
    expect(scimError(bad)).toMatchObject({ status: '400', scimType: 'invalidFilter' });
  });

  it('shows one group', async () => {
    const res = await get(`/scim/v2/Groups/${acme.groups.eng}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: acme.groups.eng,
      displayName: 'Engineering',
      members: [{ value: acme.users.jane }],
    });
  });

  it('answers 404 in SCIM format for unknown ids and unknown endpoints', async () => {
    for (const url of ['/scim/v2/Users/nope', '/scim/v2/Groups/nope', '/scim/v2/Nothing']) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(scimError(res)).toMatchObject({ schemas: [SCIM_SCHEMA.error], status: '404' });
    }
  });

  it("keeps tenants apart: another tenant's ids are 404, its users never listed or matched", async () => {
    const g = globex.keys.directory;
    expect((await get(`/scim/v2/Users/${acme.users.jane}`, g)).statusCode).toBe(404);
    expect((await get(`/scim/v2/Groups/${acme.groups.sales}`, g)).statusCode).toBe(404);
    const theirs = await list('/scim/v2/Users', g);
    expect(theirs.totalResults).toBe(5);
    expect(ids(theirs).every((id) => String(id).startsWith(globex.tenant.slug))).toBe(true);
    expect((await list(filter(`userName eq "${acme.emails.jane}"`), g)).totalResults).toBe(0);
    // Both tenants use the same source ids: each sees only its own.
    expect(ids(await list(filter('externalId eq "E2"'), g))).toEqual([globex.users.jane]);
    const groups = await list('/scim/v2/Groups', g);
    expect(ids(groups).every((id) => String(id).startsWith(globex.tenant.slug))).toBe(true);
  });
});
