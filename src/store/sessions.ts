/** Admin sessions and org-chart reads: the store additions of the HTTP service (migration 0002). */
import type { Kysely, Selectable } from 'kysely';
import type { StoreContext } from './context.js';
import { iso } from './context.js';
import { adminFromRow, bool } from './rows.js';
import type { AdminsRow, Database, UsersRow } from './schema.js';
import type { AdminRecord } from './types.js';

/** The `sessions` table (0002-sessions). */
export interface SessionsRow {
  id: string;
  tenant_id: string;
  admin_id: string;
  /** sha256 of the cookie token: a database leak does not leak usable sessions. */
  token_hash: string;
  /** Sent back by the browser in `x-csrf-token`; useless without the cookie. */
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** A signed-in admin's session as stored (never the token itself). */
export interface SessionRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly adminId: string;
  readonly tokenHash: string;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

export interface SessionsRepo {
  create(i: {
    id: string;
    tenantId: string;
    adminId: string;
    tokenHash: string;
    csrfToken: string;
    now: Date;
    expiresAt: Date;
  }): Promise<SessionRecord>;
  /** The session and its admin; expired and revoked sessions are returned too (the caller decides). */
  findByTokenHash(hash: string): Promise<{ session: SessionRecord; admin: AdminRecord } | undefined>;
  /** Sliding expiry: records the use and moves the expiry. */
  touch(id: string, at: { lastSeenAt: Date; expiresAt: Date }): Promise<void>;
  /** True when an active session was revoked now. */
  revoke(id: string, at: Date): Promise<boolean>;
  /** Removes sessions that expired before `before`; returns how many. */
  deleteExpired(before: Date): Promise<number>;
}

/** A user as a line of an org chart (a manager's reports). */
export interface UserSummary {
  readonly id: string;
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly active: boolean;
}

export interface OrgChartRepo {
  /** Users whose manager is `managerId`, in this tenant only, by last then first name. */
  reportsOf(tenantId: string, managerId: string, limit: number): Promise<UserSummary[]>;
}

type SessionDb = Kysely<Database & { sessions: SessionsRow }>;

const sessionFromRow = (r: Selectable<SessionsRow>): SessionRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  adminId: r.admin_id,
  tokenHash: r.token_hash,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export const sessionsRepo = (ctx: StoreContext): SessionsRepo => {
  const db: SessionDb = ctx.db.withTables<{ sessions: SessionsRow }>();
  return {
    async create(i) {
      const row: SessionsRow = {
        id: i.id,
        tenant_id: i.tenantId,
        admin_id: i.adminId,
        token_hash: i.tokenHash,
        csrf_token: i.csrfToken,
        created_at: iso(i.now),
        last_seen_at: iso(i.now),
        expires_at: iso(i.expiresAt),
        revoked_at: null,
      };
      await db.insertInto('sessions').values(row).execute();
      return sessionFromRow(row);
    },

    async findByTokenHash(hash) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('admins', (j) =>
          j.onRef('admins.id', '=', 'sessions.admin_id').onRef('admins.tenant_id', '=', 'sessions.tenant_id'),
        )
        .selectAll('sessions')
        .select([
          'admins.email as admin_email',
          'admins.email_normalized as admin_email_normalized',
          'admins.password_hash as admin_password_hash',
          'admins.role as admin_role',
          'admins.created_at as admin_created_at',
        ])
        .where('sessions.token_hash', '=', hash)
        .executeTakeFirst();
      if (!row) return undefined;
      const admin: Selectable<AdminsRow> = {
        id: row.admin_id,
        tenant_id: row.tenant_id,
        email: row.admin_email,
        email_normalized: row.admin_email_normalized,
        password_hash: row.admin_password_hash,
        role: row.admin_role,
        created_at: row.admin_created_at,
      };
      return { session: sessionFromRow(row), admin: adminFromRow(admin) };
    },

    async touch(id, at) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: iso(at.lastSeenAt), expires_at: iso(at.expiresAt) })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },

    async revoke(id, at) {
      const result = await db
        .updateTable('sessions')
        .set({ revoked_at: iso(at) })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async deleteExpired(before) {
      const result = await db.deleteFrom('sessions').where('expires_at', '<', iso(before)).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
};

const summaryFromRow = (
  r: Pick<Selectable<UsersRow>, 'id' | 'email' | 'first_name' | 'last_name' | 'active'>,
): UserSummary => ({
  id: r.id,
  email: r.email,
  firstName: r.first_name,
  lastName: r.last_name,
  active: bool(r.active),
});

export const orgChartRepo = (ctx: StoreContext): OrgChartRepo => ({
  async reportsOf(tenantId, managerId, limit) {
    const rows = await ctx.db
      .selectFrom('users')
      .select(['id', 'email', 'first_name', 'last_name', 'active'])
      .where('tenant_id', '=', tenantId)
      .where('manager_id', '=', managerId)
      .orderBy('last_name')
      .orderBy('first_name')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(summaryFromRow);
  },
});
