/** The apply step: a plan becomes ordered batches, each one transaction fenced by the run's lease. */
import type { FieldChange, PersonAttributes, PersonField, Plan, UserChange } from '../core/model.js';
import { personFields } from '../core/model.js';
import type { ApplyOps, AuditEntry, Fence, RunItem } from '../store/types.js';

const personFieldSet: ReadonlySet<string> = new Set(personFields);

export interface BatchOptions {
  readonly tenantId: string;
  readonly integrationId: string;
  readonly runId: string;
  readonly batchSize: number;
  /** Audit actor: `run` for syncs. */
  readonly actor: string;
  /** Write run items with the changes (false when a confirmed run already stored its preview). */
  readonly items: boolean;
}

/** Run item for one user change (the run report's line with its field diff). */
export function itemForChange(change: UserChange): RunItem {
  return {
    action: change.action,
    userId: change.userId,
    sourceId: change.sourceId,
    record: change.sourceId === null ? change.email : `employee ${change.sourceId}`,
    email: change.email,
    changes: change.changes,
    code: null,
    field: null,
    message: change.reason === undefined ? null : reasonText(change.reason),
  };
}

function reasonText(reason: NonNullable<UserChange['reason']>): string {
  switch (reason) {
    case 'inactive':
      return 'inactive in the HR system';
    case 'left':
      return 'leaving date in the past';
    case 'missing':
      return 'no longer in the HR roster';
    case 'rehired':
      return 'active again in the HR system';
  }
}

/** Run items for the plan's record errors and warnings. */
export function itemsForIssues(plan: Plan): RunItem[] {
  return plan.issues.map((issue) => ({
    action: issue.severity,
    userId: null,
    sourceId: issue.sourceId,
    record: issue.record,
    email: null,
    changes: [],
    code: issue.code,
    field: issue.field,
    message: issue.message,
  }));
}

