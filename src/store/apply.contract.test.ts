/** Store contract on every dialect: fencing leases and `apply` (fence, atomicity, idempotence, bulk size). */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDialect, newTenant, person } from '../../test/db.js';
import type { ApplyOps, Store } from './index.js';

const t0 = new Date('2026-03-02T06:00:00.000Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);

const newUser = (email: string, extra: { integrationId?: string; sourceId?: string } = {}) => ({
  id: randomUUID(),
  active: true,
  integrationId: extra.integrationId ?? null,
  sourceId: extra.sourceId ?? null,
  attributes: person({ email, firstName: 'F', lastName: 'L' }),
});

const count = async (store: Store, tenantId: string): Promise<number> =>
  (await store.directory.listUsers(tenantId, { limit: 1 })).total;

/** Runs `fn` and returns how much the store's counters moved. */
const delta = async (store: Store, fn: () => Promise<unknown>) => {
  const before = { ...store.stats };
  await fn();
  return {
    rows: store.stats.directoryRows - before.directoryRows,
    transactions: store.stats.transactions - before.transactions,
    statements: store.stats.statements - before.statements,
  };
};

describeEachDialect('store apply and leases', (getStore) => {
  describe('leases', () => {
    it('are exclusive while held, renewable, and released for the next holder with a higher token', async () => {
      const l = getStore().leases;
      const integrationId = randomUUID();
      const a = await l.acquire({ integrationId, owner: 'a', ttlMs: 60_000, now: t0 });
      expect(a).toEqual({ integrationId, owner: 'a', token: 1 });
      expect(await l.acquire({ integrationId, owner: 'b', ttlMs: 60_000, now: at(1_000) })).toBeNull();
      expect(await l.acquire({ integrationId, owner: 'a', ttlMs: 60_000, now: at(1_000) })).toBeNull();
      expect(await l.holder(integrationId)).toEqual({
        owner: 'a',
        token: 1,
        expiresAt: at(60_000).toISOString(),
      });
      expect(
        await l.renew(a ?? { integrationId, owner: 'a', token: 1 }, { ttlMs: 60_000, now: at(30_000) }),
      ).toBe(true);
      expect((await l.holder(integrationId))?.expiresAt).toBe(at(90_000).toISOString());
      expect(await l.renew({ integrationId, owner: 'a', token: 7 }, { ttlMs: 60_000, now: at(30_000) })).toBe(
        false,
      );
      expect(await l.acquire({ integrationId, owner: 'b', ttlMs: 60_000, now: at(60_000) })).toBeNull();
      await l.release({ integrationId, owner: 'a', token: 1 });
      expect(await l.holder(integrationId)).toBeUndefined();
      const b = await l.acquire({ integrationId, owner: 'b', ttlMs: 60_000, now: at(60_000) });
      expect(b?.token).toBe(2);
    });

    it('goes to exactly one of many concurrent acquirers', async () => {
      const integrationId = randomUUID();
      const owners = Array.from({ length: 8 }, (_, n) => `w${n}`);
      const fences = await Promise.all(
        owners.map((owner) => getStore().leases.acquire({ integrationId, owner, ttlMs: 60_000, now: t0 })),
      );
      const won = fences.filter((f) => f !== null);
      expect(won).toHaveLength(1);
      expect((await getStore().leases.holder(integrationId))?.owner).toBe(won[0]?.owner);
    });

    it('can be taken over once expired, and the old holder is fenced off', async () => {
      const l = getStore().leases;
      const integrationId = randomUUID();
      const a = await l.acquire({ integrationId, owner: 'a', ttlMs: 10_000, now: t0 });
      const b = await l.acquire({ integrationId, owner: 'b', ttlMs: 10_000, now: at(10_000) });
      expect(b?.token).toBeGreaterThan(a?.token ?? Infinity);
      expect(
        await l.renew(a ?? { integrationId, owner: 'a', token: 1 }, { ttlMs: 10_000, now: at(10_001) }),
      ).toBe(false);
      // A late release by the old holder must not free the new holder's lease.
      await l.release(a ?? { integrationId, owner: 'a', token: 1 });
      expect((await l.holder(integrationId))?.owner).toBe('b');
      expect(
        await l.renew(b ?? { integrationId, owner: 'b', token: 2 }, { ttlMs: 10_000, now: at(20_001) }),
      ).toBe(false);
    });
  });

  describe('apply', () => {
    it('a membership change alone moves the updated_at of the user and the group (readers polling updatedSince see it)', async () => {
      const store = getStore();
      const tenant = await newTenant(store);
      const user = newUser('member@acme.example');
      const group = { id: randomUUID(), name: 'Chess' };
      await store.apply(
        { tenantId: tenant.id, runId: null, createUsers: [user], groups: [group] },
        { fence: null, now: t0 },
      );
      const later = at(5_000);
      await store.apply(
        { tenantId: tenant.id, runId: null, addMemberships: [{ userId: user.id, groupId: group.id }] },
        { fence: null, now: later },
      );
      expect((await store.directory.getUser(tenant.id, user.id))?.updatedAt).toBe(later.toISOString());
      expect((await store.directory.listGroups(tenant.id)).find((g) => g.id === group.id)?.updatedAt).toBe(
        later.toISOString(),
      );
    });

    it('writes through a valid fence and extends the lease', async () => {
      const store = getStore();
      const tenant = await newTenant(store);
      const fence = await store.leases.acquire({
        integrationId: randomUUID(),
        owner: 'w1',
        ttlMs: 60_000,
        now: t0,
      });
      if (!fence) throw new Error('lease not acquired');
      await store.apply(
        { tenantId: tenant.id, runId: null, createUsers: [newUser('a@x.com')] },
        { fence, now: at(50_000), ttlMs: 60_000 },
      );
      expect(await count(store, tenant.id)).toBe(1);
      expect((await store.leases.holder(fence.integrationId))?.expiresAt).toBe(at(110_000).toISOString());
    });

    it('with a stale or expired fence throws lease_lost and writes nothing', async () => {
      const store = getStore();
      const tenant = await newTenant(store);
      const integrationId = randomUUID();
      const old = await store.leases.acquire({ integrationId, owner: 'w1', ttlMs: 10_000, now: t0 });
      const current = await store.leases.acquire({
        integrationId,
        owner: 'w2',
        ttlMs: 10_000,
        now: at(10_000),
      });
      if (!old || !current) throw new Error('lease not acquired');
      const ops: ApplyOps = {
        tenantId: tenant.id,
        runId: null,
        references: [{ kind: 'locations', names: ['Paris'] }],
        createUsers: [newUser('a@x.com'), newUser('b@x.com')],
      };
      const stale = await delta(store, async () => {
        await expect(store.apply(ops, { fence: old, now: at(11_000) })).rejects.toMatchObject({
          code: 'lease_lost',
        });
      });
      expect(stale.rows).toBe(0);
      const expired = await delta(store, async () => {
        await expect(store.apply(ops, { fence: current, now: at(20_000) })).rejects.toMatchObject({
          code: 'lease_lost',
        });
      });
      expect(expired.rows).toBe(0);
      expect(await count(store, tenant.id)).toBe(0);
      expect(await store.directory.listReferences(tenant.id, 'locations')).toEqual([]);
    });

    it('is atomic: a failing operation in the middle leaves nothing written', async () => {
      const store = getStore();
      const tenant = await newTenant(store);
      const user = newUser('a@x.com');
      const d = await delta(store, async () => {
        await expect(
          store.apply(
            {
              tenantId: tenant.id,
              runId: null,
              references: [{ kind: 'departments', names: ['Ops'] }],
              groups: [{ id: randomUUID(), name: 'G' }],
              createUsers: [user],
              addMemberships: [{ userId: user.id, groupId: randomUUID() }],
            },
            { fence: null, now: t0 },
          ),
        ).rejects.toMatchObject({ code: 'conflict' });
      });
      expect(d).toMatchObject({ rows: 0, transactions: 1 });
      expect(await count(store, tenant.id)).toBe(0);
      expect(await store.directory.listGroups(tenant.id)).toEqual([]);
      expect(await store.directory.listReferences(tenant.id, 'departments')).toEqual([]);
    });

    it('updates only the given keys, sets managers, memberships, items and audit', async () => {
      const store = getStore();
      const tenant = await newTenant(store);
      const [boss, jane, john] = [newUser('boss@x.com'), newUser('jane@x.com'), newUser('john@x.com')];
      const [g1, g2] = [
        { id: randomUUID(), name: 'Team' },
        { id: randomUUID(), name: 'Team' },
      ];
      const runId = randomUUID();
      await store.apply(
        {
          tenantId: tenant.id,
          runId,
          groups: [g1, g2],
          createUsers: [boss, jane, john],
          setManagers: [
            { userId: jane.id, managerId: boss.id },
            { userId: john.id, managerId: boss.id },
          ],
          addMemberships: [
            { userId: jane.id, groupId: g1.id },
            { userId: jane.id, groupId: g2.id },
            { userId: john.id, groupId: g1.id },
          ],
        },
        { fence: null, now: t0 },
      );
      await store.apply(
        {
          tenantId: tenant.id,
          runId,
          updateUsers: [
            { id: jane.id, attributes: { email: 'Jane.New@X.com', department: null } },
            { id: john.id, active: false },
            { id: boss.id, link: { integrationId: 'int', sourceId: '9' } },
          ],
          setManagers: [{ userId: john.id, managerId: null }],
          removeMemberships: [{ userId: jane.id, groupId: g2.id }],
          runItems: [
            {
              action: 'update',
              userId: jane.id,
              sourceId: null,
              record: 'row 1',
              email: 'jane.new@x.com',
              changes: [{ field: 'email', before: 'jane@x.com', after: 'Jane.New@X.com' }],
              code: null,
              field: null,
              message: null,
            },
          ],
          audit: [
            {
              userId: jane.id,
              runId,
              actor: 'run',
              action: 'update',
              changes: [{ field: 'email', before: 'jane@x.com', after: 'Jane.New@X.com' }],
            },
          ],
        },
        { fence: null, now: at(1_000) },
      );
      const d = store.directory;
      const janeNow = await d.getUserByEmail(tenant.id, 'jane.new@x.com');
      expect(janeNow).toMatchObject({
        managerId: boss.id,
        groupIds: [g1.id],
        updatedAt: at(1_000).toISOString(),
        createdAt: t0.toISOString(),
      });
      expect(janeNow?.attributes).toMatchObject({
        email: 'Jane.New@X.com',
        firstName: 'F',
        department: null,
      });
      expect(await d.getUserByEmail(tenant.id, 'jane@x.com')).toBeUndefined();
      expect(await d.getUser(tenant.id, john.id)).toMatchObject({
        active: false,
        managerId: null,
        groupIds: [g1.id],
      });
      expect(await d.getUser(tenant.id, boss.id)).toMatchObject({
        integrationId: 'int',
        sourceId: '9',
        active: true,
      });
      expect(
        (await store.runs.listItems(tenant.id, runId, { limit: 10 })).items.map((i) => i.record),
      ).toEqual(['row 1']);
      const audit = await store.audit.list(tenant.id, { userId: jane.id, limit: 10 });
      expect(audit).toMatchObject([{ actor: 'run', action: 'update', runId, at: at(1_000).toISOString() }]);
      expect(await store.audit.list(tenant.id, { runId: randomUUID(), limit: 10 })).toEqual([]);
      expect(await store.audit.list((await newTenant(store)).id, { limit: 10 })).toEqual([]);
    });

    it('is idempotent: the same batch twice writes nothing the second time', async () => {
      const store = getStore();
      const tenant = await newTenant(store);
      const user = newUser('a@x.com');
      const group = { id: randomUUID(), name: 'G' };
      const ops: ApplyOps = {
        tenantId: tenant.id,
        runId: null,
        references: [{ kind: 'positions', names: ['Dev', 'dev '] }],
        groups: [group],
        createUsers: [user],
        addMemberships: [{ userId: user.id, groupId: group.id }],
      };
      expect((await delta(store, () => store.apply(ops, { fence: null, now: t0 }))).rows).toBe(4);
      expect((await delta(store, () => store.apply(ops, { fence: null, now: t0 }))).rows).toBe(0);
      expect(await store.directory.listReferences(tenant.id, 'positions')).toEqual(['Dev']);
    });

    it('deleting a user cascades memberships and leaves reports without a manager', async () => {
      const store = getStore();
      const tenant = await newTenant(store);
      const [boss, jane] = [newUser('boss@x.com'), newUser('jane@x.com')];
      const group = { id: randomUUID(), name: 'G' };
      await store.apply(
        {
          tenantId: tenant.id,
          runId: null,
          groups: [group],
          createUsers: [boss, jane],
          setManagers: [{ userId: jane.id, managerId: boss.id }],
          addMemberships: [{ userId: boss.id, groupId: group.id }],
        },
        { fence: null, now: t0 },
      );
      const other = await newTenant(store);
      await store.apply(
        { tenantId: other.id, runId: null, deleteUsers: [boss.id] },
        { fence: null, now: t0 },
      );
      expect(await count(store, tenant.id)).toBe(2); // another tenant cannot delete them
      await store.apply(
        { tenantId: tenant.id, runId: null, deleteUsers: [boss.id] },
        { fence: null, now: t0 },
      );
      expect(await store.directory.getUser(tenant.id, boss.id)).toBeUndefined();
      expect((await store.directory.getUser(tenant.id, jane.id))?.managerId).toBeNull();
      expect((await store.directory.listGroups(tenant.id))[0]).toMatchObject({
        id: group.id,
        memberCount: 0,
      });
    });

    it('writes 20 000 users, then updates them, in a few dozen statements and one transaction each', async () => {
      const store = getStore();
      const tenant = await newTenant(store);
      const users = Array.from({ length: 20_000 }, (_, n) =>
        newUser(`user${n}@big.example`, { integrationId: 'int', sourceId: String(n) }),
      );
      const group = { id: randomUUID(), name: 'All' };
      const created = await delta(store, () =>
        store.apply(
          {
            tenantId: tenant.id,
            runId: null,
            groups: [group],
            createUsers: users,
            addMemberships: users.map((u) => ({ userId: u.id, groupId: group.id })),
          },
          { fence: null, now: t0 },
        ),
      );
      expect(created.transactions).toBe(1);
      expect(created.rows).toBe(40_001);
      expect(created.statements).toBeLessThanOrEqual(40);
      expect(await count(store, tenant.id)).toBe(20_000);
      // Two update shapes (department only; department + active) and managers: still a handful of statements.
      const updated = await delta(store, () =>
        store.apply(
          {
            tenantId: tenant.id,
            runId: null,
            updateUsers: users.map((u, n) =>
              n % 2 === 0
                ? { id: u.id, attributes: { department: 'Ops' } }
                : { id: u.id, attributes: { department: 'Ops' }, active: false },
            ),
            setManagers: users.slice(1).map((u) => ({ userId: u.id, managerId: users[0]?.id ?? null })),
          },
          { fence: null, now: at(1) },
        ),
      );
      expect(updated.transactions).toBe(1);
      expect(updated.rows).toBe(20_000 + 19_999);
      expect(updated.statements).toBeLessThanOrEqual(20);
      expect(
        (await store.directory.listUsers(tenant.id, { limit: 1, department: 'Ops', active: false })).total,
      ).toBe(10_000);
      let managed = 0;
      const snap = await delta(store, async () => {
        managed = (await store.directory.snapshot(tenant.id)).users.filter(
          (u) => u.managerId === users[0]?.id,
        ).length;
      });
      expect(snap.statements).toBeLessThanOrEqual(10);
      expect(managed).toBe(19_999);
    });
  });
});
