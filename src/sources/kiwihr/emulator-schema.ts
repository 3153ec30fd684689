/** The KiwiHR emulator's slice of the real schema (users, teams, positions, locations) and a small executor. */
import type { HrPerson } from '../_shared/generator.js';
import { valueOf, type GqlField, type GqlLocation, type GqlOperation } from './graphql-lite.js';

/** A GraphQL error as the emulator renders it (`extensions.code` in the Apollo style). */
export interface GqlErrorOut {
  readonly message: string;
  readonly locations?: readonly GqlLocation[];
  readonly path?: readonly (string | number)[];
  readonly extensions: { readonly code: string };
}

interface Named {
  readonly id: string;
  readonly name: string;
}
interface ListSource {
  readonly items: readonly unknown[];
  readonly pageInfo: { readonly offset: number; readonly limit: number; readonly count: number };
}

/** Per-request lookups, built once per request (the roster may have changed since the last one). */
export interface ExecContext {
  readonly people: readonly HrPerson[];
  readonly byId: ReadonlyMap<string, HrPerson>;
  readonly teams: ReadonlyMap<string, Named>;
  readonly positions: ReadonlyMap<string, Named>;
  readonly locations: ReadonlyMap<string, Named>;
  /** Largest `limit` a list query accepts (KiwiHR: 100). */
  readonly maxLimit: number;
}

type Args = Readonly<Record<string, unknown>>;
interface FieldDef {
  /** A scalar ('String', 'ID', 'Int', 'Boolean', 'Date', 'Gender') or an object type name. */
  readonly type: string;
  readonly list?: boolean;
  readonly args?: readonly string[];
  readonly get: (source: unknown, args: Args, ctx: ExecContext) => unknown;
}

const SCALARS = new Set(['String', 'ID', 'Int', 'Boolean', 'Date', 'Gender', 'InvitationStatus']);
const LIST_ARGS = ['offset', 'limit', 'sort', 'filter'];
const GENDERS: Readonly<Record<string, string | null>> = {
  female: 'FEMALE',
  male: 'MALE',
  diverse: 'DIVERSE',
  undefined: null,
};

const named = (map: ReadonlyMap<string, Named>, name: string): Named | null => map.get(name) ?? null;

/** A bad argument value: the field resolves to null with a BAD_USER_INPUT error. */
class InputError extends Error {}

/** Offset/limit window over a list; `sort` and `filter` are accepted and ignored (roster order). */
function page(items: readonly unknown[], args: Args, ctx: ExecContext): ListSource {
  const offset = args['offset'] ?? 0;
  const limit = args['limit'] ?? 50;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new InputError('offset must be a non-negative integer');
  }
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > ctx.maxLimit) {
    throw new InputError(`limit must be between 1 and ${ctx.maxLimit}`);
  }
  return { items: items.slice(offset, offset + limit), pageInfo: { offset, limit, count: items.length } };
}

const user = (get: (p: HrPerson, ctx: ExecContext) => unknown, type = 'String', list = false): FieldDef => ({
  type,
  list,
  get: (source, _args, ctx) => get(source as HrPerson, ctx),
});
const root = (type: string, get: (args: Args, ctx: ExecContext) => unknown, args = LIST_ARGS): FieldDef => ({
  type,
  args,
  get: (_source, a, ctx) => get(a, ctx),
});
const listOf = (item: string): Record<string, FieldDef> => ({
  items: { type: item, list: true, get: (s) => (s as ListSource).items },
  pageInfo: { type: 'PageInfo', get: (s) => (s as ListSource).pageInfo },
});
const namedFields: Record<string, FieldDef> = {
  id: { type: 'ID', get: (s) => (s as Named).id },
  name: { type: 'String', get: (s) => (s as Named).name },
};

