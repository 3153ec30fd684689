/** Shared fixtures of the reliability suite: a tenant wired to a scriptable source, sync and count helpers. */
import { randomUUID } from 'node:crypto';
import type { PersonAttributes } from '../../../src/core/model.js';
import { connect, runSync, type EngineDeps, type SyncRequest } from '../../../src/engine/index.js';
import type { RunRecord, Store, Tenant, UserRecord } from '../../../src/store/index.js';
import { testDeps } from '../../support/engine.js';
import { fakeSource, people, type FakePerson, type FakeSourceControl } from '../../support/fake-source.js';

export const ADMIN_EMAIL = 'boss@acme.example';

export interface World {
  readonly store: Store;
  readonly control: FakeSourceControl;
  readonly deps: EngineDeps;
  readonly tenant: Tenant;
  readonly integrationId: string;
  /** The first full sync, run by connect. */
  readonly first: RunRecord | null;
}

/** A new tenant with an admin, connected to a fake HR source holding `roster` (default 20 people). */
export async function fakeWorld(
  store: Store,
  o: {
    roster?: FakePerson[];
    pageSize?: number;
    deps?: Partial<EngineDeps>;
    name?: string;
    /** Runs after the tenant exists and before the source is connected (seed other integrations, users). */
    beforeConnect?: (tenant: Tenant) => Promise<void>;
  } = {},
): Promise<World> {
  const control: FakeSourceControl = {
    people: o.roster ?? people(20),
    pageSize: o.pageSize ?? 7,
    failPage: null,
    reads: 0,
  };
  const deps: EngineDeps = { ...testDeps(store, { source: fakeSource(control) }), ...o.deps };
  const id = randomUUID();
  const tenant = await store.tenants.create({ id, slug: `r-${id.slice(0, 12)}`, name: o.name ?? 'Acme' });
  await store.admins.create({
    id: randomUUID(),
    tenantId: tenant.id,
    email: ADMIN_EMAIL,
    passwordHash: 'x',
    role: 'admin',
  });
  await o.beforeConnect?.(tenant);
  const connected = await connect(deps, {
    tenantId: tenant.id,
    provider: 'personio',
    config: { token: 'good' },
  });
  if (!connected.ok) throw connected.error;
  return {
    store,
    control,
    deps,
    tenant,
    integrationId: connected.value.integration.id,
    first: connected.value.run,
  };
}

/** Runs a sync and returns its run (a precondition failure throws). */
export async function sync(
  deps: EngineDeps,
  tenantId: string,
  extra: Partial<Omit<SyncRequest, 'tenantId'>> = {},
): Promise<RunRecord> {
  const result = await runSync(deps, { tenantId, trigger: 'manual', ...extra });
  if (!result.ok) throw result.error;
  return result.value;
}

/** Every user of a tenant (up to 100 000). */
export async function allUsers(store: Store, tenantId: string): Promise<UserRecord[]> {
  return (await store.directory.listUsers(tenantId, { limit: 100_000 })).items;
}

/** Lower-cased emails of the tenant's active users, sorted. */
export async function activeEmails(store: Store, tenantId: string): Promise<string[]> {
  const { items } = await store.directory.listUsers(tenantId, { limit: 100_000, active: true });
  return items.map((u) => (u.attributes.email ?? '').toLowerCase()).sort();
}

/** A stable fingerprint of a tenant's directory: every user field, manager, link and membership. */
export async function directoryFingerprint(store: Store, tenantId: string): Promise<string> {
  const users = await allUsers(store, tenantId);
  const groups = await store.directory.listGroups(tenantId);
  const rows = users
    .map((u) =>
      JSON.stringify([
        u.id,
        u.attributes,
        u.active,
        u.managerId,
        u.integrationId,
        u.sourceId,
        [...u.groupIds].sort(),
        u.updatedAt,
      ]),
    )
    .sort();
  return JSON.stringify({ rows, groups: groups.map((g) => [g.id, g.name, g.memberCount]).sort() });
}

/** Person attributes with every field null except the given ones. */
export const attributes = (a: Partial<PersonAttributes>): PersonAttributes => ({
  email: null,
  firstName: null,
  lastName: null,
  birthDate: null,
  gender: null,
  employeeNumber: null,
  jobTitle: null,
  department: null,
  location: null,
  phoneNumber: null,
  contractType: null,
  firstHiredOn: null,
  currentHiredOn: null,
  leavingDate: null,
  ...a,
});

export { people, type FakePerson };
