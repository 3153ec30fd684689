/** plan, step groups: match group names, queue missing groups, diff a synced user's memberships. */
import type { FieldChange, Group, MembershipChange, RecordIssue } from './model.js';
import { compareStrings, nameKey, quote } from './normalize.js';

export interface GroupResolver {
  /** The group id for a name: the first existing group so named, else a group queued for creation. */
  readonly resolve: (name: string) => string;
  /** Display name of a group id (existing or new); the id itself when unknown. */
  readonly nameOf: (id: string) => string;
  readonly toCreate: () => readonly Group[];
  /** One `duplicate_group_name` warning per name that was used and is shared by several groups. */
  readonly warnings: () => readonly RecordIssue[];
}

/** Groups are never deleted or renamed; names match trimmed and case-insensitively. */
export const createGroupResolver = (options: {
  groups: readonly Group[];
  newId: () => string;
}): GroupResolver => {
  const byKey = new Map<string, Group[]>();
  const names = new Map<string, string>();
  for (const group of options.groups) {
    names.set(group.id, group.name);
    const list = byKey.get(nameKey(group.name));
    if (list) list.push(group);
    else byKey.set(nameKey(group.name), [group]);
  }
  const created: Group[] = [];
  const used = new Set<string>();
  return {
    resolve: (name) => {
      const key = nameKey(name);
      used.add(key);
      const first = byKey.get(key)?.[0];
      if (first) return first.id;
      const group: Group = { id: options.newId(), name };
      created.push(group);
      names.set(group.id, name);
      byKey.set(key, [group]);
      return group.id;
    },
    nameOf: (id) => names.get(id) ?? id,
    toCreate: () => created,
    warnings: () => {
      const issues: RecordIssue[] = [];
      for (const key of [...used].sort(compareStrings)) {
        const list = byKey.get(key) ?? [];
        const [first] = list;
        if (!first || list.length < 2) continue;
        issues.push({
          severity: 'warning',
          code: 'duplicate_group_name',
          record: `group ${quote(first.name)}`,
          sourceId: null,
          field: 'groups',
          message:
            `${list.length} groups are named ${quote(first.name)}; members are synced into the first one (id ${first.id}). ` +
            'Rename or merge the duplicates so each team has one group.',
        });
      }
      return issues;
    },
  };
};

export interface MembershipDiff {
  readonly add: readonly MembershipChange[];
  readonly remove: readonly MembershipChange[];
  /** The `groups` field change (sorted names), or null when memberships stay as they are. */
  readonly change: FieldChange | null;
}

/** A synced user's memberships become exactly `desired`: add the missing, remove every other one. */
export const diffMemberships = (options: {
  userId: string;
  current: readonly string[];
  desired: readonly string[];
  nameOf: (id: string) => string;
}): MembershipDiff => {
  const { userId, nameOf } = options;
  const current = new Set(options.current);
  const desired = new Set(options.desired);
  const add = [...desired].filter((id) => !current.has(id)).map((groupId) => ({ userId, groupId }));
  const remove = [...current].filter((id) => !desired.has(id)).map((groupId) => ({ userId, groupId }));
  if (add.length === 0 && remove.length === 0) return { add, remove, change: null };
  const label = (ids: Set<string>): string | null =>
    ids.size === 0 ? null : [...ids].map(nameOf).sort(compareStrings).join(', ');
  return { add, remove, change: { field: 'groups', before: label(current), after: label(desired) } };
};
