// Property tests of plan + simulate with fast-check (fixed seed), and a 100k-person scale check.
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import type { DirectoryUser, ManagedField, Plan, PlanInput, SourcePerson } from './model.js';
import { managedFieldNames } from './model.js';
import { normalizeEmail } from './normalize.js';
import { plan } from './plan.js';
import {
  counterIds,
  fixtureIntegration,
  linkedUser,
  makeInput,
  makePerson,
  makeUser,
} from './plan-fixtures.js';
import type { DirectoryState } from './simulate.js';
import { simulate } from './simulate.js';

const settings = { seed: 20261123, numRuns: 200 };
const sourceIds = Array.from({ length: 12 }, (_, i) => `s${i}`);
const emails = Array.from({ length: 16 }, (_, i) => `e${i}@acme.test`);
const groupPool = [
  { id: 'g0', name: 'Sales' },
  { id: 'g1', name: 'Ops' },
  { id: 'g2', name: 'sales' },
];

/** An email as a source or an admin might type it: any case, stray spaces. */
const variantOf = (email: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: email.length, maxLength: email.length }),
      fc.constantFrom('', ' ', '\t '),
    )
    .map(
      ([upper, pad]) => `${pad}${[...email].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')}${pad}`,
    );

const personArb = fc.record({
  sourceId: fc.constantFrom(...sourceIds),
  email: fc.constantFrom(...emails).chain(variantOf),
  firstName: fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom('Ann', 'Bob') },
    { weight: 1, arbitrary: fc.constant(' ') },
  ),
  active: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  leavingDate: fc.constantFrom(null, '2026-01-31', '2026-11-23', '2027-06-30'),
  gender: fc.constantFrom(undefined, null, 'female', 'MALE', 'diverse'),
  department: fc.constantFrom(undefined, null, 'Sales', 'sales', 'R&D'),
  manager: fc.constantFrom(undefined, null, 'ghost', ...sourceIds),
  groups: fc.option(fc.subarray(['Sales', 'ops', 'Ops', 'Design', ' design ']), { nil: undefined }),
});

