/** `Store.apply`: one fenced transaction that writes a batch of a plan, in bulk statements. */
import { AppError } from '../core/errors.js';
import { personFields } from '../core/model.js';
import type { PersonAttributes } from '../core/model.js';
import type { StoreContext, Work } from './context.js';
import {
  chunk,
  isForeignKeyViolation,
  iso,
  normalizeEmail,
  normalizeName,
  rowsPerStatement,
  transact,
  uniqueViolation,
} from './context.js';
import { bulkUpdateUsers, deleteMembershipPairs } from './bulk.js';
import type { UserColumn } from './bulk.js';
import { referenceTable } from './directory.js';
import { checkFence } from './leases.js';
import { insertRunItems } from './runs.js';
import type { Insertable } from 'kysely';
import type { UsersRow } from './schema.js';
import { userColumns } from './schema.js';
import type { ApplyOps, Fence } from './types.js';

export interface ApplyOptions {
  readonly fence: Fence | null;
  readonly now: Date;
  readonly ttlMs?: number;
}

type UserUpdate = NonNullable<ApplyOps['updateUsers']>[number];

/** The columns one update touches, with their values; `email` also rewrites its normalized key. */
const updateColumns = (u: UserUpdate): Map<UserColumn, unknown> => {
  const set = new Map<UserColumn, unknown>();
  const attributes: Partial<PersonAttributes> = u.attributes ?? {};
  for (const field of personFields) {
    const value = attributes[field];
    if (value === undefined) continue;
    set.set(userColumns[field], value);
    if (field === 'email') set.set('email_normalized', value === null ? null : normalizeEmail(value));
  }
  if (u.active !== undefined) set.set('active', u.active);
  if (u.link !== undefined) {
    set.set('integration_id', u.link.integrationId);
    set.set('source_id', u.link.sourceId);
  }
  return set;
};

/**
 * Groups updates by the set of columns they change, so each group is one bulk statement per chunk:
 * a first sync that links 100 000 users by email is then a handful of statements, not 100 000.
 */
const groupByShape = (updates: readonly UserUpdate[]) => {
  const shapes = new Map<string, { columns: UserColumn[]; rows: unknown[][] }>();
  for (const u of updates) {
    const set = updateColumns(u);
    if (set.size === 0) continue;
    const columns = [...set.keys()].sort();
    const key = columns.join(',');
    let shape = shapes.get(key);
    if (!shape) {
      shape = { columns, rows: [] };
      shapes.set(key, shape);
    }
    shape.rows.push([u.id, ...columns.map((c) => set.get(c))]);
  }
  return [...shapes.values()];
};

const writeReferences = async (w: Work, ops: ApplyOps, now: string): Promise<void> => {
  for (const ref of ops.references ?? []) {
    const byKey = new Map<string, string>();
    for (const name of ref.names) {
      // The first spelling wins, as it would had the names arrived in separate batches.
      const key = normalizeName(name);
      if (name.trim() !== '' && !byKey.has(key)) byKey.set(key, name.trim());
    }
    for (const part of chunk([...byKey], rowsPerStatement(w.dialect, 7))) {
      const base = part.map(([key, name]) => ({
        tenant_id: ops.tenantId,
        name,
        name_normalized: key,
        created_at: now,
      }));
      const insert =
        ref.kind === 'positions'
          ? w.db
              .insertInto('positions')
              .values(base.map((r) => ({ ...r, code: null, department: null, updated_at: now })))
          : w.db.insertInto(referenceTable(ref.kind)).values(base);
      const result = await insert
        .onConflict((oc) => oc.columns(['tenant_id', 'name_normalized']).doNothing())
        .executeTakeFirst();
      w.rows(result.numInsertedOrUpdatedRows);
    }
  }
};

const writeUsers = async (w: Work, ops: ApplyOps, now: string): Promise<void> => {
  const creates = ops.createUsers ?? [];
  for (const part of chunk(creates, rowsPerStatement(w.dialect, 23))) {
    const rows = part.map((u) => {
      const row: Record<string, unknown> = {
        id: u.id,
        tenant_id: ops.tenantId,
        email_normalized: u.attributes.email === null ? null : normalizeEmail(u.attributes.email),
        active: u.active,
        manager_id: u.managerId ?? null,
        integration_id: u.integrationId,
        source_id: u.sourceId,
        created_at: now,
        updated_at: now,
      };
      for (const field of personFields) row[userColumns[field]] = u.attributes[field];
      return row as Insertable<UsersRow>;
    });
    // An existing id means a re-run of a batch that already committed: leave that user alone.
    const result = await w.db
      .insertInto('users')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    w.rows(result.numInsertedOrUpdatedRows);
  }

  for (const shape of groupByShape(ops.updateUsers ?? [])) {
    w.rows(await bulkUpdateUsers(w, { tenantId: ops.tenantId, updatedAt: now, ...shape }));
  }

  const managers = ops.setManagers ?? [];
  if (managers.length > 0) {
    const rows = managers.map((m) => [m.userId, m.managerId]);
    w.rows(
      await bulkUpdateUsers(w, { tenantId: ops.tenantId, updatedAt: now, columns: ['manager_id'], rows }),
    );
  }

  // Memberships cascade and reports lose their manager (ON DELETE CASCADE / SET NULL).
  for (const ids of chunk(ops.deleteUsers ?? [], rowsPerStatement(w.dialect, 1))) {
    const result = await w.db
      .deleteFrom('users')
      .where('tenant_id', '=', ops.tenantId)
      .where('id', 'in', ids)
      .executeTakeFirst();
    w.rows(result.numDeletedRows);
  }
};

