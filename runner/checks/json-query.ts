/**
 * The JSONPath subset that scenario `query:` and `capture:` fields use. Small on purpose: every
 * query a suite writer needs, and nothing whose meaning a reader has to look up.
 *
 *   $                        the whole value
 *   .key                     member of an object (letters, digits, _, $, -)
 *   ['key with-dash']        member of an object, any name ("..." works too)
 *   [n]  [-1]                element of an array; negative counts from the end
 *   .*   [*]                 every element of an array / every member value of an object
 *   [?(@.k=='v')]            the children (array elements or object member values) for which the
 *                            filter holds. Filters compare one relative path with a literal:
 *                              @.k == 'v'   @.a.b != 2   @['k'] == true   @ == null
 *                            or test that a relative path exists:  @.k   !@.k
 *                            and combine them with && || ! and parentheses.
 *                            Literals: 'text' "text" numbers true false null.
 *
 * Not supported, by decision: `.length` (a key called "length" would become ambiguous; use the
 * `count` predicate on `[*]` for arrays, `matches` for string lengths), recursive descent `..`,
 * slices, unions and ordering comparisons. A path outside the subset is a HarnessError naming the
 * character where reading stopped, so the loader can report it at the scenario's file:line:col.
 *
 * Comparisons are strict: 'v' never equals 1, and a missing path equals nothing (so `!=` holds).
 * A relative path in a filter must select at most one value; if it selects several the first is
 * compared.
 */
import { HarnessError } from '../errors.js';
import { jsonEqual } from './json-equal.js';

export type QuerySegment =
  | { kind: 'member'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; filter: FilterExpression };

export type FilterExpression =
  | { kind: 'exists'; path: RelativeSegment[] }
  | { kind: 'compare'; path: RelativeSegment[]; operator: '==' | '!='; literal: unknown }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression };

export type RelativeSegment = { kind: 'member'; name: string } | { kind: 'index'; index: number };

export interface CompiledQuery {
  source: string;
  segments: QuerySegment[];
}

/** Every value the path selects, in document order. Throws HarnessError for a malformed path. */
export function query(value: unknown, path: string): unknown[] {
  return evaluateQuery(compileQuery(path), value);
}

export function evaluateQuery(compiled: CompiledQuery, value: unknown): unknown[] {
  let nodes: unknown[] = [value];
  for (const segment of compiled.segments) nodes = nodes.flatMap((node) => applySegment(segment, node));
  return nodes;
}

const cache = new Map<string, CompiledQuery>();
const CACHE_LIMIT = 1000;

/** Parses (and caches) a path. Throws HarnessError FWC_ERR_SCENARIO_SCHEMA when it is malformed. */
export function compileQuery(path: string): CompiledQuery {
  const cached = cache.get(path);
  if (cached) return cached;
  const compiled = new QueryParser(path).parse();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(path, compiled);
  return compiled;
}

// --- evaluation --------------------------------------------------------------------------------

function applySegment(segment: QuerySegment, node: unknown): unknown[] {
  switch (segment.kind) {
    case 'member':
      return isObject(node) && Object.prototype.hasOwnProperty.call(node, segment.name) ? [node[segment.name]] : [];
    case 'index':
      return selectIndex(node, segment.index);
    case 'wildcard':
      return children(node);
    case 'filter':
      return children(node).filter((child) => holds(segment.filter, child));
  }
}

function selectIndex(node: unknown, index: number): unknown[] {
  if (!Array.isArray(node)) return [];
  const position = index < 0 ? node.length + index : index;
  return position >= 0 && position < node.length ? [node[position]] : [];
}

function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (isObject(node)) return Object.values(node);
  return [];
}

function holds(filter: FilterExpression, current: unknown): boolean {
  switch (filter.kind) {
    case 'exists':
      return selectRelative(filter.path, current).length > 0;
    case 'compare': {
      const selected = selectRelative(filter.path, current);
      const equal = selected.length > 0 && jsonEqual(selected[0], filter.literal);
      return filter.operator === '==' ? equal : !equal;
    }
    case 'not':
      return !holds(filter.operand, current);
    case 'and':
      return holds(filter.left, current) && holds(filter.right, current);
    case 'or':
      return holds(filter.left, current) || holds(filter.right, current);
  }
}

