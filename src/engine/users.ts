/** Manual user edits from the admin API: managed fields stay with the HR source, every change is audited. */
import { AppError } from '../core/errors.js';
import { cleanString, isIsoDate, isPlausibleEmail } from '../core/index.js';
import type {
  FieldChange,
  ManagedField,
  PersonAttributes,
  PersonField,
  ReferenceKind,
} from '../core/model.js';
import { dateFields, personFields, requiredFields } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import type { ApplyOps, UserRecord } from '../store/types.js';
import type { EngineDeps } from './deps.js';

/** What an admin sends to create or change a user; absent keys are left as they are. */
export interface UserInput {
  readonly attributes?: Partial<PersonAttributes>;
  readonly managerId?: string | null;
  readonly groupIds?: readonly string[];
  readonly active?: boolean;
}

/** Which source manages a user, and which of her fields are therefore read-only in the app. */
export interface ManagedInfo {
  readonly provider: string | null;
  readonly title: string | null;
  readonly fields: readonly ManagedField[];
}

const referenceFields: Partial<Record<PersonField, ReferenceKind>> = {
  department: 'departments',
  jobTitle: 'positions',
  location: 'locations',
};

const invalid = (field: string, message: string): AppError =>
  new AppError('invalid_input', message, { details: { field } });

/** The source managing `user` (only while its integration is connected) and the fields it manages. */
export async function managedFieldsOf(deps: EngineDeps, user: UserRecord): Promise<ManagedInfo> {
  const none: ManagedInfo = { provider: null, title: null, fields: [] };
  if (user.integrationId === null) return none;
  const integration = await deps.store.integrations.get(user.tenantId, user.integrationId);
  if (!integration || integration.status !== 'active') return none;
  const source = deps.sources(integration.provider);
  const fields =
    integration.managedFields.length > 0 ? integration.managedFields : (source?.spec.managedFields ?? []);
  return { provider: integration.provider, title: source?.spec.title ?? integration.provider, fields };
}

interface Checked {
  readonly attributes: Partial<Record<PersonField, string | null>>;
  readonly managerId?: string | null;
  readonly groupIds?: readonly string[];
  readonly active?: boolean;
}

async function checkAttributes(
  deps: EngineDeps,
  o: { tenantId: string; input: Partial<PersonAttributes>; userId: string | null },
): Promise<Result<Partial<Record<PersonField, string | null>>, AppError>> {
  const out: Partial<Record<PersonField, string | null>> = {};
  for (const field of personFields) {
    if (!(field in o.input)) continue;
    const value = cleanString(o.input[field]);
    if (value === null && (requiredFields as readonly string[]).includes(field)) {
      return err(
        invalid(field, `${field} cannot be empty: every user needs an email, a first and a last name.`),
      );
    }
    if (value !== null && (dateFields as readonly string[]).includes(field) && !isIsoDate(value)) {
      return err(
        invalid(field, `${field} '${value}' is not a date: write it as YYYY-MM-DD, e.g. 2026-03-01.`),
      );
    }
    out[field] = value;
  }
  const email = out.email;
  if (email) {
    if (!isPlausibleEmail(email)) return err(invalid('email', `'${email}' is not an email address.`));
    const holder = await deps.store.directory.getUserByEmail(o.tenantId, email);
    if (holder && holder.id !== o.userId) {
      return err(
        new AppError(
          'conflict',
          `Another user already has the email ${email}: emails are unique in a company.`,
          {
            details: { field: 'email', userId: holder.id },
          },
        ),
      );
    }
  }
  const gender = out.gender;
  if (gender) {
    const choices = await deps.store.directory.listGenderChoices(o.tenantId);
    const choice = choices.find((c) => c.toLowerCase() === gender.toLowerCase());
    if (choice === undefined) {
      return err(
        invalid(
          'gender',
          `'${gender}' is not one of the gender choices (${choices.join(', ')}): add it as a choice first.`,
        ),
      );
    }
    out.gender = choice;
  }
  return ok(out);
}

/** A manager must be another user of the tenant, and choosing her must not close a cycle. */
async function checkManager(
  deps: EngineDeps,
  o: { tenantId: string; userId: string | null; managerId: string },
): Promise<AppError | undefined> {
  if (o.managerId === o.userId) return invalid('managerId', 'A user cannot be her own manager.');
  let current = await deps.store.directory.getUser(o.tenantId, o.managerId);
  if (!current) return invalid('managerId', `Manager '${o.managerId}' is not a user of this company.`);
  // Walk up the chain; a chain longer than this is itself a cycle that predates this edit.
  for (let depth = 0; current && depth < 1000; depth += 1) {
    if (current.managerId === null) return undefined;
    if (current.managerId === o.userId) {
      return invalid(
        'managerId',
        'This manager reports (directly or not) to the user: the change would make a cycle.',
      );
    }
    current = await deps.store.directory.getUser(o.tenantId, current.managerId);
  }
  return undefined;
}

