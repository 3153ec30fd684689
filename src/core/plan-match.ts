/** plan, step match: ties each valid roster person to a directory user by link, then by email, or to none. */
import type { DirectoryUser, RecordIssue, SourcePerson, SyncMode } from './model.js';
import { compareStrings, normalizeEmail, quote } from './normalize.js';

export interface MatchOptions {
  /** Valid people, sorted by source id. */
  readonly people: readonly SourcePerson[];
  readonly users: readonly DirectoryUser[];
  readonly integrationId: string;
  readonly mode: SyncMode;
  /** Every source id of the roster, valid or quarantined: their users must not be taken by email. */
  readonly rosterIds: ReadonlySet<string>;
  /** Whether the source writes emails; when it does not, a linked user's email never changes. */
  readonly managesEmail: boolean;
}

export interface Match {
  readonly person: SourcePerson;
  /** null: no user yet (create, or nothing when the person is inactive). */
  readonly user: DirectoryUser | null;
  /** Matched by email: the link to this record must be written. */
  readonly byEmail: boolean;
}

export interface MatchResult {
  readonly matches: readonly Match[];
  /** Errors: the record is not synced. */
  readonly issues: readonly RecordIssue[];
  /** Identities of the records in error (normalized emails), held like quarantined records. */
  readonly heldIds: ReadonlySet<string>;
  readonly heldEmails: ReadonlySet<string>;
  /** Users linked to this integration, by source id (the lowest user id wins a duplicated link). */
  readonly linked: ReadonlyMap<string, DirectoryUser>;
}

const emailOf = (user: DirectoryUser): string | null =>
  user.attributes.email === null ? null : normalizeEmail(user.attributes.email);

const indexUsers = (
  options: MatchOptions,
): { linked: Map<string, DirectoryUser>; byEmail: Map<string, DirectoryUser[]> } => {
  const linked = new Map<string, DirectoryUser>();
  const byEmail = new Map<string, DirectoryUser[]>();
  for (const user of options.users) {
    if (user.integrationId === options.integrationId && user.sourceId !== null) {
      const known = linked.get(user.sourceId);
      if (!known || compareStrings(user.id, known.id) < 0) linked.set(user.sourceId, user);
    }
    const email = emailOf(user);
    if (email === null) continue;
    const list = byEmail.get(email);
    if (list) list.push(user);
    else byEmail.set(email, [user]);
  }
  return { linked, byEmail };
};

/**
 * Matches people to users: by link (integration + source id) first; else by normalized email among
 * unlinked users and users of this integration whose record left the roster; else no user.
 * Never guesses: two users with one email, or an email owned by another record or integration,
 * is an error for the record.
 */
export const matchPeople = (options: MatchOptions): MatchResult => {
  const { linked, byEmail } = indexUsers(options);
  const matches: Match[] = [];
  const issues: RecordIssue[] = [];
  const heldIds = new Set<string>();
  const heldEmails = new Set<string>();
  const claimed = new Set<string>();

  // One function for the loop, not a closure per person: at 100k people the closures (and tsx's
  // keepNames wrapper around each) were a visible share of a no-op sync (docs/performance.md).
  let person: SourcePerson;
  let key = '';
  const fail = (code: 'ambiguous_email' | 'email_taken', message: string): void => {
    issues.push({
      severity: 'error',
      code,
      record: person.ref,
      sourceId: person.sourceId,
      field: 'email',
      message: `${person.ref}: ${message}`,
    });
    heldIds.add(person.sourceId);
    heldEmails.add(key);
  };

  for (person of options.people) {
    const email = person.attributes.email ?? '';
    key = normalizeEmail(email);
    const byLink = linked.get(person.sourceId);
    if (byLink) {
      // An email change must not collide with another user's email (unique per tenant).
      const moves = options.managesEmail && emailOf(byLink) !== key;
      const others = moves ? (byEmail.get(key) ?? []).filter((u) => u.id !== byLink.id) : [];
      if (others.length > 0) {
        fail(
          'email_taken',
          `the email cannot change to ${quote(email)}: another user of the directory already has it. ` +
            'Change the email of that user in the directory or fix it in the HR system.',
        );
      } else {
        claimed.add(byLink.id);
        matches.push({ person, user: byLink, byEmail: false });
      }
      continue;
    }
    const candidates = byEmail.get(key) ?? [];
    const [user] = candidates;
    if (!user) {
      matches.push({ person, user: null, byEmail: false });
      continue;
    }
    if (candidates.length > 1) {
      fail(
        'ambiguous_email',
        `${candidates.length} users of the directory have the email ${quote(email)}; the person is not synced. ` +
          'Merge or rename the duplicate users in the directory, then sync again.',
      );
    } else if (user.integrationId !== null && user.integrationId !== options.integrationId) {
      fail(
        'email_taken',
        `the email ${quote(email)} belongs to a user managed by another source; the person is not synced. ` +
          'Unlink that user or change the email in the HR system.',
      );
    } else if (
      user.sourceId !== null &&
      user.integrationId !== null &&
      options.rosterIds.has(user.sourceId)
    ) {
      fail(
        'email_taken',
        `the email ${quote(email)} belongs to the user synced from record ${quote(user.sourceId)}, ` +
          'which is still in the HR system; give each person their own email there.',
      );
    } else if (user.sourceId !== null && user.integrationId !== null && options.mode === 'partial') {
      fail(
        'email_taken',
        `the email ${quote(email)} belongs to the user synced from record ${quote(user.sourceId)}; ` +
          'a partial sync cannot tell whether that record left. The next full sync resolves it.',
      );
    } else if (claimed.has(user.id)) {
      fail('email_taken', `the email ${quote(email)} belongs to a user already synced from another record.`);
    } else {
      claimed.add(user.id);
      matches.push({ person, user, byEmail: true });
    }
  }
  return { matches, issues, heldIds, heldEmails, linked };
};
