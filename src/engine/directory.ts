/** Directory reads for other apps: the directory API's keyset pages and the SCIM service provider's queries. */
import { AppError } from '../core/errors.js';
import type { DirectoryGroupRecord, PersonSummary, UserRecord } from '../store/index.js';
import type { EngineDeps } from './deps.js';

/** A person as other records show her: id, email and a display name. */
export interface PersonRef {
  readonly id: string;
  readonly email: string | null;
  readonly displayName: string;
}

/** A user with what a consumer needs next to her record: manager, group names, source provider. */
export interface DirectoryUserView {
  readonly user: UserRecord;
  /** Null when she has no manager (or the manager is no longer in the directory). */
  readonly manager: PersonRef | null;
  /** Her groups, id and name, in the order of `user.groupIds`. */
  readonly groups: readonly { readonly id: string; readonly name: string }[];
  /** Provider slug of the integration she is linked to (`personio`, `file`...); null when unlinked. */
  readonly provider: string | null;
}

/** A group with its members. */
export interface DirectoryGroupView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Ordered by user id; null when the query asked to skip them (`members: false`). */
  readonly members: readonly PersonRef[] | null;
}

/** Given and family name; the email, then the id, when both names are empty. */
export const displayName = (p: {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}): string =>
  [p.firstName, p.lastName].filter((s) => s !== null && s.trim() !== '').join(' ') || p.email || p.id;

const personRef = (p: PersonSummary): PersonRef => ({
  id: p.id,
  email: p.email,
  displayName: displayName(p),
});

/** Adds managers, group names and providers to a page of users, in three small queries whatever the page. */
async function viewUsers(
  deps: EngineDeps,
  o: { tenantId: string; users: readonly UserRecord[] },
): Promise<DirectoryUserView[]> {
  if (o.users.length === 0) return [];
  const managerIds = [...new Set(o.users.flatMap((u) => (u.managerId === null ? [] : [u.managerId])))];
  const groupIds = [...new Set(o.users.flatMap((u) => u.groupIds))];
  const [managers, groups, integrations] = await Promise.all([
    deps.store.directoryReads.people(o.tenantId, managerIds),
    deps.store.directoryReads.groupNames(o.tenantId, groupIds),
    o.users.some((u) => u.integrationId !== null) ? deps.store.integrations.list(o.tenantId) : [],
  ]);
  const managerById = new Map(managers.map((m) => [m.id, personRef(m)]));
  const providerById = new Map(integrations.map((i) => [i.id, i.provider]));
  return o.users.map((user) => ({
    user,
    manager: user.managerId === null ? null : (managerById.get(user.managerId) ?? null),
    groups: user.groupIds.flatMap((id) => {
      const name = groups.get(id);
      return name === undefined ? [] : [{ id, name }];
    }),
    provider: user.integrationId === null ? null : (providerById.get(user.integrationId) ?? null),
  }));
}

const viewGroup = (g: DirectoryGroupRecord, o: { members: boolean }): DirectoryGroupView => ({
  id: g.id,
  name: g.name,
  createdAt: g.createdAt,
  updatedAt: g.updatedAt,
  members: o.members ? g.members.map(personRef) : null,
});

/** Position in a (updated_at, id) ordered listing; encoded in the opaque cursor. */
interface Keyset {
  readonly updatedAt: string;
  readonly id: string;
}

export const encodeCursor = (k: Keyset): string =>
  Buffer.from(JSON.stringify([k.updatedAt, k.id]), 'utf8').toString('base64url');

const badCursor = (): AppError =>
  new AppError(
    'invalid_input',
    'The cursor is not one this API returned (it may be cut or edited): pass `nextCursor` exactly as received, or start again without `cursor`.',
    { details: { field: 'cursor' } },
  );

/** Decodes a cursor from `encodeCursor`; anything else is `invalid_input`. */
export const decodeCursor = (cursor: string): Keyset => {
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new AppError('invalid_input', badCursor().message, { cause: error, details: { field: 'cursor' } });
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw badCursor();
  const [updatedAt, id] = parsed as unknown[];
  if (typeof updatedAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(updatedAt))) {
    throw badCursor();
  }
  return { updatedAt, id };
};

/** One page of a keyset listing: the items and the cursor of the next page (null on the last page). */
export interface DirectoryPage<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Options of the directory API's listings. */
export interface DirectoryPageRequest {
  readonly tenantId: string;
  /** ISO instant: only records updated at or after it. */
  readonly updatedSince?: string;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** 1..500. */
  readonly limit: number;
}

const keysetQuery = (r: DirectoryPageRequest) => ({
  ...(r.updatedSince === undefined ? {} : { updatedSince: r.updatedSince }),
  ...(r.cursor === undefined ? {} : { after: decodeCursor(r.cursor) }),
  // One more than asked tells whether another page exists without a count query.
  limit: r.limit + 1,
});

