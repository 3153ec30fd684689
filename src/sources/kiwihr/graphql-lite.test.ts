// The emulator's GraphQL parser: operations, variables with defaults, literals, and what it refuses.
import { describe, expect, it } from 'vitest';
import { GqlSyntaxError, parseGraphql, valueOf } from './graphql-lite.js';

describe('parseGraphql', () => {
  it('parses named operations with typed variables, defaults, aliases and nested selections', () => {
    const [op] = parseGraphql(`
      # a comment
      query List($offset: Int = 0, $limit: Int!, $ids: [ID!]) {
        people: users(offset: $offset, limit: $limit, filter: { ids: $ids, name: "A \\"B\\"" }, sort: [{ field: firstName, direction: ASC }]) {
          items { id, teams { name } }
        }
      }`);
    expect(op?.name).toBe('List');
    expect(op?.variables.map((v) => `${v.name}:${v.type}`)).toEqual([
      'offset:Int',
      'limit:Int!',
      'ids:[ID!]',
    ]);
    expect(op?.variables[0]?.defaultValue).toEqual({ kind: 'literal', value: 0 });
    const users = op?.selections[0];
    expect([users?.alias, users?.name, users?.loc.line]).toEqual(['people', 'users', 4]);
    expect(users?.selections?.[0]?.selections?.map((f) => f.name)).toEqual(['id', 'teams']);
    const args = Object.fromEntries(
      Object.entries(users?.args ?? {}).map(([k, v]) => [
        k,
        valueOf(v, { offset: 5, limit: 10, ids: ['1'] }),
      ]),
    );
    expect(args).toEqual({
      offset: 5,
      limit: 10,
      filter: { ids: ['1'], name: 'A "B"' },
      sort: [{ field: 'firstName', direction: 'ASC' }],
    });
  });

  it('reads the anonymous shorthand and several operations', () => {
    expect(parseGraphql('{ a }')[0]).toMatchObject({ type: 'query', name: null });
    expect(parseGraphql('query A { a } query B { b }').map((o) => o.name)).toEqual(['A', 'B']);
  });

  it.each([
    ['{ users { ...F } }', 'Fragments'],
    ['fragment F on User { id }', 'Fragments'],
    ['{ users @include(if: true) { id } }', 'Directives'],
    ['{ users { id }', 'Expected Name, found "<EOF>"'],
    ['{ }', 'Expected Name'],
    ['{ a(x: ) }', 'Unexpected ")"'],
    ['{ a % }', 'Unexpected character "%"'],
    ['', 'Unexpected <EOF>'],
  ])('refuses %s', (source, words) => {
    expect(() => parseGraphql(source)).toThrow(GqlSyntaxError);
    expect(() => parseGraphql(source)).toThrow(words);
  });
});
