/** Case 2, threshold: 25% vanishing blocks with nothing written; 15% deactivates exactly the missing, never admins or others' users. */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Store, Tenant } from '../../src/store/index.js';
import { describeEachDialect } from '../db.js';
import {
  ADMIN_EMAIL,
  allUsers,
  attributes,
  fakeWorld,
  people,
  sync,
  type FakePerson,
} from './support/world.js';

const now = new Date('2026-11-23T05:00:00Z');

/** Users the sync must never touch: one manual (unlinked) and one left by a disconnected integration. */
async function seedForeignUsers(store: Store, tenant: Tenant): Promise<string[]> {
  const old = await store.integrations.create({
    id: randomUUID(),
    tenantId: tenant.id,
    provider: 'file',
    credentialsCiphertext: null,
    configuredFields: [],
    publicConfig: {},
    webhookTokenHash: null,
    managedFields: [],
  });
  await store.integrations.disconnect(tenant.id, old.id);
  const manual = randomUUID();
  const foreign = randomUUID();
  await store.apply(
    {
      tenantId: tenant.id,
      runId: null,
      createUsers: [
        {
          id: manual,
          attributes: attributes({ email: 'manual@acme.example', firstName: 'Man', lastName: 'Ual' }),
          active: true,
          integrationId: null,
          sourceId: null,
        },
        {
          id: foreign,
          attributes: attributes({ email: 'legacy@acme.example', firstName: 'Leg', lastName: 'Acy' }),
          active: true,
          integrationId: old.id,
          sourceId: 'legacy-1',
        },
      ],
    },
    { fence: null, now },
  );
  return [manual, foreign];
}

/** 39 employees plus the admin's own user, all linked to the integration. */
const roster = (): FakePerson[] => [
  ...people(39),
  { id: 'boss', email: ADMIN_EMAIL.toUpperCase(), firstName: 'Big', lastName: 'Boss' },
];

describeEachDialect('reliability 2: deactivation threshold', (getStore) => {
  it('25% vanishing with a 20% threshold is blocked and writes nothing', async () => {
    const store = getStore();
    let foreign: string[] = [];
    const w = await fakeWorld(store, {
      roster: roster(),
      beforeConnect: async (t) => {
        foreign = await seedForeignUsers(store, t);
      },
    });
    await store.tenants.update(w.tenant.id, { deletionThreshold: 0.2 });
    expect((await allUsers(store, w.tenant.id)).filter((u) => u.active)).toHaveLength(42);
    // p31..p39 and the admin vanish: 10 of 40 linked users (25%).
    w.control.people = w.control.people.filter((p) => !/^p3[1-9]$/.test(p.id) && p.id !== 'boss');
    const rowsBefore = store.stats.directoryRows;
    const run = await sync(w.deps, w.tenant.id);
    expect(run.status).toBe('blocked');
    expect(run.guard).toMatchObject({ reason: 'threshold', activeLinked: 40, threshold: 0.2 });
    expect(store.stats.directoryRows).toBe(rowsBefore);
    const users = await allUsers(store, w.tenant.id);
    expect(users.every((u) => u.active)).toBe(true);
    expect(foreign).toHaveLength(2);
  });

  it('15% vanishing deactivates exactly the missing users; admins and other users stay active', async () => {
    const store = getStore();
    let foreign: string[] = [];
    const w = await fakeWorld(store, {
      roster: roster(),
      beforeConnect: async (t) => {
        foreign = await seedForeignUsers(store, t);
      },
    });
    await store.tenants.update(w.tenant.id, { deletionThreshold: 0.2 });
    const before = await allUsers(store, w.tenant.id);
    const gone = ['p2', 'p9', 'p17', 'p25', 'p33'];
    // 5 employees and the admin vanish: 6 of 40 (15%).
    w.control.people = w.control.people.filter((p) => !gone.includes(p.id) && p.id !== 'boss');
    const run = await sync(w.deps, w.tenant.id);
    expect(run.status).toBe('succeeded');
    expect(run.counts.deactivated).toBe(5);
    expect(run.counts.deleted).toBe(0);
    const after = await allUsers(store, w.tenant.id);
    // Soft deactivation only: every user is still there.
    expect(after.map((u) => u.id).sort()).toEqual(before.map((u) => u.id).sort());
    expect(
      after
        .filter((u) => !u.active)
        .map((u) => u.sourceId)
        .sort(),
    ).toEqual([...gone].sort());
    const admin = after.find((u) => u.attributes.email?.toLowerCase() === ADMIN_EMAIL);
    expect(admin?.active).toBe(true);
    for (const id of foreign) {
      const was = before.find((u) => u.id === id);
      const now2 = after.find((u) => u.id === id);
      expect(now2).toEqual(was);
    }
    const warnings = await store.runs.listItems(w.tenant.id, run.id, { action: 'warning', limit: 10 });
    expect(warnings.items.map((i) => i.code)).toContain('protected_user');
  });
});