const userArb = fc.record({
  kind: fc.constantFrom('linked', 'linked', 'unlinked', 'other'),
  sourceId: fc.constantFrom(...sourceIds, 'gone-1', 'gone-2'),
  email: fc.constantFrom(...emails).chain(variantOf),
  active: fc.boolean(),
  protected: fc.oneof(
    { weight: 5, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  manager: fc.option(fc.nat(11), { nil: null }),
  groupIds: fc.subarray(['g0', 'g1', 'g2', 'g-gone']),
  department: fc.constantFrom(null, 'Sales', 'Ops'),
  gender: fc.constantFrom(null, 'female', 'male'),
});

const optionalFields = managedFieldNames.filter((f) => !['email', 'firstName', 'lastName'].includes(f));

const worldArb = fc.record({
  people: fc.array(personArb, { maxLength: 12 }),
  users: fc.array(userArb, { maxLength: 12 }),
  mode: fc.constantFrom('full', 'partial'),
  leaverPolicy: fc.constantFrom('deactivate', 'delete'),
  managed: fc.subarray(optionalFields),
  groups: fc.subarray(groupPool),
  genderChoices: fc.subarray(['female', 'male', 'Diverse']),
  departments: fc.subarray(['Sales', 'Ops', 'r&d']),
});
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

const toInput = (world: World): PlanInput => {
  const roster: SourcePerson[] = world.people.map((p, i) =>
    makePerson({
      sourceId: p.sourceId,
      ref: `row ${i + 2}`,
      email: p.email,
      firstName: p.firstName,
      active: p.active,
      leavingDate: p.leavingDate,
      ...(p.gender === undefined ? {} : { gender: p.gender }),
      ...(p.department === undefined ? {} : { department: p.department }),
      ...(p.manager === undefined ? {} : { managerSourceId: p.manager }),
      ...(p.groups === undefined ? {} : { groups: p.groups }),
    }),
  );
  const linked = new Set<string>();
  const users: DirectoryUser[] = world.users.map((u, i) => {
    // A link is unique per integration: a second user cannot hold the same source id.
    const isLinked = u.kind === 'linked' && !linked.has(u.sourceId);
    if (isLinked) linked.add(u.sourceId);
    const integrationId = isLinked ? fixtureIntegration : u.kind === 'other' ? 'int-other' : null;
    return makeUser({
      id: `u${i}`,
      email: u.email.trim(),
      firstName: 'Ann',
      lastName: 'Doe',
      active: u.active,
      protected: u.protected,
      managerId: u.manager === null ? null : `u${u.manager}`,
      groupIds: u.groupIds,
      department: u.department,
      gender: u.gender,
      integrationId,
      sourceId: integrationId === null ? null : u.sourceId,
    });
  });
  return makeInput({
    roster,
    users,
    mode: world.mode,
    leaverPolicy: world.leaverPolicy,
    managedFields: ['email', 'firstName', 'lastName', ...world.managed] as ManagedField[],
    groups: world.groups,
    genderChoices: world.genderChoices,
    references: { departments: world.departments, positions: [], locations: [] },
  });
};

const stateOf = (input: PlanInput): DirectoryState => ({
  users: input.users,
  groups: input.groups,
  references: input.references,
});

/** Plans again against the state a plan left, with ids no earlier round used. */
const replan = (input: PlanInput, state: DirectoryState, round = 1): Plan =>
  plan({ ...input, ...state, newId: counterIds(`round${round}-`) });

const writes = (p: Plan) => ({
  users: p.users.filter((u) => u.action !== 'unchanged'),
  groupsToCreate: p.groupsToCreate,
  membershipsToAdd: p.membershipsToAdd,
  membershipsToRemove: p.membershipsToRemove,
  references: [
    ...p.referencesToCreate.departments,
    ...p.referencesToCreate.positions,
    ...p.referencesToCreate.locations,
  ],
});
const noWrites = {
  users: [],
  groupsToCreate: [],
  membershipsToAdd: [],
  membershipsToRemove: [],
  references: [],
};

/** Emails a plan frees (changed away or deleted): claiming one converges over two runs, by design. */
const freedEmails = (input: PlanInput, p: Plan): Set<string> => {
  const byId = new Map(input.users.map((u) => [u.id, u]));
  const freed = new Set<string>();
  for (const change of p.users) {
    const before = byId.get(change.userId)?.attributes.email;
    const moved = change.changes.some((c) => c.field === 'email');
    if (before && (moved || change.action === 'delete')) freed.add(normalizeEmail(before));
  }
  return freed;
};

describe('plan properties', () => {
  it('plan → simulate → plan again yields only unchanged and no other writes', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const input = toInput(world);
        const first = plan(input);
        const freed = freedEmails(input, first);
        fc.pre(!input.roster.some((p) => freed.has(normalizeEmail(p.attributes.email ?? ''))));
        const second = replan(input, simulate(stateOf(input), first));
        expect(writes(second)).toEqual(noWrites);
      }),
      settings,
    );
  });

  it('converges: three rounds of plan → simulate always reach a plan with no writes', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const input = toInput(world);
        let state = stateOf(input);
        for (let round = 1; round <= 3; round += 1) state = simulate(state, replan(input, state, round));
        expect(writes(replan(input, state, 4))).toEqual(noWrites);
      }),
      settings,
    );
  });

  it('never changes users of another integration, nor unlinked users it did not match', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const input = toInput(world);
        const result = plan(input);
        const byId = new Map(input.users.map((u) => [u.id, u]));
        const changed = new Map(result.users.map((u) => [u.userId, u]));
        const touched = [
          ...result.users.map((u) => u.userId),
          ...result.membershipsToAdd.map((m) => m.userId),
          ...result.membershipsToRemove.map((m) => m.userId),
        ];
        const rosterEmails = new Set(input.roster.map((p) => normalizeEmail(p.attributes.email ?? '')));
        for (const id of touched) {
          const user = byId.get(id);
          if (!user || user.integrationId === fixtureIntegration) continue;
          expect(user.integrationId).toBeNull();
          expect(rosterEmails.has(normalizeEmail(user.attributes.email ?? ''))).toBe(true);
          // Matched by email: it gets linked, unless the plan deletes it.
          const change = changed.get(id);
          if (change?.action !== 'delete') {
            expect(change?.link?.integrationId).toBe(fixtureIntegration);
          }
        }
        // after and changes agree: the attributes to write are the user's plus the listed changes.
        for (const change of result.users) {
          const user = byId.get(change.userId);
          if (!user || !change.after) continue;
          const patch = Object.fromEntries(
            change.changes.filter((c) => c.field in user.attributes).map((c) => [c.field, c.after]),
          );
          expect(change.after).toEqual({ ...user.attributes, ...patch });
        }
      }),
      settings,
    );
  });

  it('maps case and whitespace variants of one email to exactly one user', () => {
    const base = 'jane.doe@acme.test';
    const existingArb = fc.constantFrom('none', 'unlinked', 'linked-gone');
    fc.assert(
      fc.property(
        fc.array(variantOf(base), { minLength: 1, maxLength: 3 }),
        existingArb,
        variantOf(base),
        (variants, existing, stored) => {
          const users =
            existing === 'none'
              ? []
              : [
                  makeUser({
                    id: 'u1',
                    email: stored.trim(),
                    ...(existing === 'linked-gone'
                      ? { integrationId: fixtureIntegration, sourceId: 'old' }
                      : {}),
                  }),
                ];
          const roster = variants.map((email, i) => makePerson({ sourceId: `p${i}`, email }));
          const input = makeInput({ roster, users });
          let state = simulate(stateOf(input), plan(input));
          state = simulate(state, replan(input, state)); // a second run must not add anyone
          const holders = state.users.filter((u) => normalizeEmail(u.attributes.email ?? '') === base);
          // Several roster records with one email are quarantined: nobody is created for them.
          expect(holders).toHaveLength(variants.length === 1 || existing !== 'none' ? 1 : 0);
        },
      ),
      settings,
    );
  });

  it('leaves no manager cycle after plan + simulate, whatever the manager graph', () => {
    const n = 12;
    const ids = Array.from({ length: n }, (_, i) => `p${i}`);
    const graphArb = fc.record({
      managers: fc.array(fc.constantFrom(undefined, null, 'ghost', ...ids), { minLength: n, maxLength: n }),
      existing: fc.array(fc.option(fc.nat(n - 1), { nil: null }), { minLength: n, maxLength: n }),
      linked: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      active: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      leaverPolicy: fc.constantFrom('deactivate', 'delete'),
    });
    fc.assert(
      fc.property(graphArb, (g) => {
        const roster = ids.map((sourceId, i) =>
          makePerson({
            sourceId,
            active: g.active[i] ?? true,
            ...(g.managers[i] === undefined ? {} : { managerSourceId: g.managers[i] }),
          }),
        );
        const users = roster.flatMap((p, i) => {
          const current = g.existing[i];
          // Current managers point at existing users only (the store keeps that integrity).
          const managerId = current != null && g.linked[current] ? `u${current}` : null;
          return g.linked[i] ? [linkedUser(p, { id: `u${i}`, managerId })] : [];
        });
        const input = makeInput({ roster, users, leaverPolicy: g.leaverPolicy });
        const state = simulate(stateOf(input), plan(input));
        const byId = new Map(state.users.map((u) => [u.id, u]));
        for (const start of state.users) {
          const seen = new Set<string>();
          for (let node: string | null = start.id; node !== null; node = byId.get(node)?.managerId ?? null) {
            expect(seen.has(node)).toBe(false);
            seen.add(node);
          }
          if (start.managerId !== null) expect(byId.has(start.managerId)).toBe(true);
        }
      }),
      settings,
    );
  });

  it('is deterministic: the same inputs and id sequence, in any order, give the same plan', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), (world, salt) => {
        const input = toInput(world);
        const shuffle = <T>(items: readonly T[]): T[] =>
          items
            .map((item, i) => ({ item, key: (i * 7919 + salt) % 104729 }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.item);
        const again = plan({ ...input, newId: counterIds() });
        const shuffled = plan({
          ...input,
          roster: shuffle(input.roster),
          users: shuffle(input.users),
          newId: counterIds(),
        });
        const reference = plan({ ...input, newId: counterIds() });
        expect(again).toEqual(reference);
        expect(shuffled).toEqual(reference);
      }),
      settings,
    );
  });
});

