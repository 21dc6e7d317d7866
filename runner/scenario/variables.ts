/**
 * Static analysis of `${…}` uses: every variable a step uses must be defined by then, so a typo
 * fails at load time with the file:line:col of the use instead of half-way through a run.
 *
 * Where variables come from, in scenario order:
 *   fixtures                 `subscription: a` → ${a.id}, ${a.reference}
 *   getToken  as: tok        ${tok.token} .expiration .websocketUrl .subscriptions .invocation .lifetimeMs
 *   forgeToken as: forged    ${forged} (the forged token, a string)
 *   ws.connect as: ws1       the socket name for later ws.* steps (socket: ws1), and ${ws1.url}
 *   capture: { name: query } ${name} (the first match; any members)
 *   set: { name: value }     ${name} (a string)
 *   expect.anyOf             ${branch}: the label of the branch that passed
 *   built-ins                BUILTIN_VARIABLES, plus the loader's `knownVariables` option
 *
 * A step's own definitions are visible to later steps only, except in its `record:` values,
 * which are evaluated after the step (so they may use ${branch}, the step's captures and `as`).
 */
import { parseTemplate, type VariableReference } from '../checks/template.js';
import type { PathProblem, ValuePath } from './problems.js';
import { forEachScenario, forEachStep, forEachString, isRecord, type RecordValue, type StepVisit } from './scenario-walk.js';
import { didYouMean } from './suggest.js';

/**
 * Variables every scenario may use without defining them: a name (no members), "name.member"
 * (that member), or "name.*" (any member). The engine defines their values.
 */
export const BUILTIN_VARIABLES = ['now', 'server.base', 'server.fhirVersion', 'config.*', 'run.*'] as const;

export const TOKEN_MEMBERS = ['token', 'expiration', 'websocketUrl', 'subscriptions', 'invocation', 'lifetimeMs'] as const;
export const FIXTURE_MEMBERS = ['id', 'reference'] as const;
export const SOCKET_MEMBERS = ['url'] as const;
export const EVENT_NUMBER_MEMBERS = ['first', 'last', 'count'] as const;

const SOCKET_STEPS = ['ws.send', 'ws.bind', 'ws.expect', 'ws.expectNone', 'ws.expectClose', 'ws.observe', 'ws.events', 'ws.soak', 'ws.close'];
/** Fields that name a socket rather than hold a template, and the steps that have them. */
const SOCKET_FIELDS: ReadonlyArray<{ field: string; steps: readonly string[] }> = [
  { field: 'socket', steps: SOCKET_STEPS },
  { field: 'continues', steps: ['ws.events', 'subscription.query'] },
];

/** What a name holds: a closed set of members, any members, or a plain value. */
type Members = readonly string[] | 'any' | 'none';

interface Definition {
  name: string;
  members: Members;
  origin: string; // "fixtures", "getToken as:", … for messages
  step: number; // -1: fixtures and built-ins
  path: ValuePath;
  socket?: boolean;
}

export interface VariableOptions {
  /** More built-ins, in the BUILTIN_VARIABLES notation. */
  knownVariables?: readonly string[];
  /** Line of a value path, for "defined at line N" hints. */
  lineOf: (path: ValuePath) => number;
}

export function variableProblems(file: unknown, options: VariableOptions): PathProblem[] {
  const builtins = builtinDefinitions([...BUILTIN_VARIABLES, ...(options.knownVariables ?? [])]);
  const problems: PathProblem[] = [];
  forEachScenario(file, (scenario, path) => problems.push(...scenarioProblems(scenario, path, builtins, options)));
  return problems;
}

function scenarioProblems(scenario: RecordValue, path: ValuePath, builtins: Map<string, Definition>, options: VariableOptions): PathProblem[] {
  const all = collectDefinitions(scenario, path);
  const problems: PathProblem[] = all.filter((definition) => builtins.has(definition.name)).map(shadowsBuiltin);
  const visible = new Map(builtins);
  for (const definition of all.filter((d) => d.step < 0)) visible.set(definition.name, definition);
  const check = (text: string, at: ValuePath) => {
    for (const reference of safeReferences(text)) {
      const problem = referenceProblem(reference, visible, all, options);
      if (problem) problems.push({ code: 'FWC_ERR_SCENARIO_UNDEFINED_VARIABLE', message: problem, path: at, offset: reference.offset });
    }
  };
  forEachStep(scenario, path, (visit) => {
    const index = visit.path[visit.path.length - 1] as number;
    const { record, ...rest } = visit.step;
    forEachString(rest, visit.path, (text, at) => (isName(visit, at) ? undefined : check(text, at)));
    problems.push(...socketProblems(visit, visible, all, options));
    for (const definition of all.filter((d) => d.step === index)) visible.set(definition.name, definition);
    forEachString(record, [...visit.path, 'record'], check);
  });
  return problems;
}

/** `as:`, `socket:` and `continues:` hold names, not templates. */
function isName(visit: StepVisit, at: ValuePath): boolean {
  const field = at[at.length - 1];
  return at.length === visit.path.length + 2 && at[visit.path.length] === visit.kind && (field === 'as' || field === 'socket' || field === 'continues');
}

function referenceProblem(reference: VariableReference, visible: Map<string, Definition>, all: Definition[], options: VariableOptions): string | undefined {
  const definition = visible.get(reference.name);
  if (definition) return memberProblem(reference, definition);
  const later = all.find((d) => d.name === reference.name);
  if (later) {
    return `variable "${reference.name}" is used before it is defined (by ${later.origin} at line ${options.lineOf(later.path)})`;
  }
  return `undefined variable "${reference.name}"${didYouMean(reference.name, visible.keys())} in "\${${reference.reference}}"`;
}

