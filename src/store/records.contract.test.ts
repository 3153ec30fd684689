/** Store contract on every dialect, part 2: integrations, runs, API keys, admins, outbox; tenant isolation. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptyCounts, type PlanCounts } from '../core/model.js';
import { describeEachDialect, newTenant, person } from '../../test/db.js';
import type { RunItem } from './index.js';

const now = new Date('2026-03-02T06:00:00.000Z');
const zero: PlanCounts = emptyCounts;

/** A tenant with three users, two groups and references, written through apply. */

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

describeEachDialect('store contract: records', (getStore) => {
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
      const tenant = await newTenant(getStore());
      const i = getStore().integrations;
      const hash = randomUUID();
      const created = await i.create(integration(tenant.id, { webhookTokenHash: hash }));
      const ids = { jane: randomUUID(), john: randomUUID(), old: randomUUID(), team: randomUUID() };
      const user = (id: string, email: string, sourceId: string | null) => ({
        id,
        active: true,
        integrationId: sourceId === null ? null : created.id,
        sourceId,
        attributes: person({ email, firstName: 'F', lastName: 'L', department: 'Ops' }),
      });
      await getStore().apply(
        {
          tenantId: tenant.id,
          runId: null,
          groups: [{ id: ids.team, name: 'Team' }],
          createUsers: [
            user(ids.jane, 'jane@x.com', '1'),
            user(ids.john, 'john@x.com', '2'),
            user(ids.old, 'old@x.com', null),
          ],
          setManagers: [{ userId: ids.jane, managerId: ids.john }],
          addMemberships: [{ userId: ids.jane, groupId: ids.team }],
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
