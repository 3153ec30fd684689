// The KiwiHR emulator speaks the real wire format: POST GraphQL, X-Api-Key, users/teams pages, GraphQL errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../_shared/emulator-kit.js';
import { kiwihrEmulatorDefaults, startKiwihrEmulator } from './emulator.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startKiwihrEmulator({ count: 30, seed: 11 });
});
afterAll(async () => {
  await emu.close();
});

interface Reply {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}
const gql = async (o: {
  query: string;
  variables?: Record<string, unknown>;
  key?: string | null;
  path?: string;
}): Promise<Reply> => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.key !== null) headers['x-api-key'] = o.key ?? kiwihrEmulatorDefaults.apiKey;
  const res = await fetch(`${emu.origin}${o.path ?? '/api/graphql'}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: o.query, variables: o.variables }),
  });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
};

describe('KiwiHR emulator', () => {
  it('serves its admin URL and answers a paged users query with only the selected fields', async () => {
    expect(emu.url).toBe(`${emu.origin}/api/graphql`);
    const r = await gql({
      query:
        'query Q($o: Int, $l: Int) { users(offset: $o, limit: $l) { items { id email } pageInfo { offset limit count } } }',
      variables: { o: 10, l: 5 },
    });
    expect(r.status).toBe(200);
    const users = r.body.data?.['users'] as { items: { id: string }[]; pageInfo: unknown };
    expect(users.pageInfo).toEqual({ offset: 10, limit: 5, count: 30 });
    expect(users.items.map((u) => u.id)).toEqual(emu.state.people.slice(10, 15).map((p) => p.id));
    expect(Object.keys(users.items[0] ?? {})).toEqual(['id', 'email']);
  });

  it('renders nested objects, aliases, __typename and the gender enum; /api/graphql/public answers too', async () => {
    const person = emu.state.people.find((p) => p.managerId !== null && p.gender === 'female');
    if (person === undefined) throw new Error('seed 11 has no managed woman');
    const r = await gql({
      path: '/api/graphql/public',
      query: `{ user(id: "${person.id}") { __typename gender boss: manager { id } teams { name } position { name } isActive } }`,
    });
    expect(r.body.data?.['user']).toEqual({
      __typename: 'User',
      gender: 'FEMALE',
      boss: { id: person.managerId },
      teams: person.teams.map((name) => ({ name })),
      position: { name: person.position },
      isActive: person.status === 'active',
    });
  });

  it('pages teams with ids and a count', async () => {
    const names = [...new Set(emu.state.people.flatMap((p) => p.teams))].sort();
    const r = await gql({ query: '{ teams(offset: 0, limit: 2) { items { id name } pageInfo { count } } }' });
    expect(r.body.data?.['teams']).toEqual({
      items: [
        { id: '1', name: names[0] },
        { id: '2', name: names[1] },
      ],
      pageInfo: { count: names.length },
    });
  });

  it('refuses a missing or wrong key with an UNAUTHENTICATED GraphQL error (HTTP 200)', async () => {
    for (const key of [null, 'nope']) {
      const r = await gql({ query: '{ users { items { id } } }', key });
      expect(r.status).toBe(200);
      expect(r.body.data).toBeNull();
      expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers validation, syntax and argument errors the GraphQL way', async () => {
    const unknown = await gql({ query: '{ users { items { id salary } } }' });
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'Cannot query field "salary" on type "User".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(unknown.body.data).toBeUndefined();
    const leaf = await gql({ query: '{ users { items { position } } }' });
    expect(leaf.body.errors?.[0]?.message).toContain('must have a selection of subfields');
    const syntax = await gql({ query: '{ users { items { id }' });
    expect(syntax.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const undeclared = await gql({ query: '{ users(limit: $l) { items { id } } }' });
    expect(undeclared.body.errors?.[0]?.message).toBe('Variable "$l" is not defined.');
    const tooBig = await gql({ query: '{ users(limit: 500) { items { id } } }' });
    expect(tooBig.body).toMatchObject({
      data: { users: null },
      errors: [
        {
          message: 'limit must be between 1 and 100',
          path: ['users'],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
  });

  it('answers 404 off the GraphQL paths and 405 to GET, and counts API requests only', async () => {
    const before = emu.state.requests;
    expect((await fetch(`${emu.origin}/api/rest/users`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${emu.origin}/api/graphql`)).status).toBe(405);
    await fetch(`${emu.origin}/_emulator/state`);
    await gql({ query: '{ users(limit: 1) { pageInfo { count } } }' });
    expect(emu.state.requests - before).toBe(1);
  });

  it('shows control API changes: hire, update team, terminate, rehire', async () => {
    const query =
      '{ users(limit: 100) { items { id isActive employmentEndDate employmentStartDate teams { name } } } }';
    const find = async (id: string) => {
      const r = await gql({ query });
      return (r.body.data?.['users'] as { items: { id: string }[] }).items.find((u) => u.id === id);
    };
    const hired = await emu.control.hire({ teams: ['Payroll'] });
    expect(await find(hired.id)).toMatchObject({ isActive: true, teams: [{ name: 'Payroll' }] });
    await emu.control.update(hired.id, { teams: ['Security', 'Brand'] });
    expect(await find(hired.id)).toMatchObject({ teams: [{ name: 'Security' }, { name: 'Brand' }] });
    await emu.control.terminate(hired.id, '2026-01-31');
    expect(await find(hired.id)).toMatchObject({ isActive: false, employmentEndDate: '2026-01-31' });
    await emu.control.rehire(hired.id);
    expect(await find(hired.id)).toMatchObject({ isActive: true, employmentEndDate: null });
  });
});
