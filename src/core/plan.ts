/** plan: the reconcile planner. Pure and deterministic: roster + directory → every write of one run. */
import type {
  DirectoryUser,
  FieldChange,
  MembershipChange,
  Plan,
  PlanCounts,
  PlanInput,
  RecordIssue,
  SourcePerson,
  UserChange,
} from './model.js';
import { planManagers } from './managers.js';
import { compareStrings } from './normalize.js';
import type { FieldPlan, FieldPlanContext } from './plan-fields.js';
import { createReferenceResolver, planFields } from './plan-fields.js';
import type { MembershipDiff } from './plan-groups.js';
import { createGroupResolver, diffMemberships } from './plan-groups.js';
import type { Entry } from './plan-lifecycle.js';
import { missingEntries, personEntries } from './plan-lifecycle.js';
import { matchPeople } from './plan-match.js';
import { validate } from './validate.js';

/** What the plan decided for one synced (not deleted) roster person's user, besides the lifecycle. */
interface Synced {
  readonly entry: Entry;
  readonly person: SourcePerson;
  readonly fields: FieldPlan;
  managerId?: string | null;
  groups?: MembershipDiff;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `push(...items)` passes items as arguments and overflows the stack past ~100k of them. */
const append = <T>(target: T[], items: readonly T[]): void => {
  for (const item of items) target.push(item);
};

const flag = (active: boolean): string => (active ? 'true' : 'false');

const linkLabel = (integrationId: string | null, sourceId: string | null): string | null =>
  integrationId === null ? null : `${integrationId}:${sourceId ?? ''}`;

const issueOrder = (a: RecordIssue, b: RecordIssue): number =>
  // Issues without a source id (group warnings) come last.
  compareStrings(a.sourceId ?? '\uffff', b.sourceId ?? '\uffff') ||
  compareStrings(a.record, b.record) ||
  compareStrings(a.code, b.code) ||
  compareStrings(a.field ?? '', b.field ?? '') ||
  compareStrings(a.message, b.message);

const membershipOrder = (a: MembershipChange, b: MembershipChange): number =>
  compareStrings(a.userId, b.userId) || compareStrings(a.groupId, b.groupId);

const syncedChange = (s: Synced, integrationId: string): UserChange => {
  const { entry, fields } = s;
  const user = entry.user;
  const changes: FieldChange[] = [...fields.changes];
  if (entry.byEmail && user) {
    const after = linkLabel(integrationId, entry.sourceId);
    changes.push({ field: 'link', before: linkLabel(user.integrationId, user.sourceId), after });
  }
  if (entry.lifecycle === 'deactivate' || entry.lifecycle === 'reactivate') {
    const active = entry.lifecycle === 'reactivate';
    changes.push({ field: 'active', before: flag(!active), after: flag(active) });
  }
  const managerBefore = user?.managerId ?? null;
  const managerChanged = s.managerId !== undefined && s.managerId !== managerBefore;
  if (managerChanged) changes.push({ field: 'manager', before: managerBefore, after: s.managerId ?? null });
  if (s.groups?.change) changes.push(s.groups.change);

  const action: UserChange['action'] =
    entry.lifecycle === 'keep' ? (changes.length > 0 ? 'update' : 'unchanged') : entry.lifecycle;
  // Built field by field: object spread is measurably slow at 100k records.
  const change: Mutable<UserChange> = {
    action,
    userId: entry.userId,
    sourceId: entry.sourceId,
    email: fields.after.email ?? user?.attributes.email ?? '',
    changes,
  };
  if (entry.reason !== null) change.reason = entry.reason;
  if (action === 'unchanged') return change;
  change.after = fields.after;
  if (managerChanged) change.managerId = s.managerId ?? null;
  // A new user is linked too: apply writes the link with the row.
  if (entry.byEmail || action === 'create') change.link = { integrationId, sourceId: entry.sourceId };
  return change;
};

const removalChange = (entry: Entry, user: DirectoryUser): UserChange => ({
  action: entry.lifecycle === 'delete' ? 'delete' : 'deactivate',
  userId: entry.userId,
  sourceId: entry.sourceId,
  email: user.attributes.email ?? '',
  ...(entry.reason === null ? {} : { reason: entry.reason }),
  // `active` before the removal tells the guard whether a deletion removes an active user.
  changes: [
    { field: 'active', before: flag(user.active), after: entry.lifecycle === 'delete' ? null : 'false' },
  ],
});

const countActions = (users: readonly UserChange[], issues: readonly RecordIssue[]): PlanCounts => {
  const by: Record<UserChange['action'], number> = {
    create: 0,
    update: 0,
    deactivate: 0,
    reactivate: 0,
    delete: 0,
    unchanged: 0,
  };
  for (const u of users) by[u.action] += 1;
  const errors = issues.filter((i) => i.severity === 'error').length;
  return {
    created: by.create,
    updated: by.update,
    deactivated: by.deactivate,
    reactivated: by.reactivate,
    deleted: by.delete,
    unchanged: by.unchanged,
    errors,
    warnings: issues.length - errors,
  };
};

/**
 * Plans one run: validates the roster (quarantined records are reported, never synced), matches
 * people to users, and lists every write. Pure and deterministic; O(n log n) in roster + users.
 * Ids come from `input.newId`: new users first (by source id), then new groups.
 *
 * @example
 * const result = plan({ ...snapshot, roster, mode: 'full', today: '2026-11-23', newId: () => randomUUID() });
 * if (guard(result, { mode: 'full', policy, activeLinked }).blocked) ...
 */
export const plan = (input: PlanInput): Plan => {
  const validation = validate(input.roster, { today: input.today });
  const people = [...validation.people].sort((a, b) => compareStrings(a.sourceId, b.sourceId));
  // Records rejected before planning (e.g. a file row with a bad status) hold their users too.
  const rosterIds = new Set([...validation.held.sourceIds, ...(input.heldSourceIds ?? [])]);
  for (const person of people) rosterIds.add(person.sourceId);

  const { integrationId } = input;
  const managed = new Set(input.managedFields);
  const matching = matchPeople({
    people,
    users: input.users,
    integrationId,
    mode: input.mode,
    rosterIds,
    managesEmail: managed.has('email'),
  });
  const heldIds = new Set([
    ...validation.held.sourceIds,
    ...(input.heldSourceIds ?? []),
    ...matching.heldIds,
  ]);
  const heldEmails = new Set([...validation.held.emails, ...matching.heldEmails]);
  const issues: RecordIssue[] = [...(input.extraIssues ?? []), ...validation.issues, ...matching.issues];

  const entries = personEntries({ input, matches: matching.matches, issues });
  if (input.mode === 'full') {
    const matchedUserIds = new Set(entries.map((e) => e.userId));
    append(entries, missingEntries({ input, rosterIds, matchedUserIds, heldEmails, issues }));
  }

  const genders = new Map<string, string>();
  for (const choice of input.genderChoices) {
    if (!genders.has(choice.toLowerCase())) genders.set(choice.toLowerCase(), choice);
  }
  const ctx: FieldPlanContext = {
    managedFields: managed,
    genders,
    references: createReferenceResolver(input.references),
  };
  const synced: Synced[] = [];
  for (const entry of entries) {
    const person = entry.person;
    if (person === null || entry.lifecycle === 'delete') continue;
    const fields = planFields({ person, current: entry.user?.attributes ?? null, ctx });
    append(issues, fields.warnings);
    synced.push({ entry, person, fields });
  }

  const deleted = new Set(entries.filter((e) => e.lifecycle === 'delete').map((e) => e.userId));
  if (managed.has('manager')) {
    const plannedBySourceId = new Map(synced.map((s) => [s.entry.sourceId, s.entry.userId]));
    const rosterWithoutUser = new Set(
      matching.matches.map((m) => m.person.sourceId).filter((id) => !plannedBySourceId.has(id)),
    );
    const result = planManagers({
      synced: synced.map((s) => ({
        userId: s.entry.userId,
        person: s.person,
        email: s.fields.after.email ?? '',
        currentManagerId: s.entry.user?.managerId ?? null,
        isNew: s.entry.user === null,
      })),
      plannedBySourceId,
      rosterWithoutUser,
      quarantinedIds: heldIds,
      linkedBySourceId: new Map([...matching.linked].map(([sourceId, user]) => [sourceId, user.id])),
      existing: new Map(input.users.map((u) => [u.id, u])),
      deleted,
    });
    for (const s of synced) s.managerId = result.managers.get(s.entry.userId) ?? null;
    append(issues, result.issues);
  }

  const groupResolver = createGroupResolver({ groups: input.groups, newId: input.newId });
  if (managed.has('groups')) {
    for (const s of synced) {
      const names = s.person.groups;
      if (names === undefined) continue;
      s.groups = diffMemberships({
        userId: s.entry.userId,
        current: s.entry.user?.groupIds ?? [],
        desired: names.map((name) => groupResolver.resolve(name)),
        nameOf: groupResolver.nameOf,
      });
    }
    append(issues, groupResolver.warnings());
  }

  const users: UserChange[] = [
    ...synced.map((s) => syncedChange(s, integrationId)),
    ...entries.flatMap((e) =>
      (e.person === null || e.lifecycle === 'delete') && e.user ? [removalChange(e, e.user)] : [],
    ),
  ];
  users.sort(
    (a, b) => compareStrings(a.sourceId ?? '', b.sourceId ?? '') || compareStrings(a.userId, b.userId),
  );
  issues.sort(issueOrder);
  return {
    users,
    groupsToCreate: groupResolver.toCreate(),
    membershipsToAdd: synced.flatMap((s) => s.groups?.add ?? []).sort(membershipOrder),
    membershipsToRemove: synced.flatMap((s) => s.groups?.remove ?? []).sort(membershipOrder),
    referencesToCreate: ctx.references.toCreate(),
    issues,
    counts: countActions(users, issues),
    roster: { received: input.roster.length, valid: matching.matches.length },
  };
};
