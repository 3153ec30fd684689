/** validate: trims a roster, quarantines bad and duplicated records, applies the leaving-date rule. */
import type { PersonAttributes, PersonField, RecordIssue, SourcePerson } from './model.js';
import { dateFields, personFields, requiredFields } from './model.js';
import {
  cleanString,
  isIsoDate,
  isPlausibleEmail,
  listRefs,
  nameKey,
  normalizeEmail,
  quote,
  withoutNul,
} from './normalize.js';

/** Human names of fields, for messages admins read. */
export const fieldLabels: Readonly<Record<PersonField | 'sourceId', string>> = {
  sourceId: 'source id',
  email: 'email',
  firstName: 'first name',
  lastName: 'last name',
  birthDate: 'birth date',
  gender: 'gender',
  employeeNumber: 'employee number',
  jobTitle: 'job title',
  department: 'department',
  location: 'office location',
  phoneNumber: 'phone number',
  contractType: 'contract type',
  firstHiredOn: 'first hire date',
  currentHiredOn: 'current hire date',
  leavingDate: 'leaving date',
};

export interface ValidateOptions {
  /** Today in the tenant's time zone, `YYYY-MM-DD`. */
  readonly today: string;
}

/**
 * Identities of quarantined records. A user holding one of them is never treated as a leaver:
 * a duplicated or broken row in an export must not deactivate the real person.
 */
export interface HeldIdentities {
  readonly sourceIds: ReadonlySet<string>;
  /** Normalized (trimmed, lowercased) emails. */
  readonly emails: ReadonlySet<string>;
}

export interface Validation {
  /** The valid records, trimmed, in roster order; `active` already reflects a past leaving date. */
  readonly people: readonly SourcePerson[];
  /** One error per problem, in roster order (a record can have several); such records are left out. */
  readonly issues: readonly RecordIssue[];
  readonly held: HeldIdentities;
}

/** True when the person's leaving date (contract end, termination, out of service) is before today. */
export const hasLeft = (attributes: Partial<PersonAttributes>, today: string): boolean => {
  const leaving = attributes.leavingDate;
  return leaving !== undefined && leaving !== null && isIsoDate(leaving) && leaving < today;
};

const normalizePerson = (
  raw: SourcePerson,
  index: number,
): { -readonly [K in keyof SourcePerson]: SourcePerson[K] } => {
  const attributes: Partial<Record<PersonField, string | null>> = {};
  for (const field of personFields) {
    const value = raw.attributes[field];
    if (value === undefined) continue;
    const clean = cleanString(value);
    attributes[field] = field === 'gender' && clean !== null ? clean.toLowerCase() : clean;
  }
  // NUL is replaced in what reports and keys carry; `nulFields` quarantines the record itself.
  const sourceId = withoutNul(cleanString(raw.sourceId) ?? '');
  const ref = withoutNul(
    cleanString(raw.ref) ?? (sourceId === '' ? `record ${index + 1}` : `record ${sourceId}`),
  );
  const person: { -readonly [K in keyof SourcePerson]: SourcePerson[K] } = {
    sourceId,
    ref,
    attributes,
    active: raw.active,
  };
  if (raw.managerSourceId !== undefined) {
    const manager = cleanString(raw.managerSourceId);
    person.managerSourceId = manager === null ? null : withoutNul(manager);
  }
  if (raw.groups !== undefined) {
    // One membership per group name: "Sales" and " sales" are the same team.
    const seen = new Set<string>();
    const groups: string[] = [];
    for (const name of raw.groups) {
      const clean = cleanString(name);
      if (clean === null || seen.has(nameKey(clean))) continue;
      seen.add(nameKey(clean));
      groups.push(clean);
    }
    person.groups = groups;
  }
  return person;
};

const hasNul = (value: string | null | undefined): boolean =>
  typeof value === 'string' && value.includes('\0');

/** Fields of a raw record holding a NUL character (databases refuse it; it is never a real value). */
const nulFields = (raw: SourcePerson): string[] => {
  // `hasNul` lives outside: a closure per record (wrapped by tsx's keepNames) was a hot spot at 100k.
  const fields: string[] = [];
  if (hasNul(raw.sourceId)) fields.push('sourceId');
  for (const field of personFields) if (hasNul(raw.attributes[field])) fields.push(field);
  if (hasNul(raw.managerSourceId)) fields.push('manager');
  if (raw.groups?.some(hasNul) === true) fields.push('groups');
  return fields;
};

/** Adds one error about `at.person` (a plain function: recordIssues runs once per roster record). */
const addIssue = (
  at: { issues: RecordIssue[]; person: SourcePerson },
  code: RecordIssue['code'],
  field: string,
  message: string,
): void => {
  at.issues.push({
    severity: 'error',
    code,
    record: at.person.ref,
    sourceId: at.person.sourceId === '' ? null : at.person.sourceId,
    field,
    message: `${at.person.ref}: ${message}`,
  });
};