const types: Readonly<Record<string, Readonly<Record<string, FieldDef>>>> = {
  Query: {
    users: root('UserList', (a, ctx) => page(ctx.people, a, ctx)),
    user: root('User', (a, ctx) => ctx.byId.get(String(a['id'])) ?? null, ['id']),
    teams: root('TeamList', (a, ctx) => page([...ctx.teams.values()], a, ctx)),
    positions: root('PositionList', (a, ctx) => page([...ctx.positions.values()], a, ctx)),
    locations: root('LocationList', (a, ctx) => page([...ctx.locations.values()], a, ctx)),
  },
  User: {
    id: user((p) => p.id, 'ID'),
    firstName: user((p) => p.firstName),
    lastName: user((p) => p.lastName),
    email: user((p) => p.email),
    gender: user((p) => GENDERS[p.gender] ?? null, 'Gender'),
    birthDate: user((p) => p.birthDate, 'Date'),
    employeeNumber: user((p) => p.employeeNumber),
    employmentStartDate: user((p) => p.currentHiredOn, 'Date'),
    employmentEndDate: user((p) => p.leavingDate, 'Date'),
    isActive: user((p) => p.status === 'active', 'Boolean'),
    invitationStatus: user(() => 'ACCEPTED', 'InvitationStatus'),
    workPhones: user((p) => (p.phone === '' ? [] : [p.phone]), 'String', true),
    personalPhone: user(() => null),
    personalEmail: user(() => null),
    aboutMe: user(() => null),
    language: user(() => 'en'),
    nationality: user(() => null),
    pronouns: user(() => null),
    position: user((p, ctx) => named(ctx.positions, p.position), 'Position'),
    location: user((p, ctx) => named(ctx.locations, p.location), 'Location'),
    team: user((p, ctx) => (p.teams[0] === undefined ? null : named(ctx.teams, p.teams[0])), 'Team'),
    teams: user((p, ctx) => p.teams.map((t) => named(ctx.teams, t)), 'Team', true),
    manager: user((p, ctx) => (p.managerId === null ? null : (ctx.byId.get(p.managerId) ?? null)), 'User'),
  },
  UserList: listOf('User'),
  TeamList: listOf('Team'),
  PositionList: listOf('Position'),
  LocationList: listOf('Location'),
  PageInfo: {
    offset: { type: 'Int', get: (s) => (s as ListSource['pageInfo']).offset },
    limit: { type: 'Int', get: (s) => (s as ListSource['pageInfo']).limit },
    count: { type: 'Int', get: (s) => (s as ListSource['pageInfo']).count },
  },
  Team: namedFields,
  Position: namedFields,
  Location: namedFields,
};

const isObjectType = (type: string): boolean => !SCALARS.has(type);

