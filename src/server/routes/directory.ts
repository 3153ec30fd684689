/** Directory API for other apps: users and groups by (updatedAt, id) cursor pages, key with `directory:read`. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PersonAttributes } from '../../core/model.js';
import {
  listDirectoryGroups,
  listDirectoryUsers,
  type DirectoryGroupView,
  type DirectoryUserView,
} from '../../engine/index.js';
import type { RouteDeps } from '../deps.js';
import { principalOf, type Access } from '../plugins/auth.js';
import { withZod } from '../plugins/zod.js';
import { responses } from './common.js';

/** Only API keys read the directory: it is for other apps, not for the admin UI. */
export const directoryRead: Access = { scopes: ['directory:read'] };

/** A user as the directory API returns it: every attribute, flat, plus relations and timestamps. */
export type DirectoryApiUser = PersonAttributes & {
  readonly id: string;
  readonly active: boolean;
  readonly manager: { readonly id: string; readonly email: string | null } | null;
  readonly groupIds: readonly string[];
  /** The HR record that manages the user; null for users not linked to a source. */
  readonly source: {
    readonly integrationId: string;
    readonly provider: string | null;
    readonly sourceId: string | null;
  } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export interface DirectoryApiGroup {
  readonly id: string;
  readonly name: string;
  /** Ordered by user id. */
  readonly memberIds: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One page: `nextCursor` is null on the last page. */
export interface DirectoryApiPage<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export const directoryUser = (v: DirectoryUserView): DirectoryApiUser => {
  const u = v.user;
  return {
    id: u.id,
    ...u.attributes,
    active: u.active,
    manager: v.manager === null ? null : { id: v.manager.id, email: v.manager.email },
    groupIds: u.groupIds,
    source:
      u.integrationId === null
        ? null
        : { integrationId: u.integrationId, provider: v.provider, sourceId: u.sourceId },
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
};

export const directoryGroup = (g: DirectoryGroupView): DirectoryApiGroup => ({
  id: g.id,
  name: g.name,
  memberIds: (g.members ?? []).map((m) => m.id),
  createdAt: g.createdAt,
  updatedAt: g.updatedAt,
});

const pageQuery = z.object({
  updatedSince: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s).toISOString())
    .optional()
    .describe('ISO date-time with zone (e.g. 2026-11-23T06:00:00Z): records updated at or after it'),
  cursor: z.string().min(1).max(512).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const pageRequest = (tenantId: string, q: z.output<typeof pageQuery>) => ({
  tenantId,
  limit: q.limit,
  ...(q.updatedSince === undefined ? {} : { updatedSince: q.updatedSince }),
  ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
});

const description =
  'Ordered by (updatedAt, id); follow nextCursor until it is null. To receive later changes, keep the newest ' +
  'updatedAt you read and pass it as updatedSince next time (inclusive: changes are delivered at least once).';

export default function directoryRoutes(app: FastifyInstance, opts: RouteDeps): Promise<void> {
  const r = withZod(app);
  const { deps } = opts;

  r.get(
    '/api/v1/directory/users',
    {
      schema: {
        tags: ['directory'],
        summary: 'Directory users, with manager, groups and source link',
        description,
        querystring: pageQuery,
        response: responses({
          200: 'A page of users',
          401: 'No or bad API key',
          403: 'Key without directory:read',
        }),
      },
      config: { access: directoryRead },
    },
    async (request): Promise<DirectoryApiPage<DirectoryApiUser>> => {
      const page = await listDirectoryUsers(deps, pageRequest(principalOf(request).tenantId, request.query));
      return { items: page.items.map(directoryUser), nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/api/v1/directory/groups',
    {
      schema: {
        tags: ['directory'],
        summary: 'Directory groups, with member ids',
        description,
        querystring: pageQuery,
        response: responses({
          200: 'A page of groups',
          401: 'No or bad API key',
          403: 'Key without directory:read',
        }),
      },
      config: { access: directoryRead },
    },
    async (request): Promise<DirectoryApiPage<DirectoryApiGroup>> => {
      const page = await listDirectoryGroups(deps, pageRequest(principalOf(request).tenantId, request.query));
      return { items: page.items.map(directoryGroup), nextCursor: page.nextCursor };
    },
  );
  return Promise.resolve();
}