const writeMemberships = async (w: Work, ops: ApplyOps, now: string): Promise<void> => {
  for (const part of chunk(ops.addMemberships ?? [], rowsPerStatement(w.dialect, 4))) {
    const result = await w.db
      .insertInto('memberships')
      .values(
        part.map((m) => ({
          tenant_id: ops.tenantId,
          user_id: m.userId,
          group_id: m.groupId,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing())
      .executeTakeFirst();
    w.rows(result.numInsertedOrUpdatedRows);
  }
  const removals = ops.removeMemberships ?? [];
  if (removals.length > 0) {
    w.rows(await deleteMembershipPairs(w, { tenantId: ops.tenantId, pairs: removals }));
  }
  // A membership change is a change of the user and of the group: readers polling `updatedSince`
  // (directory API, SCIM `meta.lastModified gt`) must see it.
  const changed = [...(ops.addMemberships ?? []), ...removals];
  for (const [table, ids] of [
    ['users', new Set(changed.map((m) => m.userId))],
    ['groups', new Set(changed.map((m) => m.groupId))],
  ] as const) {
    for (const part of chunk([...ids], rowsPerStatement(w.dialect, 1) - 2)) {
      await w.db
        .updateTable(table)
        .set({ updated_at: now })
        .where('tenant_id', '=', ops.tenantId)
        .where('id', 'in', part)
        .execute();
    }
  }
};

const writeGroups = async (w: Work, ops: ApplyOps, now: string): Promise<void> => {
  for (const part of chunk(ops.groups ?? [], rowsPerStatement(w.dialect, 5))) {
    const result = await w.db
      .insertInto('groups')
      .values(
        part.map((g) => ({
          id: g.id,
          tenant_id: ops.tenantId,
          name: g.name,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    w.rows(result.numInsertedOrUpdatedRows);
  }
};

const writeReport = async (
  w: Work,
  batch: { ops: ApplyOps; now: string; newId: () => string },
): Promise<void> => {
  const { ops, now } = batch;
  const items = ops.runItems ?? [];
  if (items.length > 0) {
    if (ops.runId === null) {
      throw new AppError('internal', 'apply() was given run items without a run id: pass ops.runId.');
    }
    await insertRunItems(w, { tenantId: ops.tenantId, runId: ops.runId, items });
  }
  for (const part of chunk(ops.audit ?? [], rowsPerStatement(w.dialect, 8))) {
    await w.db
      .insertInto('audit_log')
      .values(
        part.map((a) => ({
          id: batch.newId(),
          tenant_id: ops.tenantId,
          user_id: a.userId,
          run_id: a.runId,
          actor: a.actor,
          action: a.action,
          changes: JSON.stringify(a.changes),
          at: now,
        })),
      )
      .execute();
  }
};

/** Turns constraint violations into `conflict` errors an admin can act on; anything else is rethrown. */
const explain = (error: unknown, tenantId: string): unknown => {
  const unique = uniqueViolation(error);
  const what =
    unique === undefined
      ? isForeignKeyViolation(error)
        ? 'a manager, membership or group refers to a user or group that no longer exists'
        : undefined
      : unique.includes('email')
        ? 'two users would share an email address'
        : unique.includes('source') || unique.includes('link')
          ? 'two users would be linked to the same HR record'
          : `a unique key would be duplicated (${unique})`;
  if (what === undefined) return error;
  return new AppError(
    'conflict',
    `The directory of tenant '${tenantId}' changed while the sync ran: ${what}. Nothing from this batch was ` +
      'written; run the sync again so it plans against the current directory.',
    { cause: error },
  );
};

/** See `Store.apply`: order matters (users before managers and memberships; deletes before removals). */
export const applyOps = async (ctx: StoreContext, ops: ApplyOps, opts: ApplyOptions): Promise<void> => {
  const now = iso(opts.now);
  try {
    await transact(ctx, async (w) => {
      if (opts.fence) {
        await checkFence(w, {
          fence: opts.fence,
          now: opts.now,
          ...(opts.ttlMs === undefined ? {} : { ttlMs: opts.ttlMs }),
        });
      }
      await writeReferences(w, ops, now);
      await writeGroups(w, ops, now);
      await writeUsers(w, ops, now);
      await writeMemberships(w, ops, now);
      await writeReport(w, { ops, now, newId: ctx.newId });
    });
  } catch (error) {
    throw explain(error, ops.tenantId);
  }
};
