/** The static UI plugin: files, SPA fallback, service paths left to the API's 404, the page shown before a build. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../src/server/errors.js';
import staticUi from '../../src/server/static-ui.js';

const INDEX = '<!doctype html><title>ui</title><div id="root"></div>';

async function appWith(root: string): Promise<FastifyInstance> {
  const app = Fastify();
  registerErrorHandling(app);
  app.get('/api/v1/ping', () => ({ pong: true }));
  await app.register(staticUi, { root });
  await app.ready();
  return app;
}

describe('static UI plugin with a build', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rostersync-static-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    writeFileSync(join(tmpdir(), 'rostersync-static-outside.txt'), 'OUTSIDE-CONTENT-7f3a');
    app = await appWith(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for client-side routes, with a CSP and no caching', async () => {
    for (const url of ['/', '/users/42', '/runs/abc?action=error']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe(INDEX);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves built files, hashed assets cached for a year', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers 404 for a missing file, a dotfile and a path outside the build', async () => {
    for (const url of [
      '/assets/index-old.js',
      '/.env',
      '/../rostersync-static-outside.txt',
      '/%2e%2e/rostersync-static-outside.txt',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('OUTSIDE-CONTENT-7f3a');
      expect(res.body).not.toContain('SECRET=1');
    }
  });

  it('leaves /api, /webhooks and /scim to the API: unknown paths there are JSON 404s, known ones answer', async () => {
    for (const url of ['/api/v1/nope', '/api', '/webhooks/peoplehr/x', '/scim/v2/Nope']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('not_found');
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/ping' })).json()).toEqual({ pong: true });
  });

  it('does not answer writes with the page', async () => {
    const res = await app.inject({ method: 'POST', url: '/users' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('<div id="root">');
  });
});

describe('static UI plugin without a build', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rostersync-static-empty-'));
    app = await appWith(join(dir, 'dist'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says at / how to build the UI, and keeps API 404s as JSON', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build:web');
    expect((await app.inject({ method: 'GET', url: '/api/v1/nope' })).statusCode).toBe(404);
  });
});
