/** Serves the built admin UI (web/dist) with an SPA fallback; without a build, `/` says how to make one. */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface StaticUiOptions {
  /** The built UI; default `web/dist` of this checkout. */
  readonly root?: string;
}

/** Paths that belong to the service, never to the UI: unknown ones there stay JSON 404s. */
const SERVICE_PATH = /^\/(api|webhooks|scim)(\/|$)/;

/** Hashed file names under /assets never change content, so browsers may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * What the UI needs and nothing more: its own scripts and styles (Mantine sets inline styles), API calls
 * to the same origin, never framed.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const defaultUiRoot = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>rostersync: admin UI not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The admin UI is not built yet</h1>
<p>rostersync is running and its API answers under <code>/api/v1</code>, but the web UI has not been built.</p>
<p>Run <code>npm run build:web</code> in the rostersync folder, then reload this page.</p>
</body>
</html>
`;

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin');
}

async function isFileInside(root: string, relative: string): Promise<boolean> {
  const full = resolve(root, relative);
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
  try {
    return (await stat(full)).isFile();
  } catch {
    return false;
  }
}

/** The decoded path of a request, or null when it is not valid percent-encoding. */
function pathOf(request: FastifyRequest): string | null {
  const raw = request.url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * Fastify plugin: GET of any path outside `/api`, `/webhooks` and `/scim` serves a file of the built UI
 * when one exists, else `index.html` (client-side routes such as `/users/42`). A missing file with an
 * extension (`/assets/old.js`) is a 404, not the page. Register it after the API routes.
 *
 * @example
 * await app.register(staticUi);               // serves web/dist
 * await app.register(staticUi, { root: dir }); // another build
 */
export default async function staticUi(app: FastifyInstance, opts: StaticUiOptions = {}): Promise<void> {
  const root = resolve(opts.root ?? defaultUiRoot);
  const built = existsSync(join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      serve: false,
      index: false,
      cacheControl: false,
      dotfiles: 'deny',
    });
  }

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = pathOf(request);
    if (path === null || SERVICE_PATH.test(path)) return reply.callNotFound();
    if (!built) {
      return securityHeaders(reply)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(NOT_BUILT_PAGE);
    }
    const relative = path.replace(/^\/+/, '');
    if (
      relative !== '' &&
      !relative.split('/').some((s) => s.startsWith('.')) &&
      (await isFileInside(root, relative))
    ) {
      const cache = relative.startsWith('assets/') ? IMMUTABLE : 'no-cache';
      return securityHeaders(reply).header('cache-control', cache).sendFile(relative);
    }
    const last = relative.split('/').pop() ?? '';
    if (last.includes('.')) return reply.callNotFound();
    return securityHeaders(reply)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .sendFile('index.html');
  });
}
