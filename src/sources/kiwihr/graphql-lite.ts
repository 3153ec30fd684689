/** A small GraphQL query parser for the KiwiHR emulator: operations, fields, aliases, arguments, variables. */

/** An argument value as written in the query; variables are resolved at execution time. */
export type GqlValue =
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'enum'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly GqlValue[] }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, GqlValue>> };

export interface GqlLocation {
  readonly line: number;
  readonly column: number;
}

export interface GqlField {
  readonly alias: string | null;
  readonly name: string;
  readonly args: Readonly<Record<string, GqlValue>>;
  /** null for a leaf field (no `{ ... }`). */
  readonly selections: readonly GqlField[] | null;
  readonly loc: GqlLocation;
}

export interface GqlVariableDefinition {
  readonly name: string;
  readonly type: string;
  readonly defaultValue?: GqlValue;
}

export interface GqlOperation {
  readonly type: 'query' | 'mutation' | 'subscription';
  readonly name: string | null;
  readonly variables: readonly GqlVariableDefinition[];
  readonly selections: readonly GqlField[];
}

/** A syntax error, or a construct this emulator does not implement (fragments, directives). */
export class GqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly loc: GqlLocation,
  ) {
    super(message);
    this.name = 'GqlSyntaxError';
  }
}

interface Token {
  readonly kind: 'punct' | 'name' | 'number' | 'string' | 'eof';
  readonly value: string;
  readonly loc: GqlLocation;
}

const PUNCT = new Set(['!', '$', '(', ')', ':', '=', '@', '[', ']', '{', '|', '}', '&']);
const NAME = /[_A-Za-z][_0-9A-Za-z]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"((?:[^"\\\n]|\\.)*)"/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (): GqlLocation => ({ line, column: i - lineStart + 1 });
  const match = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = i;
    return re.exec(source);
  };
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (ch === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === ',' || ch === '\uFEFF') {
      i += 1;
    } else if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', loc: loc() });
      i += 3;
    } else if (PUNCT.has(ch)) {
      tokens.push({ kind: 'punct', value: ch, loc: loc() });
      i += 1;
    } else if (source.startsWith('"""', i)) {
      throw new GqlSyntaxError('Block strings are not supported by this emulator.', loc());
    } else {
      const m = match(NAME) ?? match(NUMBER) ?? match(STRING);
      if (m === null) throw new GqlSyntaxError(`Syntax Error: Unexpected character "${ch}".`, loc());
      const kind = m[0].startsWith('"') ? 'string' : /^[-\d]/.test(m[0]) ? 'number' : 'name';
      const value = kind === 'string' ? (JSON.parse(m[0]) as string) : m[0];
      tokens.push({ kind, value, loc: loc() });
      i += m[0].length;
    }
  }
  tokens.push({ kind: 'eof', value: '<EOF>', loc: loc() });
  return tokens;
}

