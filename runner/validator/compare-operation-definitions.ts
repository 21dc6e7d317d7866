/**
 * Lists every difference between a canonical OperationDefinition and one a server serves, in the
 * elements that change how the operation is invoked: url, code, kind, resource, system/type/instance,
 * affectsState, and each parameter (matched by name + use): missing, extra, min, max, type, scope,
 * and recursively their parts. Narrative, publisher, dates and documentation are not compared.
 * Never throws: junk input yields differences.
 *
 * Scope: an absent `scope` means the parameter applies at every level (OperationDefinition.parameter.scope
 * definition), so absent is compared as [instance, type, system]. Hence the R5 canonical (id: [type]) and
 * the backport one (no scope) differ, and a served R5 definition that drops scope differs from the R5
 * canonical, while two R4 definitions (R4 has no scope element) never differ in scope.
 */
import { isRecord } from './declared-parameters.js';
import { describeValue } from './describe-value.js';

export interface OpDefDifference {
  /** FHIRPath-like location in the served definition. */
  path: string;
  expected: unknown;
  actual: unknown;
  /** "<path>: expected X, but received Y" */
  message: string;
  /** X and Y of the message, rendered short and one-line (for a check's expected/actual columns). */
  shown: { expected: string; actual: string };
}

export interface CompareOptions {
  /** The id the served resource must carry (the id it was read at). Default: the canonical's id. */
  expectedId?: string;
}

const ROOT = 'OperationDefinition';
const ALL_SCOPES = ['instance', 'type', 'system'];
const COMPARED_FLAGS = ['url', 'code', 'kind', 'system', 'type', 'instance', 'affectsState'] as const;
const MAX_PART_DEPTH = 8;
/** Canonical URLs differ near their end: show them whole. */
const MAX_SHOWN_CHARACTERS = 300;

export function compareOperationDefinitions(canonical: unknown, served: unknown, options: CompareOptions = {}): OpDefDifference[] {
  const differences: OpDefDifference[] = [];
  try {
    if (!isRecord(canonical)) {
      return [describedDifference(ROOT, 'a canonical OperationDefinition to compare against', describeValue(canonical))];
    }
    if (!checkResourceSanity(differences, canonical, served, options)) return differences;
    compareFlags(differences, canonical, served);
    compareResourceTypes(differences, canonical.resource, served.resource);
    compareParameterLists(differences, canonical.parameter, served.parameter, `${ROOT}.parameter`, 0);
  } catch (error) {
    differences.push(describedDifference(ROOT, 'a definition the comparison can read', `one that made it fail (${String(error)})`));
  }
  return differences;
}

/** A difference between two values: the message describes both. */
function difference(path: string, expected: unknown, actual: unknown): OpDefDifference {
  return renderedDifference(path, expected, actual, render(expected), render(actual));
}

function renderedDifference(path: string, expected: unknown, actual: unknown, shownExpected: string, shownActual: string): OpDefDifference {
  const shown = { expected: shownExpected, actual: shownActual };
  return { path, expected, actual, message: `${path}: expected ${shownExpected}, but received ${shownActual}`, shown };
}

/** A difference best said in words (a missing or extra parameter): the sentences are the values. */
function describedDifference(path: string, expected: string, actual: string): OpDefDifference {
  return renderedDifference(path, expected, actual, expected, actual);
}

function render(value: unknown): string {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) {
    return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
  }
  return describeValue(value, MAX_SHOWN_CHARACTERS);
}

/** The served value is an OperationDefinition resource with the expected id. False: nothing else to compare. */
function checkResourceSanity(
  differences: OpDefDifference[],
  canonical: Record<string, unknown>,
  served: unknown,
  options: CompareOptions,
): served is Record<string, unknown> {
  if (!isRecord(served) || served.resourceType !== 'OperationDefinition') {
    const actual = isRecord(served) ? served.resourceType : served;
    differences.push(difference(`${ROOT}.resourceType`, 'OperationDefinition', actual));
    return false;
  }
  const expectedId = options.expectedId ?? canonical.id;
  if (expectedId !== undefined && served.id !== expectedId) {
    differences.push(difference(`${ROOT}.id`, expectedId, served.id));
  }
  return true;
}

function compareFlags(differences: OpDefDifference[], canonical: Record<string, unknown>, served: Record<string, unknown>): void {
  for (const element of COMPARED_FLAGS) {
    if (canonical[element] !== served[element]) {
      differences.push(difference(`${ROOT}.${element}`, canonical[element], served[element]));
    }
  }
}