const recordIssues = (person: SourcePerson, nul: readonly string[]): RecordIssue[] => {
  const issues: RecordIssue[] = [];
  const at = { issues, person };
  for (const field of nul) {
    const label =
      field === 'manager' || field === 'groups' ? field : fieldLabels[field as PersonField | 'sourceId'];
    addIssue(
      at,
      'invalid_value',
      field,
      `${label} contains a NUL character, which is never valid; fix the record in the HR system.`,
    );
  }
  if (person.sourceId === '') {
    addIssue(
      at,
      'missing_field',
      'sourceId',
      'the source id is missing; fix the export, every record needs one.',
    );
  }
  for (const field of requiredFields) {
    if ((person.attributes[field] ?? null) === null) {
      addIssue(
        at,
        'missing_field',
        field,
        `${fieldLabels[field]} is empty; fill it in the HR system (it is required).`,
      );
    }
  }
  const email = person.attributes.email;
  if (email !== undefined && email !== null && !isPlausibleEmail(email)) {
    addIssue(
      at,
      'invalid_email',
      'email',
      `email ${quote(email)} is not a valid address; fix it in the HR system.`,
    );
  }
  for (const field of dateFields) {
    const value = person.attributes[field];
    if (value !== undefined && value !== null && !isIsoDate(value)) {
      addIssue(
        at,
        'invalid_date',
        field,
        `${fieldLabels[field]} ${quote(value)} is not a real date (expected YYYY-MM-DD); fix it in the HR system.`,
      );
    }
  }
  return issues;
};

/** Groups record indexes by a key; only keys with two or more records are returned. */
const duplicates = (keys: readonly (string | null)[]): Map<string, number[]> => {
  // First sighting stores the index; a second one upgrades it to a list (no deletes on a big map).
  const firstIndex = new Map<string, number>();
  const shared = new Map<string, number[]>();
  keys.forEach((key, index) => {
    if (key === null) return;
    const list = shared.get(key);
    if (list) {
      list.push(index);
      return;
    }
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, index);
    else shared.set(key, [first, index]);
  });
  return shared;
};

/**
 * Validates and normalizes a roster. Never guesses: every record sharing an email or a source id
 * with another is quarantined. Throws only when `today` is not a date (a caller bug).
 *
 * @example
 * const { people, issues, held } = validate(roster, { today: '2026-11-23' });
 */
export const validate = (roster: readonly SourcePerson[], options: ValidateOptions): Validation => {
  if (!isIsoDate(options.today))
    throw new Error(`validate: today must be YYYY-MM-DD, got '${options.today}'`);
  const people = roster.map(normalizePerson);
  const issuesByRecord = people.map((person, index) =>
    recordIssues(person, nulFields(roster[index] ?? person)),
  );

  const emailKeys = people.map((p) => (p.attributes.email ? normalizeEmail(p.attributes.email) : null));
  for (const [, indexes] of duplicates(emailKeys)) {
    for (const index of indexes) {
      const person = people[index];
      if (!person) continue;
      const others = indexes.filter((i) => i !== index).map((i) => people[i]?.ref ?? '');
      issuesByRecord[index]?.push({
        severity: 'error',
        code: 'duplicate_email',
        record: person.ref,
        sourceId: person.sourceId === '' ? null : person.sourceId,
        field: 'email',
        message:
          `${person.ref}: email ${quote(person.attributes.email ?? '')} is also used by ${listRefs(others)}; ` +
          'none of these records is synced until each person has their own email in the HR system.',
      });
    }
  }
  const idKeys = people.map((p) => (p.sourceId === '' ? null : p.sourceId));
  for (const [sourceId, indexes] of duplicates(idKeys)) {
    for (const index of indexes) {
      const person = people[index];
      if (!person) continue;
      const others = indexes.filter((i) => i !== index).map((i) => people[i]?.ref ?? '');
      issuesByRecord[index]?.push({
        severity: 'error',
        code: 'duplicate_source_id',
        record: person.ref,
        sourceId,
        field: 'sourceId',
        message:
          `${person.ref}: source id ${quote(sourceId)} is also used by ${listRefs(others)}; ` +
          'none of these records is synced until the HR system has one record per person.',
      });
    }
  }

  const valid: SourcePerson[] = [];
  const issues: RecordIssue[] = [];
  const heldIds = new Set<string>();
  const heldEmails = new Set<string>();
  people.forEach((person, index) => {
    const found = issuesByRecord[index] ?? [];
    if (found.length === 0) {
      person.active = person.active && !hasLeft(person.attributes, options.today);
      valid.push(person);
      return;
    }
    issues.push(...found);
    if (person.sourceId !== '') heldIds.add(person.sourceId);
    const email = emailKeys[index];
    if (email) heldEmails.add(email);
  });
  return { people: valid, issues, held: { sourceIds: heldIds, emails: heldEmails } };
};
