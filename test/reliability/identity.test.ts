/** Case 4, identity: email case and whitespace never create a second user; one email on two source ids is a per-row error. */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { isPlausibleEmail } from '../../src/core/normalize.js';
import { describeEachDialect } from '../db.js';
import { allUsers, attributes, fakeWorld, sync, type FakePerson } from './support/world.js';

const person = (id: string, email: string): FakePerson => ({ id, email, firstName: 'Jane', lastName: 'Doe' });

/** An email with random letter case and padding of spaces and tabs. */
const variant = (email: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: email.length, maxLength: email.length }),
      fc.stringMatching(/^[ \t]{0,3}$/),
      fc.stringMatching(/^[ \t]{0,3}$/),
    )
    .map(
      ([upper, left, right]) =>
        left + [...email].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('') + right,
    );

describeEachDialect('reliability 4: identity', (getStore) => {
  it('Jane.Doe@ACME.com then " jane.doe@acme.com " is one user with a stable link', async () => {
    const store = getStore();
    const w = await fakeWorld(store, { roster: [person('42', 'Jane.Doe@ACME.com')] });
    const [first] = await allUsers(store, w.tenant.id);
    w.control.people = [person('42', ' jane.doe@acme.com ')];
    const run = await sync(w.deps, w.tenant.id);
    expect(run.counts.created).toBe(0);
    const users = await allUsers(store, w.tenant.id);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      id: first?.id,
      sourceId: '42',
      integrationId: w.integrationId,
      active: true,
    });
  });

  it('the first sync ties an existing user to the HR record whatever the email case', async () => {
    const store = getStore();
    let manual = '';
    const w = await fakeWorld(store, {
      roster: [person('7', '  JANE.DOE@Acme.Com')],
      beforeConnect: async (tenant) => {
        manual = randomUUID();
        await store.apply(
          {
            tenantId: tenant.id,
            runId: null,
            createUsers: [
              {
                id: manual,
                attributes: attributes({ email: 'jane.doe@acme.com', firstName: 'J', lastName: 'D' }),
                active: true,
                integrationId: null,
                sourceId: null,
              },
            ],
          },
          { fence: null, now: new Date() },
        );
      },
    });
    expect(w.first?.counts.created).toBe(0);
    const users = await allUsers(store, w.tenant.id);
    expect(users.map((u) => [u.id, u.sourceId])).toEqual([[manual, '7']]);
  });

  it('property: any case and whitespace variants over several runs leave exactly one user, same id, same link', async () => {
    const store = getStore();
    const emails = fc.emailAddress().filter((e) => isPlausibleEmail(e) && e.length < 80);
    const scenario = emails.chain((email) =>
      fc.tuple(fc.constant(email), fc.array(variant(email), { minLength: 2, maxLength: 4 })),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ([, variants]) => {
        const w = await fakeWorld(store, { roster: [person('s1', variants[0] ?? '')] });
        const [first] = await allUsers(store, w.tenant.id);
        for (const v of variants.slice(1)) {
          w.control.people = [person('s1', v)];
          const run = await sync(w.deps, w.tenant.id);
          if (run.counts.created !== 0 || run.counts.errors !== 0) return false;
        }
        const users = await allUsers(store, w.tenant.id);
        return (
          users.length === 1 && users[0]?.id === first?.id && users[0]?.sourceId === 's1' && users[0].active
        );
      }),
      { seed: 4242, numRuns: 15 },
    );
  });

  it('two source ids with one email: a per-row error for each, no merge, the others sync', async () => {
    const store = getStore();
    const w = await fakeWorld(store, {
      roster: [
        person('a', 'jane@acme.example'),
        person('b', ' JANE@acme.example'),
        person('c', 'carl@acme.example'),
      ],
    });
    expect(w.first?.status).toBe('partial');
    expect(w.first?.counts).toMatchObject({ created: 1, errors: 2 });
    const errors = await store.runs.listItems(w.tenant.id, w.first!.id, { action: 'error', limit: 10 });
    expect(errors.items.map((i) => [i.sourceId, i.code]).sort()).toEqual([
      ['a', 'duplicate_email'],
      ['b', 'duplicate_email'],
    ]);
    expect((await allUsers(store, w.tenant.id)).map((u) => u.sourceId)).toEqual(['c']);

    // A new record claiming the email of a linked user still in the roster is an error, never a merge.
    w.control.people = [person('a', 'jane@acme.example'), person('c', 'carl@acme.example')];
    await sync(w.deps, w.tenant.id);
    w.control.people.push(person('d', 'Jane@Acme.Example'));
    const run = await sync(w.deps, w.tenant.id);
    expect(run.counts.errors).toBeGreaterThan(0);
    const users = await allUsers(store, w.tenant.id);
    expect(users.map((u) => u.sourceId).sort()).toEqual(['a', 'c']);
  });

  it('the store refuses a second user with the same normalized email (unique per tenant)', async () => {
    const store = getStore();
    const w = await fakeWorld(store, { roster: [person('1', 'Solo@Acme.Example')] });
    const attempt = store.apply(
      {
        tenantId: w.tenant.id,
        runId: null,
        createUsers: [
          {
            id: randomUUID(),
            attributes: attributes({ email: ' solo@acme.example', firstName: 'S', lastName: 'O' }),
            active: true,
            integrationId: null,
            sourceId: null,
          },
        ],
      },
      { fence: null, now: new Date() },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'conflict' });
    expect(await allUsers(store, w.tenant.id)).toHaveLength(1);
  });
});