/** Recursive-descent parser over the token list. */
class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]!;
  }
  private next(): Token {
    const t = this.peek();
    this.pos += 1;
    return t;
  }
  private is(value: string): boolean {
    const t = this.peek();
    return (t.kind === 'punct' || t.kind === 'name') && t.value === value;
  }
  private expect(value: string): Token {
    const t = this.next();
    if (t.value !== value || t.kind === 'string') {
      throw new GqlSyntaxError(`Syntax Error: Expected "${value}", found "${t.value}".`, t.loc);
    }
    return t;
  }
  private name(): Token {
    const t = this.next();
    if (t.kind !== 'name')
      throw new GqlSyntaxError(`Syntax Error: Expected Name, found "${t.value}".`, t.loc);
    return t;
  }

  document(): GqlOperation[] {
    const ops: GqlOperation[] = [];
    while (this.peek().kind !== 'eof') ops.push(this.definition());
    if (ops.length === 0) throw new GqlSyntaxError('Syntax Error: Unexpected <EOF>.', this.peek().loc);
    return ops;
  }

  private definition(): GqlOperation {
    if (this.is('{')) return { type: 'query', name: null, variables: [], selections: this.selectionSet() };
    const t = this.name();
    if (t.value === 'fragment')
      throw new GqlSyntaxError('Fragments are not supported by this emulator.', t.loc);
    if (t.value !== 'query' && t.value !== 'mutation' && t.value !== 'subscription') {
      throw new GqlSyntaxError(`Syntax Error: Unexpected Name "${t.value}".`, t.loc);
    }
    const name = this.peek().kind === 'name' ? this.name().value : null;
    const variables = this.is('(') ? this.variableDefinitions() : [];
    this.noDirectives();
    return { type: t.value, name, variables, selections: this.selectionSet() };
  }

  private variableDefinitions(): GqlVariableDefinition[] {
    this.expect('(');
    const defs: GqlVariableDefinition[] = [];
    while (!this.is(')')) {
      this.expect('$');
      const name = this.name().value;
      this.expect(':');
      const type = this.type();
      const defaultValue = this.is('=') ? (this.next(), this.value(true)) : undefined;
      defs.push(defaultValue === undefined ? { name, type } : { name, type, defaultValue });
    }
    this.expect(')');
    return defs;
  }

  private type(): string {
    let type: string;
    if (this.is('[')) {
      this.next();
      type = `[${this.type()}]`;
      this.expect(']');
    } else {
      type = this.name().value;
    }
    if (this.is('!')) {
      this.next();
      type += '!';
    }
    return type;
  }

  private noDirectives(): void {
    if (this.is('@'))
      throw new GqlSyntaxError('Directives are not supported by this emulator.', this.peek().loc);
  }

  private selectionSet(): GqlField[] {
    this.expect('{');
    const fields: GqlField[] = [];
    while (!this.is('}')) {
      if (this.is('...')) {
        throw new GqlSyntaxError('Fragments are not supported by this emulator.', this.peek().loc);
      }
      fields.push(this.field());
    }
    this.expect('}');
    if (fields.length === 0)
      throw new GqlSyntaxError('Syntax Error: Expected Name, found "}".', this.peek().loc);
    return fields;
  }

  private field(): GqlField {
    const first = this.name();
    let alias: string | null = null;
    let name = first.value;
    if (this.is(':')) {
      this.next();
      alias = first.value;
      name = this.name().value;
    }
    const args: Record<string, GqlValue> = {};
    if (this.is('(')) {
      this.next();
      while (!this.is(')')) {
        const argName = this.name().value;
        this.expect(':');
        args[argName] = this.value(false);
      }
      this.expect(')');
    }
    this.noDirectives();
    const selections = this.is('{') ? this.selectionSet() : null;
    return { alias, name, args, selections, loc: first.loc };
  }

  private value(constant: boolean): GqlValue {
    const t = this.next();
    if (t.kind === 'punct' && t.value === '$' && !constant)
      return { kind: 'variable', name: this.name().value };
    if (t.kind === 'string') return { kind: 'literal', value: t.value };
    if (t.kind === 'number') return { kind: 'literal', value: Number(t.value) };
    if (t.kind === 'name') {
      if (t.value === 'true' || t.value === 'false') return { kind: 'literal', value: t.value === 'true' };
      if (t.value === 'null') return { kind: 'literal', value: null };
      return { kind: 'enum', value: t.value };
    }
    if (t.value === '[') {
      const items: GqlValue[] = [];
      while (!this.is(']')) items.push(this.value(constant));
      this.next();
      return { kind: 'list', items };
    }
    if (t.value === '{') {
      const fields: Record<string, GqlValue> = {};
      while (!this.is('}')) {
        const key = this.name().value;
        this.expect(':');
        fields[key] = this.value(constant);
      }
      this.next();
      return { kind: 'object', fields };
    }
    throw new GqlSyntaxError(`Syntax Error: Unexpected "${t.value}".`, t.loc);
  }
}

/**
 * Parses a GraphQL document into its operations. Throws `GqlSyntaxError` on bad syntax and on the
 * constructs this emulator leaves out (fragments, directives, block strings).
 */
export function parseGraphql(source: string): GqlOperation[] {
  return new Parser(tokenize(source)).document();
}

/** Resolves an argument value against the request's variables (undefined = not provided). */
export function valueOf(value: GqlValue, variables: Readonly<Record<string, unknown>>): unknown {
  switch (value.kind) {
    case 'variable':
      return variables[value.name];
    case 'literal':
    case 'enum':
      return value.value;
    case 'list':
      return value.items.map((item) => valueOf(item, variables));
    case 'object':
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, valueOf(v, variables)]));
  }
}
