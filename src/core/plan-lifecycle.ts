/** plan, step lifecycle: who is created, kept, deactivated, reactivated or deleted, and why. */
import type { DirectoryUser, PlanInput, RecordIssue, SourcePerson, UserChange } from './model.js';
import type { Match } from './plan-match.js';
import { normalizeEmail } from './normalize.js';
import { hasLeft } from './validate.js';

export const lifecycles = ['create', 'keep', 'deactivate', 'reactivate', 'delete'] as const;
export type Lifecycle = (typeof lifecycles)[number];

/** One user the plan looks at: a roster person's (new or existing) user, or a linked user gone from the roster. */
export interface Entry {
  readonly userId: string;
  readonly sourceId: string;
  /** null: a linked user missing from a full roster. */
  readonly person: SourcePerson | null;
  /** null: a user to create. */
  readonly user: DirectoryUser | null;
  readonly lifecycle: Lifecycle;
  readonly reason: NonNullable<UserChange['reason']> | null;
  /** Matched by email: the link must be written. */
  readonly byEmail: boolean;
}

const protectedWarning = (options: {
  record: string;
  sourceId: string;
  user: DirectoryUser;
  verb: 'deactivated' | 'deleted';
  missing: boolean;
}): RecordIssue => {
  const who = options.missing
    ? 'the HR roster no longer lists this person, but the user'
    : (options.user.attributes.email ?? `user ${options.user.id}`);
  return {
    severity: 'warning',
    code: 'protected_user',
    record: options.record,
    sourceId: options.sourceId,
    field: 'active',
    message:
      `${options.record}: ${who} is an admin, and a sync never has admins ${options.verb}` +
      `${options.missing ? '' : '; the other fields are still synced'}. ` +
      'Deactivate the user by hand if the person has left.',
  };
};

/** Decides the lifecycle of each matched person. New users take ids from `newId`, in match order. */
export const personEntries = (options: {
  input: PlanInput;
  matches: readonly Match[];
  issues: RecordIssue[];
}): Entry[] => {
  const { input, issues } = options;
  const entries: Entry[] = [];
  // Entries are built field by field: object spread is measurably slow at 100k records.
  const entry = (
    match: Match,
    user: DirectoryUser,
    lifecycle: Lifecycle,
    reason: Entry['reason'],
  ): Entry => ({
    userId: user.id,
    sourceId: match.person.sourceId,
    person: match.person,
    user,
    lifecycle,
    reason,
    byEmail: match.byEmail,
  });
  for (const match of options.matches) {
    const { person, user } = match;
    if (!user) {
      // An inactive person nobody knows yet is not created.
      if (!person.active) continue;
      const userId = input.newId();
      entries.push({
        userId,
        sourceId: person.sourceId,
        person,
        user,
        lifecycle: 'create',
        reason: null,
        byEmail: false,
      });
      continue;
    }
    const reason = hasLeft(person.attributes, input.today) ? 'left' : 'inactive';
    const removal: Lifecycle | null = person.active
      ? null
      : input.leaverPolicy === 'delete'
        ? 'delete'
        : user.active
          ? 'deactivate'
          : null;
    if (removal !== null && user.protected === true) {
      const verb = removal === 'delete' ? 'deleted' : 'deactivated';
      issues.push(
        protectedWarning({ record: person.ref, sourceId: person.sourceId, user, verb, missing: false }),
      );
      entries.push(entry(match, user, 'keep', null));
    } else if (removal !== null) {
      entries.push(entry(match, user, removal, reason));
    } else if (person.active && !user.active) {
      entries.push(entry(match, user, 'reactivate', 'rehired'));
    } else {
      entries.push(entry(match, user, 'keep', null));
    }
  }
  return entries;
};

/**
 * Full runs only: users linked to this integration whose record is absent from the roster leave
 * (deactivated, or deleted under the delete policy). A user holding the source id or email of a
 * quarantined record is not a leaver: its row is there, only broken.
 */
export const missingEntries = (options: {
  input: PlanInput;
  rosterIds: ReadonlySet<string>;
  matchedUserIds: ReadonlySet<string>;
  heldEmails: ReadonlySet<string>;
  issues: RecordIssue[];
}): Entry[] => {
  const { input, issues } = options;
  const entries: Entry[] = [];
  for (const user of input.users) {
    const sourceId = user.sourceId;
    if (user.integrationId !== input.integrationId || sourceId === null) continue;
    if (options.rosterIds.has(sourceId) || options.matchedUserIds.has(user.id)) continue;
    const email = user.attributes.email;
    if (email !== null && options.heldEmails.has(normalizeEmail(email))) continue;
    const removal: Lifecycle | null =
      input.leaverPolicy === 'delete' ? 'delete' : user.active ? 'deactivate' : null;
    if (removal === null) continue;
    if (user.protected === true) {
      const record = email ?? `user ${user.id}`;
      const verb = removal === 'delete' ? 'deleted' : 'deactivated';
      issues.push(protectedWarning({ record, sourceId, user, verb, missing: true }));
      continue;
    }
    entries.push({
      userId: user.id,
      sourceId,
      person: null,
      user,
      lifecycle: removal,
      reason: 'missing',
      byEmail: false,
    });
  }
  return entries;
};
