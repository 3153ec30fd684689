/** SCIM discovery endpoints, authentication (401/403 in SCIM format) and refused writes (501), both dialects. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/db.js';
import { seedDirectory, type SeededDirectory } from '../../../../test/support/directory.js';
import { asKey, startService, type Service } from '../../../../test/service-helpers.js';
import { SCIM_SCHEMA } from './schemas.js';

const PUBLIC_URL = 'https://rs.example.com';
const base = `${PUBLIC_URL}/scim/v2`;

describeEachDialect('scim: discovery, access and writes', (getStore) => {
  let svc: Service;
  let acme: SeededDirectory;
  beforeAll(async () => {
    svc = await startService(getStore(), { env: { PUBLIC_URL } });
    acme = await seedDirectory(svc.deps);
  });
  afterAll(async () => {
    await svc.app.close();
  });

  const get = (url: string, headers: Record<string, string> = asKey(acme.keys.directory)) =>
    svc.app.inject({ method: 'GET', url, headers });

  it('describes the service provider (RFC 7643 §5): read-only, filter, ETag, bearer auth', async () => {
    const res = await get('/scim/v2/ServiceProviderConfig');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(res.json()).toMatchObject({
      schemas: [SCIM_SCHEMA.serviceProviderConfig],
      patch: { supported: false },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 500 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [
        expect.objectContaining({ type: 'oauthbearertoken', name: expect.any(String) as unknown }),
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
    });
  });

  it('lists its schemas, each also served at /Schemas/<urn>', async () => {
    const body = (await get('/scim/v2/Schemas')).json<{
      totalResults: number;
      Resources: Record<string, unknown>[];
    }>();
    const idsOf = body.Resources.map((s) => s.id);
    expect(idsOf).toEqual([
      SCIM_SCHEMA.user,
      SCIM_SCHEMA.enterpriseUser,
      SCIM_SCHEMA.rostersyncUser,
      SCIM_SCHEMA.group,
    ]);
    expect(body.totalResults).toBe(4);
    for (const s of body.Resources) {
      expect(s).toMatchObject({
        schemas: [SCIM_SCHEMA.schema],
        name: expect.any(String) as unknown,
        meta: { resourceType: 'Schema' },
      });
      for (const a of s.attributes as Record<string, unknown>[]) {
        // RFC 7643 §7: the characteristics every attribute definition carries.
        for (const key of [
          'name',
          'type',
          'multiValued',
          'required',
          'caseExact',
          'mutability',
          'returned',
          'uniqueness',
        ]) {
          expect(a).toHaveProperty(key);
        }
      }
    }
    const user = await get(`/scim/v2/Schemas/${SCIM_SCHEMA.user}`);
    expect(user.statusCode).toBe(200);
    const userName = user.json<{ attributes: { name: string; required: boolean; caseExact: boolean }[] }>()
      .attributes[0];
    expect(userName).toMatchObject({ name: 'userName', required: true, caseExact: false });
    expect((await get('/scim/v2/Schemas/urn:nope')).statusCode).toBe(404);
  });

  it('lists the User and Group resource types, each also served by id', async () => {
    const body = (await get('/scim/v2/ResourceTypes')).json<{ Resources: Record<string, unknown>[] }>();
    expect(body.Resources).toEqual([
      expect.objectContaining({
        schemas: [SCIM_SCHEMA.resourceType],
        id: 'User',
        endpoint: '/Users',
        schema: SCIM_SCHEMA.user,
        schemaExtensions: [
          { schema: SCIM_SCHEMA.enterpriseUser, required: false },
          { schema: SCIM_SCHEMA.rostersyncUser, required: false },
        ],
        meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
      }),
      expect.objectContaining({ id: 'Group', endpoint: '/Groups', schema: SCIM_SCHEMA.group }),
    ]);
    expect((await get('/scim/v2/ResourceTypes/Group')).json()).toMatchObject({ id: 'Group' });
    expect((await get('/scim/v2/ResourceTypes/Device')).statusCode).toBe(404);
  });

  it('refuses filters on discovery endpoints with 403 (RFC 7644 §4)', async () => {
    for (const path of ['ServiceProviderConfig', 'Schemas', 'ResourceTypes']) {
      const res = await get(`/scim/v2/${path}?filter=${encodeURIComponent('id eq "User"')}`);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ schemas: [SCIM_SCHEMA.error], status: '403' });
    }
  });

  it('answers 401 without a key or with a bad one, in SCIM format with WWW-Authenticate', async () => {
    const urls = [
      '/scim/v2/ServiceProviderConfig',
      '/scim/v2/Schemas',
      '/scim/v2/Users',
      `/scim/v2/Users/${acme.users.jane}`,
      '/scim/v2/Groups',
    ];
    for (const url of urls) {
      for (const headers of [
        {},
        { authorization: 'Bearer rs_000000000000_notakeynotakeynotakeynotakeynotakeynotakey1' },
      ]) {
        const res = await get(url, headers);
        expect(res.statusCode, url).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="rostersync"');
        expect(res.json()).toMatchObject({
          schemas: [SCIM_SCHEMA.error],
          status: '401',
          detail: expect.any(String) as unknown,
        });
      }
    }
  });

  it('answers 403 to keys without directory:read', async () => {
    for (const key of [acme.keys.admin, acme.keys.upload]) {
      const res = await get('/scim/v2/Users', asKey(key));
      expect(res.statusCode).toBe(403);
      const body = res.json<{ status: string; detail: string }>();
      expect(body.status).toBe('403');
      expect(body.detail).toContain('directory:read');
    }
  });

  it('refuses writes with 501 saying the HR sync manages the directory, and writes nothing', async () => {
    const before = { ...svc.deps.store.stats };
    const writes: [string, string][] = [
      ['POST', '/scim/v2/Users'],
      ['PUT', `/scim/v2/Users/${acme.users.jane}`],
      ['PATCH', `/scim/v2/Users/${acme.users.jane}`],
      ['DELETE', `/scim/v2/Users/${acme.users.jane}`],
      ['POST', '/scim/v2/Groups'],
      ['PUT', `/scim/v2/Groups/${acme.groups.sales}`],
      ['PATCH', `/scim/v2/Groups/${acme.groups.sales}`],
      ['DELETE', `/scim/v2/Groups/${acme.groups.sales}`],
      ['POST', '/scim/v2/Bulk'],
    ];
    for (const [method, url] of writes) {
      const res = await svc.app.inject({
        method: method as 'POST',
        url,
        headers: { ...asKey(acme.keys.directory), 'content-type': 'application/scim+json' },
        payload: JSON.stringify({
          schemas: [SCIM_SCHEMA.user],
          userName: 'mallory@evil.example',
          active: false,
        }),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(501);
      const body = res.json<{ schemas: string[]; status: string; detail: string }>();
      expect(body).toMatchObject({ schemas: [SCIM_SCHEMA.error], status: '501' });
      expect(body.detail).toContain('managed by the HR sync');
    }
    expect(svc.deps.store.stats.directoryRows).toBe(before.directoryRows);
    const jane = await svc.deps.store.directory.getUser(acme.tenant.id, acme.users.jane);
    expect(jane?.active).toBe(true);
    // Authentication comes first: no key is a 401, not a 501.
    const anonymous = await svc.app.inject({ method: 'DELETE', url: `/scim/v2/Users/${acme.users.jane}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
