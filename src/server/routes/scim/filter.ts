/** SCIM filter parser (RFC 7644 §3.4.2.2): the whole grammar to an AST; what we support is decided in query.ts. */
import { err, ok, type Result } from '../../../core/result.js';

export const compareOps = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'] as const;
export type CompareOp = (typeof compareOps)[number];

export type FilterValue = string | number | boolean | null;

/** An attribute path as written: `urn:...:User:name.givenName` → schema, `name`, `givenName`. */
export interface AttrPath {
  /** The schema URN prefix, when the client wrote one. */
  readonly schema: string | null;
  readonly name: string;
  readonly subAttr: string | null;
}

/** The filter's syntax tree. Attribute names keep the client's case; RFC 7644 compares them case-insensitively. */
export type FilterNode =
  | { readonly kind: 'compare'; readonly path: AttrPath; readonly op: CompareOp; readonly value: FilterValue }
  | { readonly kind: 'present'; readonly path: AttrPath }
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly filter: FilterNode }
  | { readonly kind: 'valuePath'; readonly path: AttrPath; readonly filter: FilterNode };

/** Why a filter does not parse, and where (0-based character offset). */
export interface FilterSyntaxError {
  readonly message: string;
  readonly position: number;
}

/** Bounds that keep a hostile filter from costing more than a well-meant one. */
export const FILTER_MAX_LENGTH = 2048;
const MAX_DEPTH = 32;

type Token =
  | { readonly type: 'word'; readonly text: string; readonly pos: number }
  | { readonly type: 'string'; readonly value: string; readonly pos: number }
  | { readonly type: 'number'; readonly value: number; readonly pos: number }
  | { readonly type: '(' | ')' | '[' | ']'; readonly pos: number }
  | { readonly type: 'end'; readonly pos: number };

class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const WORD = /[A-Za-z0-9_:.$-]/;
const STRING = /"(?:[^"\\]|\\.)*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** JSON decides what a valid string is (escapes, no raw control characters). */
const jsonString = (literal: string): string | undefined => {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
};

const tokenize = (input: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ type: c, pos: i });
      i += 1;
    } else if (c === '"') {
      STRING.lastIndex = i;
      const m = STRING.exec(input);
      const value = m ? jsonString(m[0]) : undefined;
      if (!m || value === undefined) {
        throw new SyntaxFailure('unterminated or malformed string (use JSON string syntax)', i);
      }
      tokens.push({ type: 'string', value, pos: i });
      i += m[0].length;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(input);
      const next = m ? input[i + m[0].length] : undefined;
      if (!m || (next !== undefined && WORD.test(next))) throw new SyntaxFailure('malformed number', i);
      tokens.push({ type: 'number', value: Number(m[0]), pos: i });
      i += m[0].length;
    } else if (WORD.test(c)) {
      const start = i;
      while (i < input.length && WORD.test(input[i] as string)) i += 1;
      tokens.push({ type: 'word', text: input.slice(start, i), pos: start });
    } else {
      throw new SyntaxFailure(`unexpected character '${c}'`, i);
    }
  }
  tokens.push({ type: 'end', pos: input.length });
  return tokens;
};

const ATTR_NAME = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;

/** `urn:ietf:params:scim:schemas:core:2.0:User:name.givenName`: the URN ends at the last colon. */
const parseAttrPath = (text: string, pos: number): AttrPath => {
  const colon = text.lastIndexOf(':');
  const schema = colon === -1 ? null : text.slice(0, colon);
  const rest = colon === -1 ? text : text.slice(colon + 1);
  const parts = rest.split('.');
  const [name, subAttr, extra] = parts;
  if (schema !== null && !/^urn:/i.test(schema)) {
    throw new SyntaxFailure(`'${text}' is not an attribute path (a schema prefix starts with 'urn:')`, pos);
  }
  if (name === undefined || !ATTR_NAME.test(name) || extra !== undefined) {
    throw new SyntaxFailure(`'${text}' is not an attribute path`, pos);
  }
  if (subAttr !== undefined && !ATTR_NAME.test(subAttr)) {
    throw new SyntaxFailure(`'${text}' is not an attribute path`, pos);
  }
  return { schema, name, subAttr: subAttr ?? null };
};

