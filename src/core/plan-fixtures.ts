/** Builders of roster people, directory users and plan inputs, for tests of core and of its callers. */
import type {
  DirectoryUser,
  PersonAttributes,
  PersonField,
  PlanInput,
  SourcePerson,
  UserChange,
} from './model.js';
import { managedFieldNames } from './model.js';
import { emptyAttributes } from './plan-fields.js';

export const fixtureIntegration = 'int-1';
export const fixtureToday = '2026-11-23';

/** Sequential ids (`new-1`, `new-2`, ...), so tests can predict what the planner assigns. */
export const counterIds = (prefix = 'new-'): (() => string) => {
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}${n}`;
  };
};

export type PersonSpec = Partial<PersonAttributes> & {
  readonly sourceId: string;
  readonly ref?: string;
  readonly active?: boolean;
  readonly managerSourceId?: string | null;
  readonly groups?: readonly string[];
};

/** A roster person; email and names default from the source id (`s1` → `s1@acme.test`). */
export const makePerson = (spec: PersonSpec): SourcePerson => {
  const { sourceId, ref, active, managerSourceId, groups, ...attributes } = spec;
  return {
    sourceId,
    ref: ref ?? `employee ${sourceId}`,
    active: active ?? true,
    attributes: {
      email: `${sourceId}@acme.test`,
      firstName: `First ${sourceId}`,
      lastName: `Last ${sourceId}`,
      ...attributes,
    },
    ...(managerSourceId === undefined ? {} : { managerSourceId }),
    ...(groups === undefined ? {} : { groups }),
  };
};

export type UserSpec = Partial<PersonAttributes> & {
  readonly id: string;
  readonly active?: boolean;
  readonly managerId?: string | null;
  readonly integrationId?: string | null;
  readonly sourceId?: string | null;
  readonly groupIds?: readonly string[];
  readonly protected?: boolean;
};

/** A directory user, unlinked unless `integrationId`/`sourceId` are given; email defaults from the id. */
export const makeUser = (spec: UserSpec): DirectoryUser => {
  const {
    id,
    active,
    managerId,
    integrationId,
    sourceId,
    groupIds,
    protected: isProtected,
    ...attributes
  } = spec;
  return {
    id,
    attributes: { ...emptyAttributes(), email: `${id}@acme.test`, ...attributes },
    active: active ?? true,
    managerId: managerId ?? null,
    integrationId: integrationId ?? null,
    sourceId: sourceId ?? null,
    groupIds: groupIds ?? [],
    ...(isProtected === undefined ? {} : { protected: isProtected }),
  };
};

/** The user a previous sync made of `person`: linked, same attributes (nulls for the rest). */
export const linkedUser = (person: SourcePerson, spec: Omit<UserSpec, 'sourceId'>): DirectoryUser => {
  const attributes: Partial<Record<PersonField, string | null>> = { ...person.attributes };
  return makeUser({ integrationId: fixtureIntegration, sourceId: person.sourceId, ...attributes, ...spec });
};

/** A plan input with every field managed, a full run, no users, and `new-N` ids; override what a test needs. */
export const makeInput = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  tenantId: 'tenant-1',
  integrationId: fixtureIntegration,
  mode: 'full',
  roster: [],
  managedFields: managedFieldNames,
  users: [],
  groups: [],
  references: { departments: [], positions: [], locations: [] },
  genderChoices: ['female', 'male'],
  leaverPolicy: 'deactivate',
  today: fixtureToday,
  newId: counterIds(),
  ...overrides,
});

/** The change planned for a source id (tests read plans by person). */
export const changeFor = (users: readonly UserChange[], sourceId: string): UserChange | undefined =>
  users.find((u) => u.sourceId === sourceId);
