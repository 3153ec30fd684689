/** The OpenAPI 3 document at /api/v1/openapi.json lists every route of the app, with its security. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from './db.js';
import { startService, type Service } from './service-helpers.js';

/** `METHOD /path` of every route, from Fastify's route tree (HEAD twins left out, as in the document). */
function routesOf(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+) \(([^)]+)\)$/.exec(line.trimEnd());
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + (m[2] ?? '');
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ')) if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out.sort();
}

describe('service: OpenAPI document', () => {
  let svc: Service;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const opened = await openTestStore('sqlite');
    close = opened.close;
    svc = await startService(opened.store);
    await svc.app.ready();
  });
  afterAll(async () => {
    await svc.app.close();
    await close();
  });

  it('parses the route tree (nested paths and several methods)', () => {
    const tree = '├── /a (GET, HEAD, POST)\n│   └── /:id (DELETE)\n│       └── /x (PUT)\n└── /b (GET)';
    expect(routesOf(tree)).toEqual(['DELETE /a/:id', 'GET /a', 'GET /b', 'POST /a', 'PUT /a/:id/x']);
  });

  it('is OpenAPI 3 and lists every route the app serves', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    // Wildcards are fallbacks, not API routes: `GET *` serves the admin UI, `GET /scim/v2/*` SCIM's 404.
    const all = routesOf(svc.app.printRoutes({ commonPrefix: false }));
    expect(all).toContain('GET *');
    const served = all.filter((r) => !r.endsWith('*'));
    expect(served.length).toBeGreaterThan(30);
    expect(documented).toEqual(served);
  });

  it('documents request schemas from zod and who may call each route', async () => {
    type Op = {
      security?: Record<string, string[]>[];
      requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
      parameters?: { name: string; in: string }[];
    };
    const doc = (await svc.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, Op>>;
      components: { securitySchemes: Record<string, unknown> };
    }>();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'sessionCookie']);
    const login = doc.paths['/api/v1/session']?.post;
    expect(Object.keys(login?.requestBody?.content['application/json']?.schema.properties ?? {})).toEqual([
      'email',
      'password',
      'tenant',
    ]);
    expect(login?.security).toBeUndefined();
    expect(doc.paths['/api/v1/users']?.get?.security).toEqual([{ sessionCookie: [] }, { apiKey: ['admin'] }]);
    expect(doc.paths['/api/v1/users']?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['search', 'active', 'department', 'groupId', 'limit', 'offset']),
    );
    expect(doc.paths['/api/v1/hr-data/employees']?.post?.security).toEqual([
      { sessionCookie: [] },
      { apiKey: ['hr-data:write'] },
    ]);
    expect(Object.keys(doc.paths['/api/v1/hr-data/employees']?.post?.requestBody?.content ?? {})).toEqual(
      expect.arrayContaining(['text/csv', 'application/xml', 'multipart/form-data']),
    );
  });
});
