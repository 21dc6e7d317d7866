/**
 * One parsed YAML file that can answer "where is this value?": a path into the parsed value
 * (as Ajv and the loader's checks name it) becomes the file:line:col of the YAML node, so every
 * error points at the user's text.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../errors.js';
import type { PathProblem, Problem, ValuePath } from './problems.js';

export class YamlSource {
  readonly document: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    this.document = parseDocument(text, {
      lineCounter: this.lines,
      keepSourceTokens: true,
      prettyErrors: false,
      uniqueKeys: true,
    });
  }

  /** YAML syntax errors (the document is not trustworthy when there are any). */
  syntaxProblems(): Problem[] {
    return this.document.errors.map((error) => ({
      code: 'FWC_ERR_SCENARIO_SYNTAX',
      message: `YAML syntax: ${firstLine(error.message)}`,
      location: this.locationOfOffset(error.pos[0]),
    }));
  }

  /** The plain value (aliases expanded); what Ajv validates and the model is built from. */
  value(): unknown {
    return this.document.toJS({ maxAliasCount: 1000 });
  }

  locate(problem: PathProblem): Problem {
    const location = this.locationOf(problem.path, problem.at);
    if (problem.offset === undefined) return { code: problem.code, message: problem.message, location };
    const shift = this.scalarShift(problem.path, problem.offset);
    return { code: problem.code, message: problem.message, location: { ...location, column: location.column + shift } };
  }

  /**
   * How far into a string scalar's source the character at `offset` of its value sits, when that
   * can be known exactly (one line, no escapes); 0 (the node's start) otherwise.
   */
  private scalarShift(path: ValuePath, offset: number): number {
    const node = this.nodeAt(path);
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return 0;
    const written = this.text.slice(node.range[0], node.range[1]);
    if (written.includes('\n')) return 0;
    if (node.type === 'PLAIN' && written === node.value) return offset;
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    return quoted && written.slice(1, -1) === node.value ? offset + 1 : 0;
  }

  private nodeAt(path: ValuePath): unknown {
    let node: unknown = this.document.contents;
    for (const segment of path) {
      const found = this.child(node, segment);
      if (!found) return undefined;
      node = found.node;
    }
    return node;
  }

  /** Where the value at `path` starts (or its key, for `at: 'key'`); the nearest existing ancestor otherwise. */
  locationOf(path: ValuePath, at: 'key' | 'value' = 'value'): SourceLocation {
    let node: unknown = this.document.contents;
    let keyNode: unknown;
    for (const segment of path) {
      const found = this.child(node, segment);
      if (!found) break;
      ({ node, keyNode } = found);
    }
    const target = at === 'key' && keyNode ? keyNode : (node ?? keyNode);
    return this.locationOfOffset(rangeStart(target) ?? 0);
  }

  locationOfOffset(offset: number): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  private child(node: unknown, segment: string | number): { node: unknown; keyNode?: unknown } | undefined {
    const resolved = this.resolve(node);
    if (isMap(resolved)) {
      const pair = resolved.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      return pair ? { node: this.resolve(pair.value) ?? pair.key, keyNode: pair.key } : undefined;
    }
    if (isSeq(resolved) && typeof segment === 'number') {
      const item = resolved.items[segment];
      return item === undefined ? undefined : { node: this.resolve(item) };
    }
    return undefined;
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? (node.resolve(this.document) ?? node) : node;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
