/** simulate: applies a plan to an in-memory directory exactly as the store does (tests and previews). */
import type { DirectoryUser, Group, Plan, ReferenceLists } from './model.js';
import { personFields } from './model.js';
import { nameKey } from './normalize.js';
import { emptyAttributes } from './plan-fields.js';

/** The part of a tenant's directory a plan writes to. */
export interface DirectoryState {
  readonly users: readonly DirectoryUser[];
  readonly groups: readonly Group[];
  readonly references: ReferenceLists;
}

const personFieldSet: ReadonlySet<string> = new Set(personFields);

const addNames = (list: readonly string[], names: readonly string[]): string[] => {
  const seen = new Set(list.map(nameKey));
  const out = [...list];
  for (const name of names) {
    if (seen.has(nameKey(name))) continue;
    seen.add(nameKey(name));
    out.push(name);
  }
  return out;
};

/**
 * Applies `plan` to `state` and returns the new state (the input is not modified). Semantics match
 * the store: a deleted user disappears with her memberships and is removed as anybody's manager;
 * a membership is a set (adding twice keeps one); groups and reference lists only grow.
 */
export const simulate = (state: DirectoryState, plan: Plan): DirectoryState => {
  const users = new Map<string, DirectoryUser>(state.users.map((u) => [u.id, u]));
  for (const change of plan.users) {
    const user = users.get(change.userId);
    if (change.action === 'create') {
      // The store's primary key would refuse it too: a plan that reuses an id is a bug.
      if (user) throw new Error(`simulate: plan creates user ${change.userId}, which already exists`);
      users.set(change.userId, {
        id: change.userId,
        attributes: change.after ?? emptyAttributes(),
        active: true,
        managerId: change.managerId ?? null,
        integrationId: change.link?.integrationId ?? null,
        sourceId: change.link?.sourceId ?? change.sourceId,
        groupIds: [],
      });
      continue;
    }
    if (!user || change.action === 'unchanged' || change.action === 'delete') continue;
    // Like engine/apply, an update patches only the person fields its changes list (not `after`).
    const patch = Object.fromEntries(
      change.changes.filter((c) => personFieldSet.has(c.field)).map((c) => [c.field, c.after]),
    );
    users.set(change.userId, {
      ...user,
      attributes: { ...user.attributes, ...patch },
      active: change.action === 'deactivate' ? false : change.action === 'reactivate' ? true : user.active,
      managerId: change.managerId === undefined ? user.managerId : change.managerId,
      ...(change.link ? { integrationId: change.link.integrationId, sourceId: change.link.sourceId } : {}),
    });
  }

  const memberships = new Map<string, string[]>();
  for (const [id, user] of users) memberships.set(id, [...new Set(user.groupIds)]);
  for (const { userId, groupId } of plan.membershipsToRemove) {
    const list = memberships.get(userId);
    if (list)
      memberships.set(
        userId,
        list.filter((g) => g !== groupId),
      );
  }
  for (const { userId, groupId } of plan.membershipsToAdd) {
    const list = memberships.get(userId);
    if (list && !list.includes(groupId)) list.push(groupId);
  }

  const deleted = new Set(plan.users.filter((u) => u.action === 'delete').map((u) => u.userId));
  const result: DirectoryUser[] = [];
  for (const [id, user] of users) {
    if (deleted.has(id)) continue;
    const managerId = user.managerId !== null && deleted.has(user.managerId) ? null : user.managerId;
    result.push({ ...user, managerId, groupIds: memberships.get(id) ?? [] });
  }
  const groupIds = new Set(state.groups.map((g) => g.id));
  return {
    users: result,
    groups: [...state.groups, ...plan.groupsToCreate.filter((g) => !groupIds.has(g.id))],
    references: {
      departments: addNames(state.references.departments, plan.referencesToCreate.departments),
      positions: addNames(state.references.positions, plan.referencesToCreate.positions),
      locations: addNames(state.references.locations, plan.referencesToCreate.locations),
    },
  };
};