function memberProblem(reference: VariableReference, definition: Definition): string | undefined {
  const [member] = reference.path;
  if (member === undefined || definition.members === 'any') return undefined;
  const written = `"\${${reference.reference}}"`;
  if (definition.members === 'none') {
    return `${written}: ${definition.name} (from ${definition.origin}) is a plain value without members; write \${${definition.name}}`;
  }
  if (definition.members.includes(member)) return undefined;
  const has = definition.members.join(', ');
  return `${written}: ${definition.name} (from ${definition.origin}) has no member "${member}"${didYouMean(member, definition.members)}; it has ${has}`;
}

function socketProblems(visit: StepVisit, visible: Map<string, Definition>, all: Definition[], options: VariableOptions): PathProblem[] {
  return SOCKET_FIELDS.flatMap(({ field, steps }) => socketFieldProblems(visit, field, steps, visible, all, options));
}

function socketFieldProblems(visit: StepVisit, field: string, steps: readonly string[], visible: Map<string, Definition>, all: Definition[], options: VariableOptions): PathProblem[] {
  const name = visit.body?.[field];
  if (!visit.kind || !steps.includes(visit.kind) || typeof name !== 'string') return [];
  if (visible.get(name)?.socket) return [];
  const later = all.find((d) => d.name === name && d.socket);
  const sockets = [...visible.values()].filter((d) => d.socket).map((d) => d.name);
  const message = later
    ? `socket "${name}" is used before ws.connect opens it (at line ${options.lineOf(later.path)})`
    : `unknown socket "${name}"${didYouMean(name, sockets)}: open it first with ws.connect { as: ${name} }`;
  return [{ code: 'FWC_ERR_SCENARIO_UNDEFINED_VARIABLE', message, path: [...visit.path, visit.kind, field] }];
}

/** Every definition in the scenario, in order, with the step that makes it (-1: fixtures). */
function collectDefinitions(scenario: RecordValue, path: ValuePath): Definition[] {
  const definitions: Definition[] = [];
  if (Array.isArray(scenario.fixtures)) {
    scenario.fixtures.forEach((fixture: unknown, index: number) => {
      if (isRecord(fixture) && typeof fixture.subscription === 'string') {
        definitions.push({ name: fixture.subscription, members: FIXTURE_MEMBERS, origin: 'fixtures', step: -1, path: [...path, 'fixtures', index, 'subscription'] });
      }
    });
  }
  forEachStep(scenario, path, (visit) => definitions.push(...stepDefinitions(visit)));
  return definitions;
}

function stepDefinitions(visit: StepVisit): Definition[] {
  const step = visit.path[visit.path.length - 1] as number;
  const define = (name: unknown, members: Members, origin: string, at: ValuePath, socket = false): Definition[] =>
    typeof name === 'string' ? [{ name, members, origin, step, path: at, socket }] : [];
  const asPath = [...visit.path, visit.kind ?? '', 'as'];
  const definitions: Definition[] = [];
  if (visit.kind === 'getToken') definitions.push(...define(visit.body?.as, TOKEN_MEMBERS, 'getToken as:', asPath));
  if (visit.kind === 'forgeToken') definitions.push(...define(visit.body?.as, 'none', 'forgeToken as:', asPath));
  if (visit.kind === 'ws.connect') definitions.push(...define(visit.body?.as, SOCKET_MEMBERS, 'ws.connect as:', asPath, true));
  if (visit.kind === 'ws.events') definitions.push(...define(visit.body?.as, EVENT_NUMBER_MEMBERS, 'ws.events as:', asPath));
  if (visit.kind === 'set' && isRecord(visit.step.set)) {
    for (const name of Object.keys(visit.step.set)) definitions.push(...define(name, 'none', 'set:', [...visit.path, 'set', name]));
  }
  if (isRecord(visit.step.capture)) {
    for (const name of Object.keys(visit.step.capture)) definitions.push(...define(name, 'any', 'capture:', [...visit.path, 'capture', name]));
  }
  if (isRecord(visit.step.expect) && Array.isArray(visit.step.expect.anyOf)) {
    definitions.push(...define('branch', 'none', 'expect.anyOf', [...visit.path, 'expect', 'anyOf']));
  }
  return definitions;
}

function builtinDefinitions(patterns: readonly string[]): Map<string, Definition> {
  const builtins = new Map<string, Definition>();
  for (const pattern of patterns) {
    const [name, member] = pattern.split('.', 2);
    const previous = builtins.get(name)?.members;
    let members: Members = 'none';
    if (member === '*' || previous === 'any') members = 'any';
    else if (member !== undefined) members = [...(Array.isArray(previous) ? previous : []), member];
    builtins.set(name, { name, members, origin: 'the built-ins', step: -1, path: [] });
  }
  return builtins;
}

function shadowsBuiltin(definition: Definition): PathProblem {
  return {
    code: 'FWC_ERR_SCENARIO_SCHEMA',
    message: `"${definition.name}" is a built-in variable (${BUILTIN_VARIABLES.join(', ')}): choose another name`,
    path: definition.path,
    at: definition.path[definition.path.length - 1] === 'as' ? 'value' : 'key',
  };
}

function safeReferences(text: string): VariableReference[] {
  try {
    return parseTemplate(text).flatMap((part) => (part.kind === 'variable' ? [part] : []));
  } catch {
    return []; // malformed templates are reported by semantic-checks.ts
  }
}