async function checkInput(
  deps: EngineDeps,
  o: { tenantId: string; userId: string | null; input: UserInput },
): Promise<Result<Checked, AppError>> {
  const attributes = await checkAttributes(deps, {
    tenantId: o.tenantId,
    input: o.input.attributes ?? {},
    userId: o.userId,
  });
  if (!attributes.ok) return attributes;
  if (typeof o.input.managerId === 'string') {
    const problem = await checkManager(deps, {
      tenantId: o.tenantId,
      userId: o.userId,
      managerId: o.input.managerId,
    });
    if (problem) return err(problem);
  }
  let groupIds: string[] | undefined;
  if (o.input.groupIds !== undefined) {
    groupIds = [...new Set(o.input.groupIds)];
    const known = new Set((await deps.store.directory.listGroups(o.tenantId)).map((g) => g.id));
    const unknown = groupIds.filter((id) => !known.has(id));
    if (unknown.length > 0)
      return err(invalid('groupIds', `No group ${unknown.map((g) => `'${g}'`).join(', ')} in this company.`));
  }
  return ok({
    attributes: attributes.value,
    ...(o.input.managerId === undefined ? {} : { managerId: o.input.managerId }),
    ...(groupIds === undefined ? {} : { groupIds }),
    ...(o.input.active === undefined ? {} : { active: o.input.active }),
  });
}

/** Group ids → sorted names, as `groups` changes are recorded. */
async function groupNames(
  deps: EngineDeps,
  tenantId: string,
  ids: readonly string[],
): Promise<string | null> {
  if (ids.length === 0) return null;
  const byId = new Map((await deps.store.directory.listGroups(tenantId)).map((g) => [g.id, g.name]));
  return ids
    .map((id) => byId.get(id) ?? id)
    .sort()
    .join(', ');
}

function referenceOps(
  attributes: Partial<Record<PersonField, string | null>>,
): NonNullable<ApplyOps['references']> {
  const refs: { kind: ReferenceKind; names: string[] }[] = [];
  for (const [field, kind] of Object.entries(referenceFields) as [PersonField, ReferenceKind][]) {
    const value = attributes[field];
    if (value) refs.push({ kind, names: [value] });
  }
  return refs;
}

async function reload(deps: EngineDeps, tenantId: string, userId: string): Promise<UserRecord> {
  const user = await deps.store.directory.getUser(tenantId, userId);
  if (!user) throw new AppError('not_found', `User '${userId}' does not exist in this company.`);
  return user;
}

/**
 * Creates a user by hand. Refused while an HR source is connected (the HR system is the source of
 * truth) unless the tenant allows manual users. `actor` is `admin:<email>` or `api:<key name>`.
 */
export async function createUser(
  deps: EngineDeps,
  o: { tenantId: string; actor: string; input: UserInput },
): Promise<Result<UserRecord, AppError>> {
  const tenant = await deps.store.tenants.get(o.tenantId);
  if (!tenant) return err(new AppError('not_found', `No tenant ${o.tenantId}.`));
  const active = await deps.store.integrations.getActive(tenant.id);
  if (active && !tenant.allowManualUsers) {
    const title = deps.sources(active.provider)?.spec.title ?? active.provider;
    return err(
      new AppError(
        'conflict',
        `${tenant.name} gets its users from ${title}: add the person in ${title} (the next sync brings her in), or allow manual users in the settings.`,
        { details: { provider: active.provider } },
      ),
    );
  }
  for (const field of requiredFields) {
    if (!cleanString(o.input.attributes?.[field])) {
      return err(invalid(field, `${field} is required: every user needs an email, a first and a last name.`));
    }
  }
  const checked = await checkInput(deps, { tenantId: tenant.id, userId: null, input: o.input });
  if (!checked.ok) return checked;
  const c = checked.value;
  const id = deps.newId();
  const attributes = Object.fromEntries(
    personFields.map((f) => [f, c.attributes[f] ?? null]),
  ) as PersonAttributes;
  const changes: FieldChange[] = personFields
    .filter((f) => attributes[f] !== null)
    .map((f) => ({ field: f, before: null, after: attributes[f] }));
  if (c.managerId) changes.push({ field: 'manager', before: null, after: c.managerId });
  const groups = await groupNames(deps, tenant.id, c.groupIds ?? []);
  if (groups !== null) changes.push({ field: 'groups', before: null, after: groups });
  await deps.store.apply(
    {
      tenantId: tenant.id,
      runId: null,
      references: referenceOps(attributes),
      createUsers: [{ id, attributes, active: c.active ?? true, integrationId: null, sourceId: null }],
      ...(c.managerId ? { setManagers: [{ userId: id, managerId: c.managerId }] } : {}),
      addMemberships: (c.groupIds ?? []).map((groupId) => ({ userId: id, groupId })),
      audit: [{ userId: id, runId: null, actor: o.actor, action: 'create', changes }],
    },
    { fence: null, now: deps.clock.now() },
  );
  return ok(await reload(deps, tenant.id, id));
}

