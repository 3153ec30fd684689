/** SCIM test checks: a resource carries RFC 7643's common and required attributes, and nothing undeclared. */
import { expect } from 'vitest';
import {
  SCIM_SCHEMA,
  schemaResources,
  type AttributeDefinition,
} from '../../src/server/routes/scim/schemas.js';
import type { ScimResource } from '../../src/server/routes/scim/serialize.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * RFC 7643 §3.1 common attributes (schemas, id, meta with resourceType, created, lastModified, location,
 * version) and the resource's required one (User: userName; Group: displayName); nulls are never sent.
 */
export function expectRfcResource(
  r: ScimResource,
  o: { resourceType: 'User' | 'Group'; base: string },
): void {
  expect(Array.isArray(r.schemas) && r.schemas.length > 0).toBe(true);
  expect(r.schemas).toContain(o.resourceType === 'User' ? SCIM_SCHEMA.user : SCIM_SCHEMA.group);
  expect(typeof r.id).toBe('string');
  const meta = r.meta as Record<string, unknown>;
  expect(meta.resourceType).toBe(o.resourceType);
  expect(meta.created).toMatch(ISO);
  expect(meta.lastModified).toMatch(ISO);
  expect(meta.location).toBe(`${o.base}/${o.resourceType}s/${encodeURIComponent(String(r.id))}`);
  expect(meta.version).toMatch(/^W\/".+"$/);
  if (o.resourceType === 'User') expect(typeof r.userName === 'string' && r.userName !== '').toBe(true);
  else expect(typeof r.displayName).toBe('string');
  expect(JSON.stringify(r)).not.toContain(':null');
}

const COMMON = new Set(['schemas', 'id', 'externalId', 'meta']);

/**
 * Paths of attributes a resource carries that the served /Schemas do not declare (or declare with the
 * wrong multiValued): an empty list means schema and serializer agree.
 */
export function undeclaredAttributes(r: ScimResource, coreSchema: string): string[] {
  const definitions = new Map(
    schemaResources('https://x').map((s) => [s.id as string, s.attributes as AttributeDefinition[]]),
  );
  const out: string[] = [];
  const check = (obj: Record<string, unknown>, defs: readonly AttributeDefinition[], prefix: string) => {
    for (const [key, value] of Object.entries(obj)) {
      const def = defs.find((d) => d.name === key);
      if (!def || Array.isArray(value) !== def.multiValued) {
        out.push(`${prefix}${key}`);
        continue;
      }
      if (def.type !== 'complex') continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        check(item as Record<string, unknown>, def.subAttributes ?? [], `${prefix}${key}.`);
      }
    }
  };
  for (const [key, value] of Object.entries(r)) {
    if (COMMON.has(key)) continue;
    if (key.startsWith('urn:'))
      check(value as Record<string, unknown>, definitions.get(key) ?? [], `${key}:`);
    else check({ [key]: value }, definitions.get(coreSchema) ?? [], '');
  }
  return out;
}
