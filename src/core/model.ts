/** The domain model: what a source says about a person, and what the directory holds. Pure types. */

/** Person attributes rostersync keeps on a directory user, all as strings (dates ISO `YYYY-MM-DD`). */
export const personFields = [
  'email',
  'firstName',
  'lastName',
  'birthDate',
  'gender',
  'employeeNumber',
  'jobTitle',
  'department',
  'location',
  'phoneNumber',
  'contractType',
  'firstHiredOn',
  'currentHiredOn',
  'leavingDate',
] as const;
export type PersonField = (typeof personFields)[number];

export const dateFields = [
  'birthDate',
  'firstHiredOn',
  'currentHiredOn',
  'leavingDate',
] as const satisfies readonly PersonField[];
export const requiredFields = ['email', 'firstName', 'lastName'] as const satisfies readonly PersonField[];

/** Every field a source may manage: the person attributes plus relations and status. */
export const managedFieldNames = [...personFields, 'manager', 'groups', 'active'] as const;
export type ManagedField = (typeof managedFieldNames)[number];

export type PersonAttributes = { readonly [K in PersonField]: string | null };

/**
 * One person as the HR system describes it, after the provider's `map` (normalize) step.
 * `attributes` holds only what the source provides; `null` means "provided and empty".
 * Values are trimmed strings; dates should be ISO but `validate` is where a bad value is caught.
 *
 * @example
 * const p: SourcePerson = { sourceId: '42', ref: 'employee 42', active: true,
 *   attributes: { email: 'Jane@acme.com', firstName: 'Jane', lastName: 'Doe' }, managerSourceId: '7', groups: ['Sales'] };
 */
export interface SourcePerson {
  /** The HR system's stable id of the person (Personio employee id, CSV `employee_id`, ...). */
  readonly sourceId: string;
  /** Human locator for error messages: `row 12`, `employee 42`. */
  readonly ref: string;
  readonly attributes: Partial<PersonAttributes>;
  /** Status in the HR system. A past leaving date also makes a person inactive (core/validate). */
  readonly active: boolean;
  /** Manager's source id; undefined when the source does not provide managers. */
  readonly managerSourceId?: string | null;
  /** Group (team) names; undefined when the source does not provide groups. */
  readonly groups?: readonly string[];
}

export const leaverPolicies = ['deactivate', 'delete'] as const;
export type LeaverPolicy = (typeof leaverPolicies)[number];

/** A user of the directory as the planner sees it. */
export interface DirectoryUser {
  readonly id: string;
  readonly attributes: PersonAttributes;
  readonly active: boolean;
  readonly managerId: string | null;
  /** Link to the source record that manages this user; both null for unlinked users. */
  readonly integrationId: string | null;
  readonly sourceId: string | null;
  readonly groupIds: readonly string[];
  /** Admin accounts and other protected users are never deactivated or deleted by a sync. */
  readonly protected?: boolean;
}

export interface Group {
  readonly id: string;
  readonly name: string;
}

/** Named reference lists, created on demand, never deleted by a sync. */
export const referenceKinds = ['departments', 'positions', 'locations'] as const;
export type ReferenceKind = (typeof referenceKinds)[number];
export type ReferenceLists = { readonly [K in ReferenceKind]: readonly string[] };

export const userActions = ['create', 'update', 'deactivate', 'reactivate', 'delete', 'unchanged'] as const;
export type UserAction = (typeof userActions)[number];

/** Fields whose value a change records; `manager` holds user ids, `groups` sorted group names, `active` 'true'/'false'. */
export type ChangeField = PersonField | 'manager' | 'groups' | 'active' | 'link';
export interface FieldChange {
  readonly field: ChangeField;
  readonly before: string | null;
  readonly after: string | null;
}

export interface UserChange {
  readonly action: UserAction;
  /** Existing user id, or the id the planner assigned to a new user. */
  readonly userId: string;
  readonly sourceId: string | null;
  readonly email: string;
  /** Why a leaver leaves: inactive in the HRIS, leaving date in the past, or missing from a full roster. */
  readonly reason?: 'inactive' | 'left' | 'missing' | 'rehired';
  /** For create: every attribute set; for update/deactivate/reactivate: only what differs. */
  readonly changes: readonly FieldChange[];
  /** For create and updates: the attributes after the change (what apply writes). */
  readonly after?: PersonAttributes;
  /** Manager id after the change, when it changes (null = remove the manager). */
  readonly managerId?: string | null;
  /** Link to write (integration id + source id) when the user is newly linked by email. */
  readonly link?: { readonly integrationId: string; readonly sourceId: string };
}

