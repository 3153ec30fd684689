/** Store contract on every dialect: tenants, directory reads, integrations, runs, accounts, outbox, isolation. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlanCounts } from '../core/model.js';
import { describeEachDialect, newTenant, person } from '../../test/db.js';
import type { RunItem, Store } from './index.js';

const now = new Date('2026-03-02T06:00:00.000Z');
const zero: PlanCounts = {
  created: 0,
  updated: 0,
  deactivated: 0,
  reactivated: 0,
  deleted: 0,
  unchanged: 0,
  errors: 0,
  warnings: 0,
};

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

const integration = (tenantId: string, extra: { webhookTokenHash?: string } = {}) => ({
  id: randomUUID(),
  tenantId,
  provider: 'personio',
  credentialsCiphertext: 'cipher',
  configuredFields: ['clientId', 'clientSecret'],
  publicConfig: { region: 'eu' },
  webhookTokenHash: extra.webhookTokenHash ?? null,
  managedFields: ['email' as const, 'firstName' as const],
});

const item = (action: RunItem['action'], record: string): RunItem => ({
  action,
  userId: null,
  sourceId: null,
  record,
  email: null,
  changes: [{ field: 'email', before: null, after: `${record}@x.com` }],
  code: action === 'error' ? 'invalid_email' : null,
  field: null,
  message: null,
});

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

  describe('integrations', () => {
    it('creates, reads, lists, finds by webhook hash and updates', async () => {
      const t = await newTenant(getStore());
      const i = getStore().integrations;
      const hash = randomUUID();
      const created = await i.create(integration(t.id, { webhookTokenHash: hash }));
      expect(created).toMatchObject({
        status: 'active',
        failureStreak: 0,
        publicConfig: { region: 'eu' },
        managedFields: ['email', 'firstName'],
      });
      expect((await i.get(t.id, created.id))?.credentialsCiphertext).toBe('cipher');
      expect((await i.getActive(t.id))?.id).toBe(created.id);
      expect((await i.list(t.id)).map((x) => x.id)).toEqual([created.id]);
      expect((await i.listActive()).map((x) => x.id)).toContain(created.id);
      expect((await i.findByWebhookTokenHash(hash))?.id).toBe(created.id);
      const u = await i.update(t.id, created.id, {
        failureStreak: 2,
        lastRunAt: now.toISOString(),
        configuredFields: ['apiKey'],
        quarantinedUntil: '2026-03-03T00:00:00.000Z',
        managedFields: ['email'],
        publicConfig: {},
        credentialsCiphertext: 'c2',
      });
      expect(u).toMatchObject({
        failureStreak: 2,
        lastRunAt: now.toISOString(),
        configuredFields: ['apiKey'],
        managedFields: ['email'],
        quarantinedUntil: '2026-03-03T00:00:00.000Z',
        publicConfig: {},
        credentialsCiphertext: 'c2',
        webhookTokenHash: hash,
      });
    });

    it('allows one active integration per tenant', async () => {
      const t = await newTenant(getStore());
      const first = await getStore().integrations.create(integration(t.id));
      await expect(getStore().integrations.create(integration(t.id))).rejects.toMatchObject({
        code: 'conflict',
      });
      await getStore().integrations.create(integration((await newTenant(getStore())).id));
      await getStore().integrations.disconnect(t.id, first.id);
      const second = await getStore().integrations.create(integration(t.id));
      expect((await getStore().integrations.getActive(t.id))?.id).toBe(second.id);
      expect(await getStore().integrations.list(t.id)).toHaveLength(2);
    });

    it('disconnect drops secrets and links and leaves users otherwise untouched', async () => {
      const { tenant, ids } = await seed(getStore());
      const i = getStore().integrations;
      const hash = randomUUID();
      const created = await i.create(integration(tenant.id, { webhookTokenHash: hash }));
      await getStore().apply(
        {
          tenantId: tenant.id,
          runId: null,
          updateUsers: [ids.jane, ids.john].map((id, n) => ({
            id,
            link: { integrationId: created.id, sourceId: String(n) },
          })),
        },
        { fence: null, now },
      );
      const before = await getStore().directory.getUser(tenant.id, ids.jane);
      expect(await i.disconnect(tenant.id, created.id)).toEqual({ unlinkedUsers: 2 });
      const after = await getStore().directory.getUser(tenant.id, ids.jane);
      expect(after).toEqual({ ...before, integrationId: null, sourceId: null });
      expect(await i.get(tenant.id, created.id)).toMatchObject({
        status: 'disconnected',
        credentialsCiphertext: null,
        webhookTokenHash: null,
      });
      expect(await i.findByWebhookTokenHash(hash)).toBeUndefined();
      expect(await i.getActive(tenant.id)).toBeUndefined();
      expect((await getStore().directory.listUsers(tenant.id, { limit: 10 })).total).toBe(3);
    });

    it('never crosses tenants', async () => {
      const t = await newTenant(getStore());
      const other = await newTenant(getStore());
      const created = await getStore().integrations.create(integration(t.id));
      expect(await getStore().integrations.get(other.id, created.id)).toBeUndefined();
      expect(await getStore().integrations.list(other.id)).toEqual([]);
      await expect(
        getStore().integrations.update(other.id, created.id, { failureStreak: 1 }),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(getStore().integrations.disconnect(other.id, created.id)).rejects.toMatchObject({
        code: 'not_found',
      });
      expect((await getStore().integrations.get(t.id, created.id))?.status).toBe('active');
    });
  });

  describe('runs', () => {
    it('creates, finishes, lists and finds by status', async () => {
      const t = await newTenant(getStore());
      const r = getStore().runs;
      const run = await r.create({
        id: randomUUID(),
        tenantId: t.id,
        integrationId: 'i1',
        provider: 'file',
        mode: 'full',
        trigger: 'upload',
        dryRun: false,
      });
      expect(run).toMatchObject({
        status: 'running',
        counts: zero,
        finishedAt: null,
        dryRun: false,
        guard: null,
      });
      expect((await r.listByStatus('running')).map((x) => x.id)).toContain(run.id);
      const counts = { ...zero, deactivated: 30 };
      const done = await r.finish(run.id, {
        status: 'blocked',
        counts,
        message: 'too many leavers',
        errorCode: 'blocked',
        guard: { leavers: 30 },
      });
      expect(done).toMatchObject({
        status: 'blocked',
        counts,
        message: 'too many leavers',
        errorCode: 'blocked',
        guard: { leavers: 30 },
      });
      expect(done.finishedAt).not.toBeNull();
      expect((await r.listByStatus('running')).map((x) => x.id)).not.toContain(run.id);
      const second = await r.create({
        id: randomUUID(),
        tenantId: t.id,
        integrationId: 'i2',
        provider: 'file',
        mode: 'partial',
        trigger: 'webhook',
        dryRun: true,
      });
      expect((await r.list(t.id, { limit: 10 })).map((x) => x.id).sort()).toEqual([run.id, second.id].sort());
      expect((await r.list(t.id, { limit: 10, integrationId: 'i2' })).map((x) => x.id)).toEqual([second.id]);
      expect(await r.list(t.id, { limit: 1, offset: 5 })).toEqual([]);
      const other = await newTenant(getStore());
      expect(await r.get(other.id, run.id)).toBeUndefined();
      expect(await r.list(other.id, { limit: 10 })).toEqual([]);
      await expect(r.finish(randomUUID(), { status: 'failed', counts: zero })).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('stores items in bulk and pages them by action', async () => {
      const t = await newTenant(getStore());
      const runId = randomUUID();
      const items = Array.from({ length: 2500 }, (_, n) =>
        item(n % 5 === 0 ? 'error' : 'create', `row ${n}`),
      );
      await getStore().runs.addItems(t.id, runId, items);
      const errors = await getStore().runs.listItems(t.id, runId, { action: 'error', limit: 3 });
      expect(errors.total).toBe(500);
      expect(errors.items.map((i) => i.record)).toEqual(['row 0', 'row 5', 'row 10']);
      expect(errors.items[0]).toMatchObject({
        code: 'invalid_email',
        changes: [{ field: 'email', before: null, after: 'row 0@x.com' }],
      });
      const both = await getStore().runs.listItems(t.id, runId, {
        action: ['error', 'create'],
        limit: 2,
        offset: 1,
      });
      expect(both.total).toBe(2500);
      expect(both.items.map((i) => i.record)).toEqual(['row 1', 'row 2']);
      expect(
        (await getStore().runs.listItems((await newTenant(getStore())).id, runId, { limit: 10 })).total,
      ).toBe(0);
    });

    it('saves, loads and deletes a plan per tenant', async () => {
      const t = await newTenant(getStore());
      const other = await newTenant(getStore());
      const runId = randomUUID();
      await getStore().runs.savePlan(t.id, runId, '{"v":1}');
      await getStore().runs.savePlan(t.id, runId, '{"v":2}');
      await getStore().runs.savePlan(other.id, runId, '{"stolen":true}');
      expect(await getStore().runs.loadPlan(t.id, runId)).toBe('{"v":2}');
      expect(await getStore().runs.loadPlan(other.id, runId)).toBeUndefined();
      await getStore().runs.deletePlan(runId);
      expect(await getStore().runs.loadPlan(t.id, runId)).toBeUndefined();
    });
  });

  describe('accounts and outbox', () => {
    it('stores API keys by prefix, lists, revokes once and touches', async () => {
      const t = await newTenant(getStore());
      const k = getStore().apiKeys;
      const prefix = `rs_${randomUUID().slice(0, 8)}`;
      const key = await k.create({
        id: randomUUID(),
        tenantId: t.id,
        name: 'upload',
        scopes: ['upload'],
        keyHash: 'h',
        prefix,
      });
      expect(await k.findByPrefix(prefix)).toEqual(key);
      await expect(
        k.create({ id: randomUUID(), tenantId: t.id, name: 'dup', scopes: [], keyHash: 'h', prefix }),
      ).rejects.toMatchObject({ code: 'conflict' });
      const other = await newTenant(getStore());
      expect(await k.revoke(other.id, key.id)).toBe(false);
      expect(await k.list(other.id)).toEqual([]);
      expect(await k.revoke(t.id, key.id)).toBe(true);
      expect(await k.revoke(t.id, key.id)).toBe(false);
      await k.touch(key.id, now);
      const [listed] = await k.list(t.id);
      expect(listed?.lastUsedAt).toBe(now.toISOString());
      expect(listed?.revokedAt).not.toBeNull();
    });

    it('finds admins by email case-insensitively, per tenant or across tenants', async () => {
      const t = await newTenant(getStore());
      const other = await newTenant(getStore());
      const email = `Boss-${randomUUID()}@Acme.com`;
      const a = getStore().admins;
      await a.create({ id: randomUUID(), tenantId: t.id, email, passwordHash: 'h', role: 'admin' });
      await expect(
        a.create({
          id: randomUUID(),
          tenantId: t.id,
          email: email.toUpperCase(),
          passwordHash: 'h',
          role: 'viewer',
        }),
      ).rejects.toMatchObject({ code: 'conflict' });
      await a.create({ id: randomUUID(), tenantId: other.id, email, passwordHash: 'h2', role: 'viewer' });
      expect((await a.findByEmail(t.id, email.toLowerCase()))?.email).toBe(email);
      expect((await a.findByEmailAnyTenant(email.toUpperCase())).map((x) => x.tenantId).sort()).toEqual(
        [t.id, other.id].sort(),
      );
      expect((await a.list(other.id)).map((x) => x.role)).toEqual(['viewer']);
      expect(await a.findByEmail((await newTenant(getStore())).id, email)).toBeUndefined();
    });

    it('enqueues once per dedupe key and tracks delivery', async () => {
      const t = await newTenant(getStore());
      const o = getStore().outbox;
      const msg = {
        tenantId: t.id,
        to: 'a@x.com',
        subject: 'Sync failed',
        body: 'b',
        reason: 'run_failed',
        dedupeKey: `k-${t.id}`,
      };
      expect(await o.enqueue({ ...msg, id: randomUUID() })).toBe(true);
      expect(await o.enqueue({ ...msg, id: randomUUID() })).toBe(false);
      const { dedupeKey: _, ...plain } = msg;
      expect(await o.enqueue({ ...plain, id: randomUUID() })).toBe(true);
      expect(await o.enqueue({ ...plain, id: randomUUID() })).toBe(true);
      const mine = (await o.listPending(1000)).filter((m) => m.tenantId === t.id);
      expect(mine).toHaveLength(3);
      const [first, second] = mine;
      await o.markSent(first?.id ?? '', now);
      await o.markFailed(second?.id ?? '', 'smtp 550');
      expect((await o.listPending(1000)).filter((m) => m.tenantId === t.id)).toHaveLength(1);
      const listed = await o.list(t.id, { limit: 10 });
      expect(listed.find((m) => m.id === first?.id)).toMatchObject({
        status: 'sent',
        sentAt: now.toISOString(),
        attempts: 1,
      });
      expect(listed.find((m) => m.id === second?.id)).toMatchObject({
        status: 'failed',
        lastError: 'smtp 550',
        attempts: 1,
        to: 'a@x.com',
      });
      expect(await o.list((await newTenant(getStore())).id, { limit: 10 })).toEqual([]);
    });
  });
});
