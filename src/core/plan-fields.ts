/** plan, step fields: the attributes a synced user ends up with, gender choices and reference lists. */
import type {
  FieldChange,
  ManagedField,
  PersonAttributes,
  PersonField,
  RecordIssue,
  ReferenceKind,
  ReferenceLists,
  SourcePerson,
} from './model.js';
import { personFields, requiredFields } from './model.js';
import { nameKey, normalizeEmail, quote } from './normalize.js';

/** Which reference list backs which field. */
export const referenceFields = {
  department: 'departments',
  jobTitle: 'positions',
  location: 'locations',
} as const satisfies Partial<Record<PersonField, ReferenceKind>>;

const referenceKindOf = (field: PersonField): ReferenceKind | undefined =>
  field in referenceFields ? referenceFields[field as keyof typeof referenceFields] : undefined;

/** An all-null attribute set: what a new user starts from. */
export const emptyAttributes = (): PersonAttributes => {
  const attributes = {} as Record<PersonField, string | null>;
  for (const field of personFields) attributes[field] = null;
  return attributes;
};

/** Resolves reference values case-insensitively; unknown values are queued for creation, once each. */
export interface ReferenceResolver {
  readonly resolve: (kind: ReferenceKind, value: string) => string;
  readonly toCreate: () => ReferenceLists;
}

/** Builds the resolver over the tenant's lists; they are never shrunk, only queued additions. */
export const createReferenceResolver = (lists: ReferenceLists): ReferenceResolver => {
  const known = new Map<ReferenceKind, Map<string, string>>();
  const created: Record<ReferenceKind, string[]> = { departments: [], positions: [], locations: [] };
  for (const kind of ['departments', 'positions', 'locations'] as const) {
    const map = new Map<string, string>();
    // The first spelling wins when a list already holds case variants.
    for (const name of lists[kind]) if (!map.has(nameKey(name))) map.set(nameKey(name), name);
    known.set(kind, map);
  }
  return {
    resolve: (kind, value) => {
      const map = known.get(kind);
      const spelling = map?.get(nameKey(value));
      if (spelling !== undefined) return spelling;
      map?.set(nameKey(value), value);
      created[kind].push(value);
      return value;
    },
    toCreate: () => ({
      departments: [...created.departments].sort(),
      positions: [...created.positions].sort(),
      locations: [...created.locations].sort(),
    }),
  };
};

export interface FieldPlanContext {
  readonly managedFields: ReadonlySet<ManagedField>;
  /** Gender choices by lowercase key → the tenant's spelling. */
  readonly genders: ReadonlyMap<string, string>;
  readonly references: ReferenceResolver;
}

export interface FieldPlan {
  readonly after: PersonAttributes;
  /** Attributes that differ (for a new user: every attribute set). */
  readonly changes: readonly FieldChange[];
  readonly warnings: readonly RecordIssue[];
}

const desiredValue = (options: {
  field: PersonField;
  person: SourcePerson;
  current: string | null;
  ctx: FieldPlanContext;
  /** Appended to; an array, not a callback: a closure per field and person was a hot spot at 100k. */
  warnings: RecordIssue[];
}): string | null => {
  const { field, person, current, ctx } = options;
  const value = person.attributes[field] ?? null;
  if (value === null) return null;
  if (field === 'email') {
    // Only the case differs: keep the directory's spelling, nothing to write.
    return current !== null && normalizeEmail(current) === normalizeEmail(value) ? current : value;
  }
  if (field === 'gender') {
    const choice = ctx.genders.get(value.toLowerCase());
    if (choice !== undefined) return choice;
    options.warnings.push({
      severity: 'warning',
      code: 'unknown_gender',
      record: person.ref,
      sourceId: person.sourceId,
      field: 'gender',
      message:
        `${person.ref}: gender ${quote(value)} is not one of the directory's gender choices, so it was not written. ` +
        `Add ${quote(value)} to the gender choices in the settings to sync it.`,
    });
    return current;
  }
  const kind = referenceKindOf(field);
  return kind === undefined ? value : ctx.references.resolve(kind, value);
};

/**
 * Plans the attributes of one synced user: the managed fields take the person's values (a managed
 * field the record lacks is null); others keep the user's values. A new user (`current` null) gets
 * the required fields even if the source does not list them as managed.
 */
export const planFields = (options: {
  person: SourcePerson;
  current: PersonAttributes | null;
  ctx: FieldPlanContext;
}): FieldPlan => {
  const { person, current, ctx } = options;
  const before = current ?? emptyAttributes();
  const after: Record<PersonField, string | null> = { ...before };
  const changes: FieldChange[] = [];
  const warnings: RecordIssue[] = [];
  for (const field of personFields) {
    const isRequired = (requiredFields as readonly string[]).includes(field);
    if (!ctx.managedFields.has(field) && !(current === null && isRequired)) continue;
    const value = desiredValue({ field, person, current: before[field], ctx, warnings });
    after[field] = value;
    if (value !== before[field]) changes.push({ field, before: before[field], after: value });
  }
  return { after, changes, warnings };
};
