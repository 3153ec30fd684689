/** A small directory to read back through the directory API and SCIM: users, a manager, groups, a link. */
import { person, newTenant } from '../db.js';
import { createApiKey, type EngineDeps } from '../../src/engine/index.js';
import type { Tenant } from '../../src/store/index.js';

/** When the seed's users were created, and when one of them was updated afterwards. */
export const SEEDED_AT = new Date('2026-11-01T06:00:00.000Z');
export const UPDATED_AT = new Date('2026-11-10T06:00:00.000Z');

export interface SeededDirectory {
  readonly tenant: Tenant;
  readonly integrationId: string;
  /** User ids by role; `john` was updated at UPDATED_AT, the others last changed at SEEDED_AT. */
  readonly users: { boss: string; jane: string; john: string; manual: string; leaver: string };
  readonly groups: { sales: string; eng: string; ops: string };
  /** Email of each user, by role. */
  readonly emails: { boss: string; jane: string; john: string; manual: string; leaver: string };
  /** API keys by scope. */
  readonly keys: { directory: string; admin: string; upload: string };
}

/**
 * A tenant with a Personio integration and five users: boss (manager of jane and john), jane (Sales,
 * Engineering), john (Sales, updated later), an unlinked manual user and an inactive leaver; three groups,
 * one with a non-ASCII name (Équipe Ops) and no members.
 */
export async function seedDirectory(deps: EngineDeps, name = 'Acme'): Promise<SeededDirectory> {
  const { store } = deps;
  const tenant = await newTenant(store, name);
  const p = tenant.slug;
  const domain = `${p}.example`;
  const integration = await store.integrations.create({
    id: `${p}-int`,
    tenantId: tenant.id,
    provider: 'personio',
    credentialsCiphertext: null,
    configuredFields: [],
    publicConfig: {},
    webhookTokenHash: null,
    managedFields: [],
  });
  const users = { boss: `${p}-u1`, jane: `${p}-u2`, john: `${p}-u3`, manual: `${p}-u4`, leaver: `${p}-u5` };
  const groups = { sales: `${p}-g1`, eng: `${p}-g2`, ops: `${p}-g3` };
  const emails = {
    boss: `Boss@${domain}`,
    jane: `jane.doe@${domain}`,
    john: `john.roe@${domain}`,
    manual: `temp@${domain}`,
    leaver: `gone@${domain}`,
  };
  const linked = (id: string, sourceId: string, attributes: Parameters<typeof person>[0], active = true) => ({
    id,
    attributes: person(attributes),
    active,
    integrationId: integration.id,
    sourceId,
  });
  await store.apply(
    {
      tenantId: tenant.id,
      runId: null,
      groups: [
        { id: groups.sales, name: 'Sales' },
        { id: groups.eng, name: 'Engineering' },
        { id: groups.ops, name: 'Équipe Ops' },
      ],
      createUsers: [
        linked(users.boss, 'E1', { email: emails.boss, firstName: 'Big', lastName: 'Boss', jobTitle: 'CEO' }),
        linked(users.jane, 'E2', {
          email: emails.jane,
          firstName: 'Jane',
          lastName: 'Doe',
          jobTitle: 'Engineer',
          department: 'R&D',
          employeeNumber: '1002',
          phoneNumber: '+49 30 1234',
          location: 'Berlin',
          birthDate: '1990-02-03',
        }),
        linked(users.john, 'e3', {
          email: emails.john,
          firstName: 'John',
          lastName: 'Roe',
          jobTitle: 'Sales rep',
        }),
        {
          id: users.manual,
          attributes: person({ email: emails.manual, firstName: 'Tem', lastName: 'Porary' }),
          active: true,
          integrationId: null,
          sourceId: null,
        },
        linked(users.leaver, 'E5', { email: emails.leaver, firstName: 'Gone', lastName: 'Away' }, false),
      ],
      setManagers: [
        { userId: users.jane, managerId: users.boss },
        { userId: users.john, managerId: users.boss },
      ],
      addMemberships: [
        { userId: users.jane, groupId: groups.sales },
        { userId: users.jane, groupId: groups.eng },
        { userId: users.john, groupId: groups.sales },
      ],
    },
    { fence: null, now: SEEDED_AT },
  );
  await store.apply(
    {
      tenantId: tenant.id,
      runId: null,
      updateUsers: [{ id: users.john, attributes: { jobTitle: 'Head of Sales' } }],
    },
    { fence: null, now: UPDATED_AT },
  );
  const key = async (scope: string): Promise<string> => {
    const created = await createApiKey(deps, { tenantId: tenant.id, name: `${scope} key`, scopes: [scope] });
    if (!created.ok) throw created.error;
    return created.value.key;
  };
  return {
    tenant,
    integrationId: integration.id,
    users,
    groups,
    emails,
    keys: {
      directory: await key('directory:read'),
      admin: await key('admin'),
      upload: await key('hr-data:write'),
    },
  };
}