function attributePatch(changes: readonly FieldChange[]): Partial<PersonAttributes> | undefined {
  const patch: Partial<Record<PersonField, string | null>> = {};
  let any = false;
  for (const c of changes) {
    if (personFieldSet.has(c.field)) {
      patch[c.field as PersonField] = c.after;
      any = true;
    }
  }
  return any ? patch : undefined;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The plan's user writes with every new user after her new manager; otherwise in the plan's order.
 * Reports wait for their manager and follow her at once (depth first), so a whole new org chart is
 * inserted top-down. The planner breaks manager cycles; should one remain, its users keep plan order.
 */
export function managersFirst(writes: readonly UserChange[]): UserChange[] {
  const creates = new Set(writes.filter((u) => u.action === 'create').map((u) => u.userId));
  const waiting = new Map<string, UserChange[]>();
  const emitted = new Set<string>();
  const out: UserChange[] = [];
  const emit = (first: UserChange): void => {
    const stack = [first];
    for (let u = stack.pop(); u !== undefined; u = stack.pop()) {
      out.push(u);
      emitted.add(u.userId);
      const reports = waiting.get(u.userId);
      if (reports === undefined) continue;
      waiting.delete(u.userId);
      for (let i = reports.length - 1; i >= 0; i--) stack.push(reports[i] as UserChange);
    }
  };
  for (const u of writes) {
    const managerId = u.action === 'create' ? u.managerId : undefined;
    if (managerId != null && creates.has(managerId) && !emitted.has(managerId)) {
      const list = waiting.get(managerId);
      if (list) list.push(u);
      else waiting.set(managerId, [u]);
    } else {
      emit(u);
    }
  }
  for (const u of writes) if (!emitted.has(u.userId)) out.push(u);
  return out;
}

/**
 * Orders the writes so every batch is consistent on its own (docs/adr/0004-apply.md):
 * reference lists and groups, then users (creates, updates, status), then managers (all users exist),
 * then memberships, then deletions, then the record issues. A crash between batches leaves a
 * consistent directory that the next run's plan completes.
 */
export function planToBatches(plan: Plan, o: BatchOptions): ApplyOps[] {
  const base = { tenantId: o.tenantId, runId: o.runId };
  const batches: ApplyOps[] = [];
  const references = (['departments', 'positions', 'locations'] as const)
    .map((kind) => ({ kind, names: plan.referencesToCreate[kind] }))
    .filter((r) => r.names.length > 0);
  if (references.length > 0 || plan.groupsToCreate.length > 0) {
    batches.push({ ...base, references, groups: plan.groupsToCreate });
  }

  // A new user is inserted with her manager when the manager exists by then (in the directory, or
  // inserted earlier in this order): one write instead of an insert plus an update in the managers
  // pass, which was the largest single cost of a first sync of 100 000 people (docs/performance.md).
  const writes = managersFirst(plan.users.filter((u) => u.action !== 'unchanged' && u.action !== 'delete'));
  const created = new Set(writes.filter((u) => u.action === 'create').map((u) => u.userId));
  const placed = new Set<string>();
  const managerInlined = new Set<string>();
  for (const part of chunk(writes, o.batchSize)) {
    const createUsers: NonNullable<ApplyOps['createUsers']>[number][] = [];
    const updateUsers: NonNullable<ApplyOps['updateUsers']>[number][] = [];
    const audit: AuditEntry[] = [];
    for (const change of part) {
      if (change.action === 'create') {
        if (!change.after) throw new Error(`plan bug: create of ${change.userId} has no attributes`);
        const managerId = change.managerId ?? null;
        const inline = managerId !== null && (!created.has(managerId) || placed.has(managerId));
        if (inline) managerInlined.add(change.userId);
        placed.add(change.userId);
        createUsers.push({
          id: change.userId,
          attributes: change.after,
          active: true,
          integrationId: o.integrationId,
          sourceId: change.sourceId,
          ...(inline ? { managerId } : {}),
        });
      } else {
        const attributes = attributePatch(change.changes);
        const active =
          change.action === 'deactivate' ? false : change.action === 'reactivate' ? true : undefined;
        updateUsers.push({
          id: change.userId,
          ...(attributes ? { attributes } : {}),
          ...(active === undefined ? {} : { active }),
          ...(change.link ? { link: change.link } : {}),
        });
      }
      audit.push({
        userId: change.userId,
        runId: o.runId,
        actor: o.actor,
        action: change.action,
        changes: change.changes,
      });
    }
    batches.push({
      ...base,
      createUsers,
      updateUsers,
      audit,
      ...(o.items ? { runItems: part.map(itemForChange) } : {}),
    });
  }

  const managers = plan.users
    .filter((u) => u.action !== 'delete' && u.managerId !== undefined && !managerInlined.has(u.userId))
    .map((u) => ({ userId: u.userId, managerId: u.managerId ?? null }));
  for (const part of chunk(managers, o.batchSize * 4)) batches.push({ ...base, setManagers: part });

  const memberships = Math.max(plan.membershipsToAdd.length, plan.membershipsToRemove.length);
  const size = o.batchSize * 4;
  for (let i = 0; i < memberships; i += size) {
    batches.push({
      ...base,
      addMemberships: plan.membershipsToAdd.slice(i, i + size),
      removeMemberships: plan.membershipsToRemove.slice(i, i + size),
    });
  }

  const deletions = plan.users.filter((u) => u.action === 'delete');
  for (const part of chunk(deletions, o.batchSize)) {
    batches.push({
      ...base,
      deleteUsers: part.map((u) => u.userId),
      ...(o.items ? { runItems: part.map(itemForChange) } : {}),
      // The audit row outlives the user: it records who was deleted, by which run, and why.
      audit: part.map((u) => ({
        userId: u.userId,
        runId: o.runId,
        actor: o.actor,
        action: 'delete' as const,
        changes: u.changes,
      })),
    });
  }

  const issues = o.items ? itemsForIssues(plan) : [];
  for (const part of chunk(issues, o.batchSize * 4)) batches.push({ ...base, runItems: part });
  return batches;
}

export type { Fence };