const describe = (t: Token): string => {
  switch (t.type) {
    case 'word':
      return `'${t.text}'`;
    case 'string':
      return `the string ${JSON.stringify(t.value)}`;
    case 'number':
      return `the number ${t.value}`;
    case 'end':
      return 'the end of the filter';
    default:
      return `'${t.type}'`;
  }
};

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] ?? { type: 'end', pos: 0 };
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'end') this.index += 1;
    return t;
  }

  private isWord(t: Token, word: string): boolean {
    return t.type === 'word' && t.text.toLowerCase() === word;
  }

  private expect(type: '(' | ')' | '[' | ']', what: string): void {
    const t = this.next();
    if (t.type !== type) throw new SyntaxFailure(`expected '${type}' ${what}, found ${describe(t)}`, t.pos);
  }

  parseFilter(): FilterNode {
    const node = this.parseOr(false);
    const t = this.peek();
    if (t.type !== 'end')
      throw new SyntaxFailure(`expected 'and', 'or' or the end, found ${describe(t)}`, t.pos);
    return node;
  }

  /** `or` binds loosest, then `and`, then `not`/parentheses (RFC 7644 Table 4 precedence). */
  private parseOr(inValuePath: boolean): FilterNode {
    let left = this.parseAnd(inValuePath);
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(inValuePath) };
    }
    return left;
  }

  private parseAnd(inValuePath: boolean): FilterNode {
    let left = this.parseUnary(inValuePath);
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary(inValuePath) };
    }
    return left;
  }

  private parseUnary(inValuePath: boolean): FilterNode {
    const t = this.peek();
    if (++this.depth > MAX_DEPTH) throw new SyntaxFailure(`nested more than ${MAX_DEPTH} levels deep`, t.pos);
    try {
      if (this.isWord(t, 'not')) {
        this.next();
        this.expect('(', "after 'not'");
        const filter = this.parseOr(inValuePath);
        this.expect(')', 'to close the group');
        return { kind: 'not', filter };
      }
      if (t.type === '(') {
        this.next();
        const filter = this.parseOr(inValuePath);
        this.expect(')', 'to close the group');
        return filter;
      }
      return this.parseAttrExp(inValuePath);
    } finally {
      this.depth -= 1;
    }
  }

  private parseAttrExp(inValuePath: boolean): FilterNode {
    const t = this.next();
    if (t.type !== 'word') throw new SyntaxFailure(`expected an attribute name, found ${describe(t)}`, t.pos);
    const path = parseAttrPath(t.text, t.pos);
    if (this.peek().type === '[') {
      if (inValuePath) throw new SyntaxFailure('a value filter cannot contain another one', this.peek().pos);
      this.next();
      const filter = this.parseOr(true);
      this.expect(']', 'to close the value filter');
      return { kind: 'valuePath', path, filter };
    }
    const opToken = this.next();
    const op = opToken.type === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!(compareOps as readonly string[]).includes(op)) {
      throw new SyntaxFailure(
        `expected an operator (${compareOps.join(', ')}, pr) after '${t.text}', found ${describe(opToken)}`,
        opToken.pos,
      );
    }
    return { kind: 'compare', path, op: op as CompareOp, value: this.parseValue() };
  }

  private parseValue(): FilterValue {
    const t = this.next();
    if (t.type === 'string' || t.type === 'number') return t.value;
    if (t.type === 'word') {
      const word = t.text.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
    }
    throw new SyntaxFailure(
      `expected a value (a "quoted string", number, true, false or null), found ${describe(t)}`,
      t.pos,
    );
  }
}

/**
 * Parses a SCIM filter into its syntax tree. Keywords and operators are case-insensitive; string values
 * use JSON syntax. Pure: the caller decides which attributes and operators it serves.
 *
 * @example
 * parseFilter('userName eq "bjensen@example.com" and meta.lastModified gt "2011-05-13T04:42:34Z"');
 * // ok: { kind: 'and', left: { kind: 'compare', path: { name: 'userName', ... }, op: 'eq', ... }, right: ... }
 */
export const parseFilter = (input: string): Result<FilterNode, FilterSyntaxError> => {
  if (input.length > FILTER_MAX_LENGTH) {
    return err({ message: `the filter is longer than ${FILTER_MAX_LENGTH} characters`, position: 0 });
  }
  if (input.trim() === '') return err({ message: 'the filter is empty', position: 0 });
  try {
    return ok(new Parser(tokenize(input)).parseFilter());
  } catch (error) {
    if (error instanceof SyntaxFailure) return err({ message: error.message, position: error.position });
    throw error;
  }
};

/** Prints an attribute path back (for error messages). */
export const formatPath = (p: AttrPath): string =>
  `${p.schema === null ? '' : `${p.schema}:`}${p.name}${p.subAttr === null ? '' : `.${p.subAttr}`}`;