export const issueCodes = [
  'missing_field', // a required field is empty
  'invalid_email',
  'invalid_date',
  'invalid_value',
  'duplicate_email', // two records of the roster share an email
  'duplicate_source_id', // two records of the roster share a source id
  'ambiguous_email', // two existing users share the email: never guess
  'email_taken', // the email belongs to a user linked to another record or integration
  'unknown_manager', // warning: manager's source id not found; a new user gets none, an existing one keeps hers
  'manager_cycle', // warning: cycle broken, members left without manager
  'unknown_gender', // warning: tenant has no such gender choice; gender not written
  'duplicate_group_name', // warning: several groups share a name, the first one is used
  'protected_user', // warning: an admin's own user is never deactivated or deleted by a sync
] as const;
export type IssueCode = (typeof issueCodes)[number];

/** An error (record quarantined) or warning (record synced, something left out) about one record. */
export interface RecordIssue {
  readonly severity: 'error' | 'warning';
  readonly code: IssueCode;
  /** The record: its ref (`row 12`) and source id when known. */
  readonly record: string;
  readonly sourceId: string | null;
  readonly field: string | null;
  /** What went wrong and what to do, for an admin. */
  readonly message: string;
}

export interface MembershipChange {
  readonly userId: string;
  readonly groupId: string;
}

/** The pure plan of one run: everything apply will write, nothing more. */
export interface Plan {
  readonly users: readonly UserChange[];
  readonly groupsToCreate: readonly Group[];
  readonly membershipsToAdd: readonly MembershipChange[];
  readonly membershipsToRemove: readonly MembershipChange[];
  readonly referencesToCreate: ReferenceLists;
  readonly issues: readonly RecordIssue[];
  readonly counts: PlanCounts;
  /**
   * Roster size: records received, and valid records (neither quarantined nor in a matching conflict).
   * The guard blocks a full run whose valid roster is empty. Optional so hand-built plans stay valid.
   */
  readonly roster?: { readonly received: number; readonly valid: number };
}

export interface PlanCounts {
  readonly created: number;
  readonly updated: number;
  readonly deactivated: number;
  readonly reactivated: number;
  readonly deleted: number;
  readonly unchanged: number;
  readonly errors: number;
  readonly warnings: number;
}

/** Counts of a plan or run that changed nothing. */
export const emptyCounts: PlanCounts = {
  created: 0,
  updated: 0,
  deactivated: 0,
  reactivated: 0,
  deleted: 0,
  unchanged: 0,
  errors: 0,
  warnings: 0,
};

export const syncModes = ['full', 'partial'] as const;
export type SyncMode = (typeof syncModes)[number];

export interface PlanInput {
  readonly tenantId: string;
  readonly integrationId: string;
  /** full: absent people are leavers; partial (webhook): only the named people are touched. */
  readonly mode: SyncMode;
  readonly roster: readonly SourcePerson[];
  /** Fields this source provides: only these are compared and written. */
  readonly managedFields: readonly ManagedField[];
  /** Every user of the tenant (linked to this integration, to others, or to none). */
  readonly users: readonly DirectoryUser[];
  readonly groups: readonly Group[];
  readonly references: ReferenceLists;
  readonly genderChoices: readonly string[];
  readonly leaverPolicy: LeaverPolicy;
  /** Today in the tenant's time zone, `YYYY-MM-DD`: leaving dates before it are in the past. */
  readonly today: string;
  /** Id generator for new users and groups (injected: core has no I/O). */
  readonly newId: () => string;
  /**
   * Source ids of records rejected before planning (e.g. a file row with a bad status): their users are
   * held as they are, never treated as leavers.
   */
  readonly heldSourceIds?: readonly string[];
  /** Record issues found before planning, reported with the plan's own. */
  readonly extraIssues?: readonly RecordIssue[];
}

export interface GuardPolicy {
  /** Fraction of active linked users a full run may deactivate or delete, 0..1 (default 0.1). */
  readonly threshold: number;
}

export type GuardVerdict =
  | { readonly blocked: false }
  | {
      readonly blocked: true;
      readonly reason: 'empty_roster' | 'threshold';
      readonly leavers: number;
      readonly activeLinked: number;
      readonly threshold: number;
      readonly message: string;
    };