/**
 * Changes a user by hand. Fields managed by the connected HR source cannot change (AppError
 * `managed_field` naming the source); sending a managed field with its current value is harmless.
 */
export async function updateUser(
  deps: EngineDeps,
  o: { tenantId: string; userId: string; actor: string; patch: UserInput },
): Promise<Result<UserRecord, AppError>> {
  const user = await deps.store.directory.getUser(o.tenantId, o.userId);
  if (!user) return err(new AppError('not_found', `User '${o.userId}' does not exist in this company.`));
  const checked = await checkInput(deps, { tenantId: o.tenantId, userId: user.id, input: o.patch });
  if (!checked.ok) return checked;
  const c = checked.value;

  const changes: FieldChange[] = [];
  const patch: Partial<Record<PersonField, string | null>> = {};
  for (const field of personFields) {
    const after = c.attributes[field];
    if (after === undefined || after === user.attributes[field]) continue;
    patch[field] = after;
    changes.push({ field, before: user.attributes[field], after });
  }
  const managerChanged = c.managerId !== undefined && c.managerId !== user.managerId;
  if (managerChanged) changes.push({ field: 'manager', before: user.managerId, after: c.managerId ?? null });
  const before = new Set(user.groupIds);
  const after = new Set(c.groupIds ?? user.groupIds);
  const toAdd = [...after].filter((g) => !before.has(g));
  const toRemove = [...before].filter((g) => !after.has(g));
  if (toAdd.length > 0 || toRemove.length > 0) {
    changes.push({
      field: 'groups',
      before: await groupNames(deps, o.tenantId, user.groupIds),
      after: await groupNames(deps, o.tenantId, [...after]),
    });
  }
  const activeChanged = c.active !== undefined && c.active !== user.active;
  if (activeChanged) changes.push({ field: 'active', before: String(user.active), after: String(c.active) });
  if (changes.length === 0) return ok(user);

  const managed = await managedFieldsOf(deps, user);
  const managedSet = new Set<string>(managed.fields);
  const blocked = changes.map((ch) => ch.field).filter((f) => managedSet.has(f));
  if (blocked.length > 0) {
    return err(
      new AppError(
        'managed_field',
        `${blocked.join(', ')} of ${user.attributes.email ?? user.id} ${blocked.length === 1 ? 'is' : 'are'} managed by ${managed.title ?? 'the HR source'}: change ${blocked.length === 1 ? 'it' : 'them'} there and the next sync brings the change here.`,
        { details: { fields: blocked, provider: managed.provider, source: managed.title } },
      ),
    );
  }
  await deps.store.apply(
    {
      tenantId: o.tenantId,
      runId: null,
      references: referenceOps(patch),
      updateUsers:
        Object.keys(patch).length > 0 || activeChanged
          ? [
              {
                id: user.id,
                attributes: patch,
                ...(activeChanged && c.active !== undefined ? { active: c.active } : {}),
              },
            ]
          : [],
      ...(managerChanged ? { setManagers: [{ userId: user.id, managerId: c.managerId ?? null }] } : {}),
      addMemberships: toAdd.map((groupId) => ({ userId: user.id, groupId })),
      removeMemberships: toRemove.map((groupId) => ({ userId: user.id, groupId })),
      audit: [{ userId: user.id, runId: null, actor: o.actor, action: 'edit', changes }],
    },
    { fence: null, now: deps.clock.now() },
  );
  return ok(await reload(deps, o.tenantId, user.id));
}