describe('plan at scale', () => {
  it('plans 100 000 people against 90 000 users in one pass', () => {
    const n = 100_000;
    const roster = Array.from({ length: n }, (_, i) =>
      makePerson({
        sourceId: `p${i}`,
        managerSourceId: i === 0 ? null : `p${Math.floor(i / 8)}`,
        department: `Dept ${i % 50}`,
        groups: [`Team ${i % 300}`],
      }),
    );
    const users = roster
      .slice(0, 90_000)
      .map((p, i) => linkedUser(p, { id: `u${i}`, jobTitle: i % 3 === 0 ? 'Old' : null }));
    let ids = 0;
    const newId = counterIds();
    const groups = Array.from({ length: 200 }, (_, i) => ({ id: `g${i}`, name: `Team ${i}` }));
    const result = plan(makeInput({ roster, users, groups, newId: () => ((ids += 1), newId()) }));
    expect(result.counts).toMatchObject({ created: 10_000, updated: 90_000, errors: 0, warnings: 0 });
    expect(ids).toBe(10_000 + 100); // one id per new user and per missing group, nothing more
    expect(result.membershipsToAdd).toHaveLength(n);
    expect(result.referencesToCreate.departments).toHaveLength(50);
  });

  it('plans an empty full roster against 150 000 linked users (every one a leaver)', () => {
    const users = Array.from({ length: 150_000 }, (_, i) =>
      makeUser({ id: `u${i}`, integrationId: fixtureIntegration, sourceId: `p${i}` }),
    );
    const result = plan(makeInput({ users }));
    expect(result.counts.deactivated).toBe(150_000);
    expect(result.roster).toEqual({ received: 0, valid: 0 });
  });
});
