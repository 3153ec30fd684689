/** Directory views → SCIM resources (RFC 7643 §4), list responses and error bodies (RFC 7644 §3.4.2, §3.12). */
import { createHash } from 'node:crypto';
import type { DirectoryGroupView, DirectoryUserView, PersonRef } from '../../../engine/index.js';
import { SCIM_SCHEMA } from './schemas.js';
import type { ScimType } from './query.js';

/** A JSON object as SCIM sends it. */
export type ScimResource = Record<string, unknown>;

/**
 * A weak ETag over the resource's content, so `version` changes whenever anything a client sees changes
 * (memberships included, which do not move `lastModified`).
 */
export const versionOf = (resource: ScimResource): string =>
  `W/"${createHash('sha256').update(JSON.stringify(resource)).digest('base64url').slice(0, 22)}"`;

/** Drops null and undefined values, and objects/arrays left empty, so unassigned attributes are omitted. */
const compact = (value: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
};

/** `complete: false` (members not read) leaves `version` out: it would not match the full resource's. */
const withMeta = (
  resource: ScimResource,
  meta: { resourceType: 'User' | 'Group'; created: string; lastModified: string; location: string },
  o: { complete: boolean } = { complete: true },
): ScimResource => {
  const withoutVersion = { ...resource, meta };
  if (!o.complete) return withoutVersion;
  return { ...withoutVersion, meta: { ...meta, version: versionOf(withoutVersion) } };
};

const memberRef = (base: string, p: PersonRef) => ({
  value: p.id,
  $ref: `${base}/Users/${encodeURIComponent(p.id)}`,
  display: p.displayName,
  type: 'User',
});

/**
 * A directory user as a SCIM User with the enterprise extension (and ours, for the remaining HR
 * attributes). `userName` is the email (the user id when a user has none); `externalId` the HR source id.
 */
export const scimUser = (view: DirectoryUserView, o: { base: string }): ScimResource => {
  const { user, manager } = view;
  const a = user.attributes;
  const id = user.id;
  const formatted = [a.firstName, a.lastName].filter((s) => s !== null && s.trim() !== '').join(' ');
  const name = compact({
    formatted: formatted || null,
    givenName: a.firstName,
    familyName: a.lastName,
  });
  const enterprise = compact({
    employeeNumber: a.employeeNumber,
    department: a.department,
    manager:
      manager === null
        ? null
        : {
            value: manager.id,
            $ref: `${o.base}/Users/${encodeURIComponent(manager.id)}`,
            displayName: manager.displayName,
          },
  });
  const ours = compact({
    location: a.location,
    birthDate: a.birthDate,
    gender: a.gender,
    contractType: a.contractType,
    firstHiredOn: a.firstHiredOn,
    currentHiredOn: a.currentHiredOn,
    leavingDate: a.leavingDate,
    sourceProvider: view.provider,
  });
  const hasEnterprise = Object.keys(enterprise).length > 0;
  const hasOurs = Object.keys(ours).length > 0;
  const resource = compact({
    schemas: [
      SCIM_SCHEMA.user,
      ...(hasEnterprise ? [SCIM_SCHEMA.enterpriseUser] : []),
      ...(hasOurs ? [SCIM_SCHEMA.rostersyncUser] : []),
    ],
    id,
    externalId: user.sourceId,
    userName: a.email ?? id,
    name,
    // As the engine names people elsewhere (managers, members): names, else email, else id.
    displayName: formatted || a.email || id,
    title: a.jobTitle,
    active: user.active,
    emails: a.email === null ? null : [{ value: a.email, type: 'work', primary: true }],
    phoneNumbers: a.phoneNumber === null ? null : [{ value: a.phoneNumber, type: 'work', primary: true }],
    groups: view.groups.map((g) => ({
      value: g.id,
      $ref: `${o.base}/Groups/${encodeURIComponent(g.id)}`,
      display: g.name,
      type: 'direct',
    })),
    [SCIM_SCHEMA.enterpriseUser]: enterprise,
    [SCIM_SCHEMA.rostersyncUser]: ours,
  });
  return withMeta(resource, {
    resourceType: 'User',
    created: user.createdAt,
    lastModified: user.updatedAt,
    location: `${o.base}/Users/${encodeURIComponent(id)}`,
  });
};

/** A directory group as a SCIM Group with its members (without `meta.version` when they were not read). */
export const scimGroup = (view: DirectoryGroupView, o: { base: string }): ScimResource =>
  withMeta(
    compact({
      schemas: [SCIM_SCHEMA.group],
      id: view.id,
      displayName: view.name,
      members: view.members?.map((m) => memberRef(o.base, m)),
    }),
    {
      resourceType: 'Group',
      created: view.createdAt,
      lastModified: view.updatedAt,
      location: `${o.base}/Groups/${encodeURIComponent(view.id)}`,
    },
    { complete: view.members !== null },
  );

/** A ListResponse (RFC 7644 §3.4.2): totalResults, startIndex, itemsPerPage and Resources. */
export const listResponse = (o: {
  resources: readonly ScimResource[];
  totalResults: number;
  startIndex: number;
}): ScimResource => ({
  schemas: [SCIM_SCHEMA.listResponse],
  totalResults: o.totalResults,
  startIndex: o.startIndex,
  itemsPerPage: o.resources.length,
  Resources: o.resources,
});

/** An error body (RFC 7644 §3.12): `status` is a string there, `scimType` only for some 400s. */
export const scimErrorBody = (o: { status: number; detail: string; scimType?: ScimType }): ScimResource => ({
  schemas: [SCIM_SCHEMA.error],
  status: String(o.status),
  ...(o.scimType === undefined ? {} : { scimType: o.scimType }),
  detail: o.detail,
});
