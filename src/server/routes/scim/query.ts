/** SCIM list query parameters: the supported filter subset, startIndex/count, attributes (RFC 7644 §3.4.2). */
import { AppError } from '../../../core/errors.js';
import { err, ok, type Result } from '../../../core/result.js';
import type { AttrPath, FilterNode } from './filter.js';
import { formatPath, parseFilter } from './filter.js';
import { DEFAULT_COUNT, MAX_COUNT, SCIM_SCHEMA } from './schemas.js';

/** Users the filter selects; every set field must match (the filter's `and`). */
export interface UserFilter {
  /** Lower-cased: userName is caseExact=false (RFC 7643 §4.1.1). */
  readonly userName?: string;
  /** As written: externalId is caseExact=true. */
  readonly externalId?: string;
  /** ISO instant (UTC, milliseconds): lastModified strictly after it. */
  readonly modifiedAfter?: string;
  /** The filter contradicts itself (`userName eq "a" and userName eq "b"`): nothing can match. */
  readonly none?: true;
}

/** Groups the filter selects; see `UserFilter`. */
export interface GroupFilter {
  /** Lower-cased: Group displayName is caseExact=false. */
  readonly displayName?: string;
  readonly modifiedAfter?: string;
  readonly none?: true;
}

/** What a SCIM list request asks for, after validation. */
export interface ListParams<F> {
  readonly filter: F;
  /** 1-based. */
  readonly startIndex: number;
  readonly count: number;
}

/** SCIM's `scimType` for 400 errors (RFC 7644 Table 9). */
export const scimTypes = [
  'invalidFilter',
  'invalidValue',
  'invalidSyntax',
  'tooMany',
  'invalidPath',
] as const;
export type ScimType = (typeof scimTypes)[number];

/**
 * A 400 for SCIM clients. It is an `AppError` like every other failure; the SCIM plugin's error handler
 * reads `details.scimType` and answers in SCIM's error format.
 */
export const scimBadRequest = (scimType: ScimType, detail: string): AppError =>
  new AppError('invalid_input', detail, { details: { scimType } });

type Leaf = { readonly attr: string; readonly value: string };

const SUPPORTED = {
  User: 'userName eq, externalId eq and meta.lastModified gt, joined with "and"',
  Group: 'displayName eq and meta.lastModified gt, joined with "and"',
} as const;

/** The attribute's name in lower case with its sub-attribute, if the schema prefix (when given) is ours. */
const attrKey = (path: AttrPath, resourceSchema: string): string | undefined => {
  if (path.schema !== null && path.schema.toLowerCase() !== resourceSchema.toLowerCase()) return undefined;
  return `${path.name}${path.subAttr === null ? '' : `.${path.subAttr}`}`.toLowerCase();
};

/** Flattens a tree of `and`s into its comparisons, or says which part is not supported. */
const leaves = (
  node: FilterNode,
  o: { resource: 'User' | 'Group'; allowed: ReadonlyMap<string, string> },
): Result<Leaf[], string> => {
  switch (node.kind) {
    case 'and': {
      const left = leaves(node.left, o);
      if (!left.ok) return left;
      const right = leaves(node.right, o);
      if (!right.ok) return right;
      return ok([...left.value, ...right.value]);
    }
    case 'or':
      return err('"or" is not supported');
    case 'not':
      return err('"not" is not supported');
    case 'present':
      return err(`"${formatPath(node.path)} pr" is not supported`);
    case 'valuePath':
      return err(`the value filter on "${formatPath(node.path)}" is not supported`);
    case 'compare': {
      const schema = o.resource === 'User' ? SCIM_SCHEMA.user : SCIM_SCHEMA.group;
      const key = attrKey(node.path, schema);
      const op = key === undefined ? undefined : o.allowed.get(key);
      if (key === undefined || op === undefined) {
        return err(`filtering on "${formatPath(node.path)}" is not supported`);
      }
      if (node.op !== op) return err(`"${formatPath(node.path)} ${node.op}" is not supported (use "${op}")`);
      if (typeof node.value !== 'string') {
        return err(`"${formatPath(node.path)}" must be compared with a "quoted string"`);
      }
      return ok([{ attr: key, value: node.value }]);
    }
  }
};

const XSD_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An xsd:dateTime as a UTC ISO instant with milliseconds, the form the store keeps. A time without zone
 * is read as UTC; digits past the millisecond are cut, which keeps `gt` exact against millisecond values.
 */