/** `resource` is a list of types; order carries no meaning. */
function compareResourceTypes(differences: OpDefDifference[], canonical: unknown, served: unknown): void {
  if (canonical === undefined && served === undefined) return;
  const expected = stringList(canonical);
  const actual = stringList(served);
  if (expected === undefined || actual === undefined || !sameSet(expected, actual)) {
    differences.push(difference(`${ROOT}.resource`, canonical, served));
  }
}

// --- parameters ----------------------------------------------------------------------------------

interface NamedParameter {
  key: string;
  label: string;
  entry: Record<string, unknown>;
}

function compareParameterLists(differences: OpDefDifference[], canonical: unknown, served: unknown, path: string, depth: number): void {
  if (served !== undefined && !Array.isArray(served)) {
    differences.push(describedDifference(path, 'a list of parameters', describeValue(served)));
    return;
  }
  const expected = indexParameters(canonical);
  const actual = indexParameters(served);
  for (const [key, wanted] of expected) {
    const found = actual.get(key);
    const where = `${path}.where(${wanted.label})`;
    if (!found) differences.push(describedDifference(where, `a parameter ${describeParameter(wanted.entry)}`, 'no such parameter'));
    else compareParameter(differences, wanted.entry, found.entry, where, depth);
  }
  for (const [key, extra] of actual) {
    if (!expected.has(key)) {
      differences.push(describedDifference(`${path}.where(${extra.label})`, 'no such parameter', `an extra parameter ${describeParameter(extra.entry)}`));
    }
  }
  reportDuplicates(differences, served, path);
}

function compareParameter(
  differences: OpDefDifference[],
  canonical: Record<string, unknown>,
  served: Record<string, unknown>,
  path: string,
  depth: number,
): void {
  for (const element of ['min', 'max', 'type'] as const) {
    if (canonical[element] !== served[element]) {
      differences.push(difference(`${path}.${element}`, canonical[element], served[element]));
    }
  }
  const expectedScope = scopeOf(canonical.scope);
  const actualScope = scopeOf(served.scope);
  if (expectedScope === undefined || actualScope === undefined || !sameSet(expectedScope, actualScope)) {
    differences.push(renderedDifference(`${path}.scope`, canonical.scope, served.scope, renderScope(canonical.scope), renderScope(served.scope)));
  }
  if ((canonical.part !== undefined || served.part !== undefined) && depth < MAX_PART_DEPTH) {
    compareParameterLists(differences, canonical.part, served.part, `${path}.part`, depth + 1);
  }
}

/** Parameters keyed by name + use; entries without a string name cannot be matched and are skipped. */
function indexParameters(list: unknown): Map<string, NamedParameter> {
  const index = new Map<string, NamedParameter>();
  if (!Array.isArray(list)) return index;
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.name !== 'string') continue;
    const use = typeof entry.use === 'string' ? entry.use : '';
    const key = `${use}\u0000${entry.name}`;
    if (!index.has(key)) index.set(key, { key, label: matchLabel(entry.name, use), entry });
  }
  return index;
}

function reportDuplicates(differences: OpDefDifference[], list: unknown, path: string): void {
  if (!Array.isArray(list)) return;
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.name !== 'string') {
      differences.push(describedDifference(`${path}[${index}]`, 'a parameter with a string name', describeValue(entry)));
      return;
    }
    const key = `${String(entry.use)}\u0000${entry.name}`;
    if (seen.has(key)) {
      differences.push(describedDifference(`${path}[${index}]`, `one parameter ${describeParameter(entry)}`, 'a second one'));
    }
    seen.add(key);
  });
}

function matchLabel(name: string, use: string): string {
  return use ? `name='${name}' and use='${use}'` : `name='${name}'`;
}

function describeParameter(entry: Record<string, unknown>): string {
  const use = typeof entry.use === 'string' ? `${entry.use} ` : '';
  const type = typeof entry.type === 'string' ? ` (${entry.type} ${String(entry.min)}..${String(entry.max)})` : '';
  return `${use}"${String(entry.name)}"${type}`;
}

/** Absent scope = all levels; anything that is not a list of strings is kept as undefined (a difference). */
function scopeOf(scope: unknown): string[] | undefined {
  if (scope === undefined) return ALL_SCOPES;
  return stringList(scope);
}

function renderScope(scope: unknown): string {
  return scope === undefined ? 'no scope (every level)' : render(scope);
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return undefined;
  return value as string[];
}

function sameSet(left: string[], right: string[]): boolean {
  const a = new Set(left);
  const b = new Set(right);
  return a.size === b.size && [...a].every((item) => b.has(item));
}
