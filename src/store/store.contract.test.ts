/** Store contract on every dialect, part 1: migrations, tenants, directory reads (records.contract.test.ts: the rest). */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDialect, newTenant, person } from '../../test/db.js';
import type { Store } from './index.js';

const now = new Date('2026-03-02T06:00:00.000Z');
/** A tenant with three users, two groups and references, written through apply. */
const seed = async (store: Store) => {
  const tenant = await newTenant(store);
  const ids = {
    jane: randomUUID(),
    john: randomUUID(),
    old: randomUUID(),
    sales: randomUUID(),
    ops: randomUUID(),
  };
  await store.apply(
    {
      tenantId: tenant.id,
      runId: null,
      references: [{ kind: 'departments', names: ['Sales', 'Ops'] }],
      groups: [
        { id: ids.sales, name: 'Sales' },
        { id: ids.ops, name: 'Ops' },
      ],
      createUsers: [
        {
          id: ids.jane,
          active: true,
          integrationId: 'int-1',
          sourceId: '1',
          attributes: person({
            email: 'Jane.Doe@Acme.com',
            firstName: 'Jane',
            lastName: 'Doe',
            department: 'Sales',
            employeeNumber: 'E50%',
          }),
        },
        {
          id: ids.john,
          active: true,
          integrationId: 'int-1',
          sourceId: '2',
          attributes: person({
            email: 'john@acme.com',
            firstName: 'John',
            lastName: 'Smith',
            department: 'Ops',
          }),
        },
        {
          id: ids.old,
          active: false,
          integrationId: null,
          sourceId: null,
          attributes: person({
            email: 'old@acme.com',
            firstName: 'Olga',
            lastName: 'Doe',
            department: 'Sales',
          }),
        },
      ],
      addMemberships: [
        { userId: ids.jane, groupId: ids.sales },
        { userId: ids.jane, groupId: ids.ops },
        { userId: ids.john, groupId: ids.ops },
      ],
    },
    { fence: null, now },
  );
  return { tenant, ids };
};

