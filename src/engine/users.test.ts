import { expect, it } from 'vitest';
import { describeEachDialect, newTenant } from '../../test/db.js';
import { testDeps } from '../../test/support/engine.js';
import { createUser, updateUser } from './users.js';

describeEachDialect('engine/users', (getStore) => {
  it('creates manual users, audits edits with the actor, refuses manager cycles and foreign ids', async () => {
    let tick = 0;
    // A moving clock: audit entries are ordered by time.
    const deps = testDeps(getStore(), {
      now: () => new Date(Date.parse('2026-11-23T06:00:00Z') + 1000 * tick++),
    });
    const tenant = await newTenant(deps.store);
    const make = async (email: string, managerId?: string) => {
      const r = await createUser(deps, {
        tenantId: tenant.id,
        actor: 'admin:boss@acme.example',
        input: {
          attributes: { email, firstName: 'F', lastName: 'L', department: 'Ops' },
          ...(managerId ? { managerId } : {}),
        },
      });
      if (!r.ok) throw r.error;
      return r.value;
    };
    const top = await make('top@acme.example');
    const mid = await make('mid@acme.example', top.id);
    const low = await make('low@acme.example', mid.id);
    expect(await deps.store.directory.listReferences(tenant.id, 'departments')).toEqual(['Ops']);
    const cycle = await updateUser(deps, {
      tenantId: tenant.id,
      userId: top.id,
      actor: 'admin:x',
      patch: { managerId: low.id },
    });
    expect(!cycle.ok && cycle.error.details).toMatchObject({ field: 'managerId' });
    const other = await newTenant(deps.store, 'Other');
    const foreign = await createUser(deps, {
      tenantId: other.id,
      actor: 'admin:x',
      input: { attributes: { email: 'x@other.example', firstName: 'X', lastName: 'Y' }, managerId: top.id },
    });
    expect(!foreign.ok && foreign.error.code).toBe('invalid_input');
    const moved = await updateUser(deps, {
      tenantId: tenant.id,
      userId: low.id,
      actor: 'api:sync',
      patch: { managerId: null, active: false },
    });
    expect(moved.ok && [moved.value.managerId, moved.value.active]).toEqual([null, false]);
    const [entry] = await deps.store.audit.list(tenant.id, { userId: low.id, limit: 1 });
    expect(entry).toMatchObject({ actor: 'api:sync', action: 'edit', runId: null });
    expect(entry?.changes.map((c) => c.field)).toEqual(['manager', 'active']);
    const unchanged = await updateUser(deps, {
      tenantId: tenant.id,
      userId: low.id,
      actor: 'api:sync',
      patch: { active: false },
    });
    expect(unchanged.ok).toBe(true);
    expect(await deps.store.audit.list(tenant.id, { userId: low.id, limit: 10 })).toHaveLength(2);
  });
});
