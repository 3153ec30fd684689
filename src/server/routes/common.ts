/** Helpers shared by the route plugins: paging and id schemas, Result unwrapping, the caller's tenant. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import type { EngineDeps } from '../../engine/index.js';
import type { Tenant } from '../../store/types.js';
import { principalOf } from '../plugins/auth.js';

/** `?limit=&offset=`: at most 500 a page. */
export const pagingQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

/** `:id` of an object in the caller's tenant. */
export const idParams = z.object({ id: z.string().min(1).max(200) });

/** `?flag=true|false`, as the query string carries it. */
export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Unwraps an engine Result, throwing its AppError for the error handler. */
export function unwrap<T>(result: Result<T, AppError>): T {
  if (result.ok) return result.value;
  throw result.error;
}

/** The caller's tenant: every query of a route is scoped to it. */
export async function callerTenant(deps: EngineDeps, request: FastifyRequest): Promise<Tenant> {
  const tenant = await deps.store.tenants.get(principalOf(request).tenantId);
  if (!tenant || tenant.disabled)
    throw new AppError('unauthorized', 'This company is disabled or no longer exists.');
  return tenant;
}

/** Documented responses of a route for the OpenAPI document (the shapes are in contract.ts). */
export function responses(codes: Record<number, string>): Record<number, { description: string }> {
  const out: Record<number, { description: string }> = {};
  for (const [code, description] of Object.entries(codes)) out[Number(code)] = { description };
  return out;
}

/** Base URL for links shown to admins: PUBLIC_URL, else the origin the request came in on. */
export function publicBase(publicUrl: string | undefined, request: FastifyRequest): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}