describeEachDialect('store contract', (getStore) => {
  it('migrate is idempotent', async () => {
    await getStore().migrate();
    await getStore().migrate();
    const t = await newTenant(getStore());
    expect((await getStore().tenants.get(t.id))?.id).toBe(t.id);
  });

  describe('tenants', () => {
    it('creates with defaults and the default gender choices', async () => {
      const t = await getStore().tenants.create({
        id: randomUUID(),
        slug: `s-${randomUUID()}`,
        name: 'Acme',
        timezone: 'Europe/Berlin',
      });
      expect(t).toMatchObject({
        timezone: 'Europe/Berlin',
        syncCron: '0 6 * * *',
        leaverPolicy: 'deactivate',
        deletionThreshold: 0.1,
        allowManualUsers: false,
        technicalUserEmail: null,
        notificationRecipients: [],
        disabled: false,
      });
      expect(await getStore().directory.listGenderChoices(t.id)).toEqual(['female', 'male']);
    });

    it('refuses a duplicate slug with a conflict', async () => {
      const t = await newTenant(getStore());
      await expect(
        getStore().tenants.create({ id: randomUUID(), slug: t.slug, name: 'Other' }),
      ).rejects.toMatchObject({ code: 'conflict' });
    });

    it('gets, lists and updates', async () => {
      const t = await newTenant(getStore());
      expect((await getStore().tenants.getBySlug(t.slug))?.id).toBe(t.id);
      expect((await getStore().tenants.list()).map((x) => x.id)).toContain(t.id);
      const u = await getStore().tenants.update(t.id, {
        name: 'New',
        deletionThreshold: 0.25,
        leaverPolicy: 'delete',
        notificationRecipients: ['a@x.com'],
        allowManualUsers: true,
        disabled: true,
        technicalUserEmail: 'tech@x.com',
      });
      expect(u).toMatchObject({
        name: 'New',
        deletionThreshold: 0.25,
        leaverPolicy: 'delete',
        notificationRecipients: ['a@x.com'],
        allowManualUsers: true,
        disabled: true,
        technicalUserEmail: 'tech@x.com',
        timezone: 'UTC',
      });
      await expect(getStore().tenants.update(randomUUID(), { name: 'x' })).rejects.toMatchObject({
        code: 'not_found',
      });
      expect(await getStore().tenants.get(randomUUID())).toBeUndefined();
    });
  });

  describe('directory', () => {
    it('snapshot holds users with groups, groups, references, choices and admin emails of one tenant only', async () => {
      const { tenant, ids } = await seed(getStore());
      await seed(getStore()); // another tenant: must not leak
      await getStore().admins.create({
        id: randomUUID(),
        tenantId: tenant.id,
        email: 'Boss@acme.com',
        passwordHash: 'h',
        role: 'admin',
      });
      const s = await getStore().directory.snapshot(tenant.id);
      expect(s.users).toHaveLength(3);
      expect(
        s.users
          .find((u) => u.id === ids.jane)
          ?.groupIds.slice()
          .sort(),
      ).toEqual([ids.sales, ids.ops].sort());
      expect(s.groups.map((g) => g.name).sort()).toEqual(['Ops', 'Sales']);
      expect(s.references.departments).toEqual(['Ops', 'Sales']);
      expect(s.genderChoices).toEqual(['female', 'male']);
      expect(s.adminEmails).toEqual(['Boss@acme.com']);
    });

    it('lists users with every filter, paging and a total', async () => {
      const { tenant, ids } = await seed(getStore());
      const d = getStore().directory;
      const emails = async (q: Parameters<Store['directory']['listUsers']>[1]) =>
        (await d.listUsers(tenant.id, q)).items.map((u) => u.attributes.email);
      expect((await d.listUsers(tenant.id, { limit: 2 })).total).toBe(3);
      expect(await emails({ limit: 10, search: 'DOE' })).toHaveLength(2);
      expect(await emails({ limit: 10, search: 'jane doe' })).toEqual(['Jane.Doe@Acme.com']);
      expect(await emails({ limit: 10, search: 'JOHN@' })).toEqual(['john@acme.com']);
      expect(await emails({ limit: 10, search: 'e50%' })).toEqual(['Jane.Doe@Acme.com']);
      // LIKE wildcards in a search are literal characters.
      expect(await emails({ limit: 10, search: '%' })).toEqual(['Jane.Doe@Acme.com']);
      expect(await emails({ limit: 10, search: '_' })).toEqual([]);
      expect(await emails({ limit: 10, active: false })).toEqual(['old@acme.com']);
      expect(await emails({ limit: 10, integrationId: 'int-1' })).toHaveLength(2);
      expect(await emails({ limit: 10, department: 'Ops' })).toEqual(['john@acme.com']);
      expect((await emails({ limit: 10, groupId: ids.ops })).sort()).toEqual([
        'Jane.Doe@Acme.com',
        'john@acme.com',
      ]);
      expect(await emails({ limit: 10, updatedSince: '2030-01-01T00:00:00.000Z' })).toEqual([]);
      const all = (await d.listUsers(tenant.id, { limit: 10 })).items.map((u) => u.id);
      expect(all).toEqual([...all].sort());
      const page = await d.listUsers(tenant.id, { limit: 1, offset: 1 });
      expect(page.items.map((u) => u.id)).toEqual([all[1]]);
      const after = await d.listUsers(tenant.id, { limit: 10, afterId: all[0] ?? '' });
      expect(after.items.map((u) => u.id)).toEqual(all.slice(1));
      expect(after.total).toBe(3);
      expect((await d.listUsers(randomUUID(), { limit: 10 })).total).toBe(0);
    });

    it('gets users by id and by email, case-insensitively, only in their tenant', async () => {
      const { tenant, ids } = await seed(getStore());
      const other = await newTenant(getStore());
      const d = getStore().directory;
      const jane = await d.getUserByEmail(tenant.id, '  JANE.doe@acme.COM ');
      expect(jane?.id).toBe(ids.jane);
      expect(jane).toMatchObject({ active: true, integrationId: 'int-1', sourceId: '1', managerId: null });
      expect(jane?.attributes).toMatchObject({ firstName: 'Jane', department: 'Sales', birthDate: null });
      expect((await d.getUser(tenant.id, ids.jane))?.groupIds).toHaveLength(2);
      expect(await d.getUser(other.id, ids.jane)).toBeUndefined();
      expect(await d.getUserByEmail(other.id, 'jane.doe@acme.com')).toBeUndefined();
    });

    it('keeps emails unique per tenant, case-insensitively', async () => {
      const { tenant } = await seed(getStore());
      const dup = {
        id: randomUUID(),
        active: true,
        integrationId: null,
        sourceId: null,
        attributes: person({ email: 'JANE.DOE@acme.com' }),
      };
      await expect(
        getStore().apply({ tenantId: tenant.id, runId: null, createUsers: [dup] }, { fence: null, now }),
      ).rejects.toMatchObject({ code: 'conflict' });
      const other = await newTenant(getStore());
      await getStore().apply({ tenantId: other.id, runId: null, createUsers: [dup] }, { fence: null, now });
      expect((await getStore().directory.getUserByEmail(other.id, 'jane.doe@acme.com'))?.id).toBe(dup.id);
    });

    it('lists groups with member counts, references, and gender choices', async () => {
      const { tenant, ids } = await seed(getStore());
      const d = getStore().directory;
      const groups = await d.listGroups(tenant.id);
      expect(groups.find((g) => g.id === ids.ops)).toMatchObject({
        name: 'Ops',
        memberCount: 2,
        createdAt: now.toISOString(),
      });
      expect(groups.find((g) => g.id === ids.sales)?.memberCount).toBe(1);
      expect(await d.listReferences(tenant.id, 'departments')).toEqual(['Ops', 'Sales']);
      expect(await d.listReferences(tenant.id, 'locations')).toEqual([]);
      await d.addGenderChoice(tenant.id, 'diverse');
      await d.addGenderChoice(tenant.id, 'Diverse');
      await d.addGenderChoice(tenant.id, 'undefined');
      expect(await d.listGenderChoices(tenant.id)).toEqual(['female', 'male', 'diverse', 'undefined']);
      expect(await d.listGroups((await newTenant(getStore())).id)).toEqual([]);
      await expect(d.addGenderChoice(tenant.id, ' ')).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('upserts positions by title, counting only real changes, and creates their departments', async () => {
      const { tenant } = await seed(getStore());
      const d = getStore().directory;
      const positions = [
        { code: 'P1', title: 'Engineer', department: 'R&D' },
        { code: null, title: 'Sales Rep', department: 'Sales' },
      ];
      expect(await d.upsertPositions(tenant.id, positions)).toBe(2);
      expect(await d.upsertPositions(tenant.id, positions)).toBe(0);
      expect(await d.upsertPositions(tenant.id, [{ code: 'P2', title: 'ENGINEER', department: 'R&D' }])).toBe(
        1,
      );
      expect(await d.listReferences(tenant.id, 'positions')).toEqual(['Engineer', 'Sales Rep']);
      expect(await d.listReferences(tenant.id, 'departments')).toEqual(['Ops', 'R&D', 'Sales']);
    });
  });
});
