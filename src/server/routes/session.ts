/** Sign in, who am I, sign out: the session cookie `rs_session` and its CSRF token. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { login, logout, SESSION_MAX_MS, type AdminSession, type EngineDeps } from '../../engine/index.js';
import type { SessionResponse } from '../contract.js';
import type { RouteDeps } from '../deps.js';
import { principalOf, SESSION_COOKIE } from '../plugins/auth.js';
import { withZod } from '../plugins/zod.js';
import { responses, unwrap } from './common.js';

const loginBody = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
  tenant: z.string().trim().min(1).max(63).optional(),
});

async function sessionResponse(deps: EngineDeps, s: AdminSession): Promise<SessionResponse> {
  const tenant = await deps.store.tenants.get(s.tenantId);
  if (!tenant) throw new AppError('unauthorized', 'This company no longer exists.');
  return {
    admin: { id: s.adminId, email: s.email, role: s.role },
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    csrfToken: s.csrfToken,
    expiresAt: s.expiresAt,
  };
}

export default function sessionRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const r = withZod(app);
  const { deps, env, limits } = opts;
  const secure = env.PUBLIC_URL?.startsWith('https://') ?? false;
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      // The server expires idle sessions; the cookie only has to outlive the longest possible one.
      maxAge: Math.floor(SESSION_MAX_MS / 1000),
    });

  r.post(
    '/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign in with email and password; sets the rs_session cookie and returns the CSRF token',
        body: loginBody,
        response: responses({
          200: 'Signed in',
          401: 'Wrong email or password',
          422: 'Invalid body',
          429: 'Too many attempts',
        }),
      },
      config: {
        rateLimit: {
          max: limits.loginMax,
          timeWindow: limits.loginWindowMs,
          // preHandler: the body is parsed, so attempts are counted per IP and email.
          hook: 'preHandler',
          keyGenerator: (req) => {
            const email = (req.body as { email?: unknown } | undefined)?.email;
            return `login:${req.ip}:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
          },
        },
      },
    },
    async (request, reply) => {
      const { token, session } = unwrap(
        await login(deps, {
          email: request.body.email,
          password: request.body.password,
          ...(request.body.tenant === undefined ? {} : { tenant: request.body.tenant }),
        }),
      );
      setCookie(reply, token);
      void reply.header('cache-control', 'no-store');
      return sessionResponse(deps, session);
    },
  );

  r.get(
    '/session',
    {
      schema: {
        tags: ['session'],
        summary: 'The signed-in admin, her company and the CSRF token',
        response: responses({ 200: 'Signed in', 401: 'Not signed in' }),
      },
      config: { access: { session: 'read' } },
    },
    async (request) => {
      const p = principalOf(request);
      if (p.kind !== 'session') throw new AppError('forbidden', 'API keys have no session.');
      return sessionResponse(deps, p.session);
    },
  );

  r.delete(
    '/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign out (needs the x-csrf-token header)',
        response: responses({ 204: 'Signed out', 401: 'Not signed in', 403: 'CSRF token missing' }),
      },
      config: { access: { session: 'read' } },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (p.kind === 'session') await logout(deps, p.session.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );
  return Promise.resolve();
}