/** Static checks GraphQL servers run before executing: fields, arguments, selections, variables. */
export function validate(o: { op: GqlOperation; variables: Args }): GqlErrorOut[] {
  const errors: GqlErrorOut[] = [];
  const fail = (message: string, loc?: GqlLocation): void => {
    errors.push({
      message,
      ...(loc === undefined ? {} : { locations: [loc] }),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  };
  const declared = new Set(o.op.variables.map((v) => v.name));
  for (const v of o.op.variables) {
    if (v.type.endsWith('!') && o.variables[v.name] == null && v.defaultValue === undefined) {
      fail(`Variable "$${v.name}" of required type "${v.type}" was not provided.`);
    }
  }
  const usesVariable = (value: unknown, loc: GqlLocation): void => {
    const v = value as { kind?: string; name?: string; items?: unknown[]; fields?: Record<string, unknown> };
    if (v.kind === 'variable' && v.name !== undefined && !declared.has(v.name)) {
      fail(
        `Variable "$${v.name}" is not defined${o.op.name === null ? '' : ` by operation "${o.op.name}"`}.`,
        loc,
      );
    }
    for (const item of v.items ?? []) usesVariable(item, loc);
    for (const item of Object.values(v.fields ?? {})) usesVariable(item, loc);
  };
  const walk = (typeName: string, fields: readonly GqlField[]): void => {
    const type = types[typeName] ?? {};
    for (const f of fields) {
      if (f.name === '__typename') continue;
      const def = type[f.name];
      if (def === undefined) {
        fail(`Cannot query field "${f.name}" on type "${typeName}".`, f.loc);
        continue;
      }
      for (const [arg, value] of Object.entries(f.args)) {
        if (!(def.args ?? []).includes(arg))
          fail(`Unknown argument "${arg}" on field "${typeName}.${f.name}".`, f.loc);
        usesVariable(value, f.loc);
      }
      if (isObjectType(def.type) && f.selections === null) {
        fail(`Field "${f.name}" of type "${def.type}" must have a selection of subfields.`, f.loc);
      } else if (!isObjectType(def.type) && f.selections !== null) {
        fail(`Field "${f.name}" must not have a selection since type "${def.type}" has no subfields.`, f.loc);
      } else if (f.selections !== null) {
        walk(def.type, f.selections);
      }
    }
  };
  walk('Query', o.op.selections);
  return errors;
}

/** Executes a validated query operation; an argument error nulls its root field and adds an error. */
export function execute(o: { op: GqlOperation; variables: Args; ctx: ExecContext }): {
  data: Record<string, unknown>;
  errors: GqlErrorOut[];
} {
  const errors: GqlErrorOut[] = [];
  const resolve = (
    typeName: string,
    source: unknown,
    fields: readonly GqlField[],
    path: (string | number)[],
  ) => {
    const out: Record<string, unknown> = {};
    const type = types[typeName] ?? {};
    for (const f of fields) {
      const key = f.alias ?? f.name;
      if (f.name === '__typename') {
        out[key] = typeName;
        continue;
      }
      const def = type[f.name];
      if (def === undefined) continue;
      const args = Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, valueOf(v, o.variables)]));
      let value: unknown;
      try {
        value = def.get(source, args, o.ctx);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push({
          message: error.message,
          locations: [f.loc],
          path: [...path, key],
          extensions: { code: 'BAD_USER_INPUT' },
        });
        out[key] = null;
        continue;
      }
      const render = (v: unknown, at: (string | number)[]): unknown =>
        v === null || v === undefined || f.selections === null
          ? (v ?? null)
          : resolve(def.type, v, f.selections, at);
      out[key] =
        def.list === true && Array.isArray(value)
          ? value.map((v, i) => render(v, [...path, key, i]))
          : render(value, [...path, key]);
    }
    return out;
  };
  return { data: resolve('Query', null, o.op.selections, []), errors };
}

/** The offset/limit window of the first list field at the root: the emulator's page number for faults. */
export function requestedPage(o: { op: GqlOperation; variables: Args }): number {
  const list = o.op.selections.find((f) => ['users', 'teams', 'positions', 'locations'].includes(f.name));
  if (list === undefined) return 1;
  const offset = list.args['offset'] === undefined ? 0 : valueOf(list.args['offset'], o.variables);
  const limit = list.args['limit'] === undefined ? 50 : valueOf(list.args['limit'], o.variables);
  if (typeof offset !== 'number' || typeof limit !== 'number' || limit < 1) return 1;
  return Math.floor(Math.max(0, offset) / limit) + 1;
}

/** Lookups for one request: people by id, and stable ids for teams, positions and locations (sorted names). */
export function execContext(o: { people: readonly HrPerson[]; maxLimit: number }): ExecContext {
  // One pass over the roster: this runs on every request, and a 10k roster is read in 100 of them.
  const byId = new Map<string, HrPerson>();
  const teams = new Set<string>();
  const positions = new Set<string>();
  const locations = new Set<string>();
  for (const p of o.people) {
    byId.set(p.id, p);
    for (const t of p.teams) teams.add(t);
    positions.add(p.position);
    locations.add(p.location);
  }
  const ids = (names: Set<string>): Map<string, Named> =>
    new Map([...names].sort().map((name, i) => [name, { id: String(i + 1), name }]));
  return {
    people: o.people,
    byId,
    teams: ids(teams),
    positions: ids(positions),
    locations: ids(locations),
    maxLimit: o.maxLimit,
  };
}
