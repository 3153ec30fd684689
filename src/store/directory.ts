/** Directory reads (snapshot, users, groups, reference lists) and the small admin-driven writes. */
import type { Expression, Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { AppError } from '../core/errors.js';
import type { ReferenceKind } from '../core/model.js';
import type { StoreContext } from './context.js';
import {
  chunk,
  direct,
  iso,
  likePattern,
  normalizeEmail,
  normalizeName,
  rowsPerStatement,
  transact,
} from './context.js';
import { userFromRow } from './rows.js';
import type { Database } from './schema.js';
import type { Store, UserQuery } from './store.js';

/** The three reference tables share one shape; Kysely is told the first one's name for typing. */
export const referenceTable = (kind: ReferenceKind): 'departments' =>
  ({ departments: 'departments', positions: 'positions', locations: 'locations' })[kind] as 'departments';

/** Memberships of the given users (all of the tenant's when `userIds` is undefined), as user id → group ids. */
const loadGroupIds = async (
  db: Kysely<Database>,
  opts: { tenantId: string; userIds?: readonly string[]; dialect: StoreContext['dialect'] },
): Promise<Map<string, string[]>> => {
  const byUser = new Map<string, string[]>();
  const batches =
    opts.userIds === undefined ? [undefined] : chunk(opts.userIds, rowsPerStatement(opts.dialect, 1));
  for (const ids of batches) {
    if (ids?.length === 0) continue;
    let q = db
      .selectFrom('memberships')
      .select(['user_id', 'group_id'])
      .where('tenant_id', '=', opts.tenantId)
      .orderBy('group_id');
    if (ids) q = q.where('user_id', 'in', ids);
    for (const m of await q.execute()) {
      const list = byUser.get(m.user_id);
      if (list) list.push(m.group_id);
      else byUser.set(m.user_id, [m.group_id]);
    }
  }
  return byUser;
};

const listNames = async (db: Kysely<Database>, tenantId: string, kind: ReferenceKind): Promise<string[]> => {
  const rows = await db
    .selectFrom(referenceTable(kind))
    .select('name')
    .where('tenant_id', '=', tenantId)
    .orderBy('name_normalized')
    .execute();
  return rows.map((r) => r.name);
};

const listGenderChoices = async (db: Kysely<Database>, tenantId: string): Promise<string[]> => {
  const rows = await db
    .selectFrom('gender_choices')
    .select('value')
    .where('tenant_id', '=', tenantId)
    .orderBy('seq')
    .orderBy('value')
    .execute();
  return rows.map((r) => r.value);
};

export const directoryRepo = (ctx: StoreContext): Store['directory'] => {
  const usersWithGroups = async (tenantId: string, rows: Parameters<typeof userFromRow>[0][]) => {
    const groups = await loadGroupIds(ctx.db, {
      tenantId,
      userIds: rows.map((r) => r.id),
      dialect: ctx.dialect,
    });
    return rows.map((r) => userFromRow(r, groups.get(r.id) ?? []));
  };

  const oneUser = async (tenantId: string, where: { id?: string; email?: string }) => {
    let q = ctx.db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId);
    if (where.id !== undefined) q = q.where('id', '=', where.id);
    if (where.email !== undefined) q = q.where('email_normalized', '=', normalizeEmail(where.email));
    const row = await q.executeTakeFirst();
    if (!row) return undefined;
    const [user] = await usersWithGroups(tenantId, [row]);
    return user;
  };

  return {
    async snapshot(tenantId) {
      // One read transaction so users, memberships and groups agree with each other; PostgreSQL needs
      // REPEATABLE READ for that, SQLite's WAL gives every transaction a snapshot already.
      const tx = ctx.db.transaction();
      const run = ctx.dialect === 'postgres' ? tx.setIsolationLevel('repeatable read') : tx;
      return run.execute(async (db) => {
        const userRows = await db
          .selectFrom('users')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .orderBy('id')
          .execute();
        const groupIds = await loadGroupIds(db, { tenantId, dialect: ctx.dialect });
        const groups = await db
          .selectFrom('groups')
          .select(['id', 'name'])
          .where('tenant_id', '=', tenantId)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        const admins = await db
          .selectFrom('admins')
          .select('email')
          .where('tenant_id', '=', tenantId)
          .execute();
        return {
          users: userRows.map((r) => userFromRow(r, groupIds.get(r.id) ?? [])),
          groups,
          references: {
            departments: await listNames(db, tenantId, 'departments'),
            positions: await listNames(db, tenantId, 'positions'),
            locations: await listNames(db, tenantId, 'locations'),
          },
          genderChoices: await listGenderChoices(db, tenantId),
          adminEmails: admins.map((a) => a.email),
        };
      });
    },

    async listUsers(tenantId, q: UserQuery) {
      const base = ctx.db.selectFrom('users');
      const filters = (withCursor: boolean) =>
        base.where((eb) => {
          const c: Expression<SqlBool>[] = [eb('tenant_id', '=', tenantId)];
          if (q.active !== undefined) c.push(eb('active', '=', q.active));
          if (q.integrationId !== undefined) c.push(eb('integration_id', '=', q.integrationId));
          if (q.department !== undefined) c.push(eb('department', '=', q.department));
          if (q.updatedSince !== undefined) c.push(eb('updated_at', '>=', q.updatedSince));
          if (withCursor && q.afterId !== undefined) c.push(eb('id', '>', q.afterId));
          if (q.groupId !== undefined) {
            const members = eb
              .selectFrom('memberships')
              .select('user_id')
              .where('tenant_id', '=', tenantId)
              .where('group_id', '=', q.groupId);
            c.push(eb('id', 'in', members));
          }
          if (q.search !== undefined && q.search.trim() !== '') {
            const p = likePattern(q.search);
            const like = (e: Expression<string | null>) => sql<SqlBool>`lower(${e}) like ${p} escape '\\'`;
            const fullName = sql<string>`coalesce(${sql.ref('first_name')}, '') || ' ' || coalesce(${sql.ref('last_name')}, '')`;
            c.push(
              eb.or([
                sql<SqlBool>`${sql.ref('email_normalized')} like ${p} escape '\\'`,
                like(fullName),
                like(eb.ref('last_name')),
                like(eb.ref('employee_number')),
              ]),
            );
          }
          return eb.and(c);
        });
      const countRow = await filters(false)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      let page = filters(true).selectAll().orderBy('id').limit(q.limit);
      if (q.offset !== undefined && q.offset > 0) page = page.offset(q.offset);
      const rows = await page.execute();
      return { items: await usersWithGroups(tenantId, rows), total: Number(countRow.n) };
    },

    getUser: (tenantId, userId) => oneUser(tenantId, { id: userId }),
    getUserByEmail: (tenantId, email) => oneUser(tenantId, { email }),

    async listGroups(tenantId) {
      const rows = await ctx.db
        .selectFrom('groups')
        .leftJoin('memberships', 'memberships.group_id', 'groups.id')
        .select((eb) => [
          'groups.id',
          'groups.name',
          'groups.created_at',
          'groups.updated_at',
          eb.fn.count<number | string>('memberships.user_id').as('member_count'),
        ])
        .where('groups.tenant_id', '=', tenantId)
        .groupBy(['groups.id', 'groups.name', 'groups.created_at', 'groups.updated_at'])
        .orderBy('groups.created_at')
        .orderBy('groups.id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        memberCount: Number(r.member_count),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }));
    },

    listReferences: (tenantId, kind) => listNames(ctx.db, tenantId, kind),
    listGenderChoices: (tenantId) => listGenderChoices(ctx.db, tenantId),

    async addGenderChoice(tenantId, value) {
      const v = value.trim();
      if (v === '')
        throw new AppError(
          'invalid_input',
          'A gender choice cannot be empty: enter a value such as "diverse".',
        );
      const existing = await listGenderChoices(ctx.db, tenantId);
      if (existing.some((e) => e.toLowerCase() === v.toLowerCase())) return;
      const result = await ctx.db
        .insertInto('gender_choices')
        .values((eb) => ({
          tenant_id: tenantId,
          value: v,
          seq: eb
            .selectFrom('gender_choices')
            .select(sql<number>`coalesce(max(seq), -1) + 1`.as('next'))
            .where('tenant_id', '=', tenantId),
        }))
        .onConflict((oc) => oc.columns(['tenant_id', 'value']).doNothing())
        .executeTakeFirst();
      direct(ctx).rows(result.numInsertedOrUpdatedRows);
    },

    async upsertPositions(tenantId, positions) {
      const now = iso(ctx.clock.now());
      // Last one wins for titles repeated in one file; PostgreSQL refuses to upsert one row twice per statement.
      const byName = new Map<string, { code: string | null; title: string; department: string | null }>();
      for (const p of positions) {
        if (p.title.trim() !== '') byName.set(normalizeName(p.title), { ...p, title: p.title.trim() });
      }
      const departments = new Map<string, string>();
      for (const p of byName.values()) {
        if (p.department && p.department.trim() !== '')
          departments.set(normalizeName(p.department), p.department.trim());
      }
      return transact(ctx, async (w) => {
        let changed = 0;
        for (const part of chunk([...departments], rowsPerStatement(ctx.dialect, 4))) {
          const r = await w.db
            .insertInto('departments')
            .values(
              part.map(([key, name]) => ({
                tenant_id: tenantId,
                name,
                name_normalized: key,
                created_at: now,
              })),
            )
            .onConflict((oc) => oc.columns(['tenant_id', 'name_normalized']).doNothing())
            .executeTakeFirst();
          w.rows(r.numInsertedOrUpdatedRows);
        }
        for (const part of chunk([...byName], rowsPerStatement(ctx.dialect, 7))) {
          const r = await w.db
            .insertInto('positions')
            .values(
              part.map(([key, p]) => ({
                tenant_id: tenantId,
                name: p.title,
                name_normalized: key,
                code: p.code,
                department: p.department,
                created_at: now,
                updated_at: now,
              })),
            )
            .onConflict((oc) =>
              oc
                .columns(['tenant_id', 'name_normalized'])
                .doUpdateSet((eb) => ({
                  code: eb.ref('excluded.code'),
                  department: eb.ref('excluded.department'),
                  updated_at: eb.ref('excluded.updated_at'),
                }))
                .where((eb) =>
                  eb.or([
                    eb('positions.code', 'is distinct from', eb.ref('excluded.code')),
                    eb('positions.department', 'is distinct from', eb.ref('excluded.department')),
                  ]),
                ),
            )
            .executeTakeFirst();
          w.rows(r.numInsertedOrUpdatedRows);
          changed += Number(r.numInsertedOrUpdatedRows ?? 0);
        }
        return changed;
      });
    },
  };
};