function selectRelative(path: RelativeSegment[], current: unknown): unknown[] {
  let nodes: unknown[] = [current];
  for (const segment of path) nodes = nodes.flatMap((node) => applySegment(segment, node));
  return nodes;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// --- parsing -----------------------------------------------------------------------------------

const MEMBER_NAME = /^[A-Za-z0-9_$-]+/;
const INTEGER = /^-?(0|[1-9][0-9]*)/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/;

class QueryParser {
  private position = 0;

  constructor(private readonly source: string) {}

  parse(): CompiledQuery {
    if (typeof this.source !== 'string' || !this.source.startsWith('$')) this.fail('expected the path to start with "$"');
    this.position = 1;
    const segments: QuerySegment[] = [];
    while (this.position < this.source.length) segments.push(this.segment());
    return { source: this.source, segments };
  }

  private segment(): QuerySegment {
    if (this.eat('..')) this.fail('recursive descent ".." is not supported');
    if (this.eat('.')) {
      if (this.eat('*')) return { kind: 'wildcard' };
      return { kind: 'member', name: this.memberName() };
    }
    if (this.eat('[')) {
      const segment = this.bracket();
      this.expect(']');
      return segment;
    }
    return this.fail('expected "." or "["');
  }

  private bracket(): QuerySegment {
    this.skipSpaces();
    if (this.eat('*')) return this.spaced({ kind: 'wildcard' });
    if (this.eat('?')) {
      this.skipSpaces();
      this.expect('(');
      const filter = this.orExpression();
      this.expect(')');
      return this.spaced({ kind: 'filter', filter });
    }
    return this.spaced(this.memberOrIndex());
  }

  /** `'name'`, `"name"` or an integer: the selectors a relative path may use inside brackets too. */
  private memberOrIndex(): RelativeSegment {
    const quote = this.peek();
    if (quote === "'" || quote === '"') return { kind: 'member', name: this.stringLiteral() };
    const integer = INTEGER.exec(this.rest());
    if (!integer) return this.fail("expected 'name', an index, * or ?( … )");
    this.position += integer[0].length;
    return { kind: 'index', index: Number(integer[0]) };
  }

  private orExpression(): FilterExpression {
    let left = this.andExpression();
    while (this.eatSpaced('||')) left = { kind: 'or', left, right: this.andExpression() };
    return left;
  }

  private andExpression(): FilterExpression {
    let left = this.unaryExpression();
    while (this.eatSpaced('&&')) left = { kind: 'and', left, right: this.unaryExpression() };
    return left;
  }

  private unaryExpression(): FilterExpression {
    this.skipSpaces();
    if (this.peek() === '!' && this.source[this.position + 1] !== '=') {
      this.position++;
      return { kind: 'not', operand: this.unaryExpression() };
    }
    if (this.eat('(')) {
      const inner = this.orExpression();
      this.skipSpaces();
      this.expect(')');
      return inner;
    }
    return this.comparisonOrExistence();
  }

  private comparisonOrExistence(): FilterExpression {
    this.skipSpaces();
    this.expect('@');
    const path = this.relativePath();
    this.skipSpaces();
    for (const operator of ['==', '!='] as const) {
      if (this.eat(operator)) return { kind: 'compare', path, operator, literal: this.literal() };
    }
    if (/^(<|>|=(?!=))/.test(this.rest())) this.fail('only == and != comparisons are supported');
    return { kind: 'exists', path };
  }

  private relativePath(): RelativeSegment[] {
    const path: RelativeSegment[] = [];
    for (;;) {
      if (this.eat('.')) path.push({ kind: 'member', name: this.memberName() });
      else if (this.eat('[')) {
        this.skipSpaces();
        path.push(this.spaced(this.memberOrIndex()));
        this.expect(']');
      } else return path;
    }
  }

  private literal(): unknown {
    this.skipSpaces();
    const quote = this.peek();
    if (quote === "'" || quote === '"') return this.stringLiteral();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.eat(word)) return value;
    }
    const number = NUMBER.exec(this.rest());
    if (!number) return this.fail("expected a literal: 'text', a number, true, false or null");
    this.position += number[0].length;
    return Number(number[0]);
  }

  private stringLiteral(): string {
    const quote = this.source[this.position++];
    let text = '';
    while (this.position < this.source.length) {
      const character = this.source[this.position++];
      if (character === quote) return text;
      if (character === '\\' && this.position < this.source.length) text += this.source[this.position++];
      else text += character;
    }
    return this.fail(`unterminated string: expected a closing ${quote}`);
  }

  private memberName(): string {
    const name = MEMBER_NAME.exec(this.rest());
    if (!name) return this.fail("expected a member name (use ['…'] for other characters)");
    this.position += name[0].length;
    return name[0];
  }

  private spaced<T>(value: T): T {
    this.skipSpaces();
    return value;
  }

  private eatSpaced(text: string): boolean {
    this.skipSpaces();
    return this.eat(text);
  }

  private skipSpaces(): void {
    while (this.peek() === ' ') this.position++;
  }

  private eat(text: string): boolean {
    if (!this.source.startsWith(text, this.position)) return false;
    this.position += text.length;
    return true;
  }

  private expect(text: string): void {
    if (!this.eat(text)) this.fail(`expected "${text}"`);
  }

  private peek(): string | undefined {
    return this.source[this.position];
  }

  private rest(): string {
    return this.source.slice(this.position);
  }

  private fail(what: string): never {
    const where = this.position >= this.source.length ? 'at the end' : `at character ${this.position + 1}`;
    throw new HarnessError('FWC_ERR_SCENARIO_SCHEMA', `bad query ${JSON.stringify(this.source)}: ${what} ${where}`);
  }
}