export const parseDateTime = (value: string): string | undefined => {
  if (!XSD_DATE_TIME.test(value)) return undefined;
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

const compile = (
  raw: string,
  o: { resource: 'User' | 'Group'; allowed: ReadonlyMap<string, string> },
): Result<Leaf[], AppError> => {
  const tree = parseFilter(raw);
  if (!tree.ok) {
    const { message, position } = tree.error;
    return err(
      scimBadRequest(
        'invalidFilter',
        `The filter is not valid SCIM: ${message} at character ${position + 1}.`,
      ),
    );
  }
  const found = leaves(tree.value, o);
  if (!found.ok) {
    return err(
      scimBadRequest(
        'invalidFilter',
        `The filter cannot be served: ${found.error}. ${o.resource}s can be filtered by ${SUPPORTED[o.resource]}.`,
      ),
    );
  }
  return ok(found.value);
};

/** Values of one attribute, all required equal: one value, or `none` when they differ. */
const single = (values: readonly string[]): { value?: string; none?: true } => {
  const distinct = [...new Set(values)];
  if (distinct.length > 1) return { none: true };
  return distinct[0] === undefined ? {} : { value: distinct[0] };
};

/** The latest of several `gt` bounds; an error when one is not a dateTime. */
const latest = (values: readonly string[]): Result<string | undefined, AppError> => {
  let max: string | undefined;
  for (const v of values) {
    const instant = parseDateTime(v);
    if (instant === undefined) {
      return err(
        scimBadRequest(
          'invalidFilter',
          `meta.lastModified is compared with "${v}", which is not a dateTime: use e.g. "2026-01-31T08:00:00Z".`,
        ),
      );
    }
    if (max === undefined || instant > max) max = instant;
  }
  return ok(max);
};

const userOps: ReadonlyMap<string, string> = new Map([
  ['username', 'eq'],
  ['externalid', 'eq'],
  ['meta.lastmodified', 'gt'],
]);

const groupOps: ReadonlyMap<string, string> = new Map([
  ['displayname', 'eq'],
  ['meta.lastmodified', 'gt'],
]);

/**
 * Compiles a Users filter. Attribute names are case-insensitive and may carry the core User schema
 * prefix; anything outside the supported subset is a 400 `invalidFilter`, never silently ignored.
 */
export const compileUserFilter = (raw: string | undefined): Result<UserFilter, AppError> => {
  if (raw === undefined) return ok({});
  const found = compile(raw, { resource: 'User', allowed: userOps });
  if (!found.ok) return found;
  const of = (attr: string) => found.value.filter((l) => l.attr === attr).map((l) => l.value);
  const userName = single(of('username').map((v) => v.toLowerCase()));
  const externalId = single(of('externalid'));
  const after = latest(of('meta.lastmodified'));
  if (!after.ok) return after;
  if (userName.none || externalId.none) return ok({ none: true });
  return ok({
    ...(userName.value === undefined ? {} : { userName: userName.value }),
    ...(externalId.value === undefined ? {} : { externalId: externalId.value }),
    ...(after.value === undefined ? {} : { modifiedAfter: after.value }),
  });
};

/** Compiles a Groups filter: `displayName eq` (case-insensitive) and `meta.lastModified gt`. */
export const compileGroupFilter = (raw: string | undefined): Result<GroupFilter, AppError> => {
  if (raw === undefined) return ok({});
  const found = compile(raw, { resource: 'Group', allowed: groupOps });
  if (!found.ok) return found;
  const of = (attr: string) => found.value.filter((l) => l.attr === attr).map((l) => l.value);
  const displayName = single(of('displayname').map((v) => v.toLowerCase()));
  const after = latest(of('meta.lastmodified'));
  if (!after.ok) return after;
  if (displayName.none) return ok({ none: true });
  return ok({
    ...(displayName.value === undefined ? {} : { displayName: displayName.value }),
    ...(after.value === undefined ? {} : { modifiedAfter: after.value }),
  });
};

/** An integer query parameter, or an error naming it. */
const integer = (name: string, raw: string | undefined): Result<number | undefined, AppError> => {
  if (raw === undefined || raw.trim() === '') return ok(undefined);
  if (!/^[+-]?\d{1,15}$/.test(raw.trim())) {
    return err(scimBadRequest('invalidValue', `${name} must be an integer, got "${raw}".`));
  }
  return ok(Number(raw));
};

/**
 * startIndex and count per RFC 7644 §3.4.2.4: startIndex below 1 is read as 1, a negative count as 0
 * (only totalResults is returned); a count above `MAX_COUNT` is capped, which itemsPerPage then shows.
 */
export const parsePaging = (q: {
  startIndex?: string | undefined;
  count?: string | undefined;
}): Result<{ startIndex: number; count: number }, AppError> => {
  const start = integer('startIndex', q.startIndex);
  if (!start.ok) return start;
  const count = integer('count', q.count);
  if (!count.ok) return count;
  return ok({
    startIndex: Math.max(1, start.value ?? 1),
    count: Math.min(MAX_COUNT, Math.max(0, count.value ?? DEFAULT_COUNT)),
  });
};
