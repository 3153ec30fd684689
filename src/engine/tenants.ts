/** Tenants: a company with its own directory, settings and HR source. */
import { AppError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { Tenant } from '../store/types.js';
import type { EngineDeps } from './deps.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function createTenant(
  deps: EngineDeps,
  o: { slug: string; name: string; timezone?: string },
): Promise<Result<Tenant, AppError>> {
  if (!SLUG.test(o.slug)) {
    return err(
      new AppError('invalid_input', `Tenant slug '${o.slug}' must be lowercase letters, digits and dashes.`),
    );
  }
  if (o.timezone !== undefined && !isValidTimeZone(o.timezone)) {
    return err(
      new AppError('invalid_input', `'${o.timezone}' is not an IANA time zone (e.g. Europe/Berlin).`),
    );
  }
  if (await deps.store.tenants.getBySlug(o.slug)) {
    return err(new AppError('conflict', `A tenant '${o.slug}' already exists.`));
  }
  return ok(
    await deps.store.tenants.create({
      id: deps.newId(),
      slug: o.slug,
      name: o.name,
      ...(o.timezone ? { timezone: o.timezone } : {}),
    }),
  );
}

export async function tenantBySlug(deps: EngineDeps, slug: string): Promise<Result<Tenant, AppError>> {
  const tenant = await deps.store.tenants.getBySlug(slug);
  return tenant
    ? ok(tenant)
    : err(new AppError('not_found', `No tenant '${slug}'. Create it with 'rostersync tenant create'.`));
}