const page = <T extends { updatedAt: string; id: string }>(
  rows: readonly T[],
  limit: number,
): { rows: T[]; nextCursor: string | null } => {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    rows: items,
    nextCursor: rows.length > limit && last ? encodeCursor({ updatedAt: last.updatedAt, id: last.id }) : null,
  };
};

/**
 * Users ordered by (updatedAt, id): a consumer that keeps the last cursor sees every later change,
 * because an update moves the user to the end of the listing.
 */
export async function listDirectoryUsers(
  deps: EngineDeps,
  r: DirectoryPageRequest,
): Promise<DirectoryPage<DirectoryUserView>> {
  const rows = await deps.store.directoryReads.usersByUpdate(r.tenantId, keysetQuery(r));
  const { rows: users, nextCursor } = page(rows, r.limit);
  return { items: await viewUsers(deps, { tenantId: r.tenantId, users }), nextCursor };
}

/** Groups ordered by (updatedAt, id), with their members. */
export async function listDirectoryGroups(
  deps: EngineDeps,
  r: DirectoryPageRequest,
): Promise<DirectoryPage<DirectoryGroupView>> {
  const rows = await deps.store.directoryReads.groupsByUpdate(r.tenantId, keysetQuery(r));
  const { rows: groups, nextCursor } = page(rows, r.limit);
  return { items: groups.map((g) => viewGroup(g, { members: true })), nextCursor };
}

/** A SCIM-style query: filters (all must match), 1-based start, page size (0 = count only). */
export interface ScimUserQuery {
  readonly tenantId: string;
  /** Lower-cased email. */
  readonly userName?: string;
  readonly externalId?: string;
  /** ISO instant: updated strictly after it. */
  readonly modifiedAfter?: string;
  readonly startIndex: number;
  readonly count: number;
}

export interface ScimGroupQuery {
  readonly tenantId: string;
  /** Lower-cased name. */
  readonly displayName?: string;
  readonly modifiedAfter?: string;
  readonly startIndex: number;
  readonly count: number;
  /** False: groups come with an empty `members` (the client excluded them; large groups cost). */
  readonly members?: boolean;
}

/** One page of an index-paged query, and how many match in all. */
export interface IndexedPage<T> {
  readonly items: readonly T[];
  readonly total: number;
}

/** Users for SCIM `/Users`, oldest first (created, then id): new users land on the last page. */
export async function findDirectoryUsers(
  deps: EngineDeps,
  q: ScimUserQuery,
): Promise<IndexedPage<DirectoryUserView>> {
  const { items, total } = await deps.store.directoryReads.findUsers(q.tenantId, {
    ...(q.userName === undefined ? {} : { userName: q.userName }),
    ...(q.externalId === undefined ? {} : { externalId: q.externalId }),
    ...(q.modifiedAfter === undefined ? {} : { modifiedAfter: q.modifiedAfter }),
    offset: q.startIndex - 1,
    limit: q.count,
  });
  return { items: await viewUsers(deps, { tenantId: q.tenantId, users: items }), total };
}

/** One user of the tenant; undefined for an unknown id or another tenant's. */
export async function getDirectoryUser(
  deps: EngineDeps,
  o: { tenantId: string; id: string },
): Promise<DirectoryUserView | undefined> {
  const user = await deps.store.directory.getUser(o.tenantId, o.id);
  if (!user) return undefined;
  const [view] = await viewUsers(deps, { tenantId: o.tenantId, users: [user] });
  return view;
}

/** Groups for SCIM `/Groups`, oldest first (created, then id), with members. */
export async function findDirectoryGroups(
  deps: EngineDeps,
  q: ScimGroupQuery,
): Promise<IndexedPage<DirectoryGroupView>> {
  const members = q.members ?? true;
  const { items, total } = await deps.store.directoryReads.findGroups(q.tenantId, {
    ...(q.displayName === undefined ? {} : { displayName: q.displayName }),
    ...(q.modifiedAfter === undefined ? {} : { modifiedAfter: q.modifiedAfter }),
    offset: q.startIndex - 1,
    limit: q.count,
    members,
  });
  return { items: items.map((g) => viewGroup(g, { members })), total };
}

/** One group of the tenant with its members; undefined for an unknown id or another tenant's. */
export async function getDirectoryGroup(
  deps: EngineDeps,
  o: { tenantId: string; id: string },
): Promise<DirectoryGroupView | undefined> {
  const group = await deps.store.directoryReads.getGroup(o.tenantId, o.id);
  return group && viewGroup(group, { members: true });
}
