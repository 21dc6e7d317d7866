/**
 * The loader's checks beyond the schema's shape: query syntax (pre-compiled, so a bad JSONPath
 * is reported at load time), regular expressions, literal instants, `${…}` syntax, known
 * requirement ids, duplicate fixture names, and the few field combinations the model forbids.
 */
import { compileQuery } from '../checks/json-query.js';
import { parseInstant } from '../checks/predicates.js';
import { hasPlaceholder, parseTemplate } from '../checks/template.js';
import { HarnessError, type HarnessErrorCode } from '../errors.js';
import type { PathProblem, ValuePath } from './problems.js';
import {
  forEachScenario,
  forEachStep,
  forEachString,
  isRecord,
  visitStepParts,
  type RecordValue,
  type StepVisit,
} from './scenario-walk.js';
import { didYouMean } from './suggest.js';

export interface SemanticOptions {
  /** Known requirement ids; when given, every id used must be one of them. */
  requirements?: ReadonlySet<string>;
}

export function semanticProblems(file: unknown, options: SemanticOptions = {}): PathProblem[] {
  const problems: PathProblem[] = [];
  const report = (path: ValuePath, message: string, code: HarnessErrorCode = 'FWC_ERR_SCENARIO_SCHEMA') =>
    problems.push({ code, message, path });
  forEachScenario(file, (scenario, path) => {
    checkRequirementList(scenario, path, options, report);
    checkFixtureNames(scenario, path, report);
    forEachStep(scenario, path, (visit) => checkStep(visit, options, report));
    forEachStep(scenario, path, (visit) => checkIdentity(visit, scenario, report));
  });
  return problems;
}

type Report = (path: ValuePath, message: string, code?: HarnessErrorCode) => void;

function checkStep(visit: StepVisit, options: SemanticOptions, report: Report): void {
  checkTemplates(visit, report);
  visitStepParts(visit, {
    query: (query, path) => checkQuery(query, path, report),
    predicate: (predicate, path) => checkPredicate(predicate, path, report),
    requirement: (id, path) => checkRequirement(id, path, options, report),
  });
  if (visit.kind === 'operation' && visit.body) checkOperation(visit.body, [...visit.path, 'operation'], report);
  if (visit.kind === 'wait' && visit.body) checkWait(visit.body, [...visit.path, 'wait'], report);
}

/** Every string of a step may hold `${…}`; a malformed one is reported where it is written. */
function checkTemplates(visit: StepVisit, report: Report): void {
  forEachString(visit.step, visit.path, (text, path) => {
    const problem = failureOf(() => parseTemplate(text));
    if (problem) report(path, problem);
  });
}

function checkQuery(query: string, path: ValuePath, report: Report): void {
  // A query may hold ${…}; it is compiled with each placeholder standing in as 0, which fits
  // wherever a value can go ('${x}' inside quotes, [${n}], .${key}).
  if (failureOf(() => parseTemplate(query))) return; // reported by checkTemplates
  const problem = failureOf(() => compileQuery(withStandIns(query)));
  if (problem) report(path, problem);
}

function checkPredicate(predicate: RecordValue, path: ValuePath, report: Report): void {
  if (typeof predicate.matches === 'string' && !safeHasPlaceholder(predicate.matches)) {
    const problem = failureOf(() => new RegExp(predicate.matches as string));
    if (problem) report([...path, 'matches'], `bad regular expression: ${problem}`);
  }
  for (const key of ['before', 'after'] as const) {
    const value = predicate[key];
    if (typeof value !== 'string' || value === 'now' || safeHasPlaceholder(value)) continue;
    if (parseInstant(value) === undefined) {
      report([...path, key], `bad ${key}: expected "now", an ISO date/time like 2026-01-01T00:00:00Z or \${…}, but got ${JSON.stringify(value)}${didYouMean(value, ['now'])}`);
    }
  }
}

function checkRequirementList(scenario: RecordValue, path: ValuePath, options: SemanticOptions, report: Report): void {
  if (!Array.isArray(scenario.requirements)) return;
  scenario.requirements.forEach((id: unknown, index: number) => {
    if (typeof id === 'string') checkRequirement(id, [...path, 'requirements', index], options, report);
  });
}

function checkRequirement(id: string, path: ValuePath, options: SemanticOptions, report: Report): void {
  if (!options.requirements || options.requirements.has(id)) return;
  const message = `unknown requirement id ${JSON.stringify(id)}${didYouMean(id, options.requirements)} (not in suites/requirements.csv)`;
  report(path, message, 'FWC_ERR_SCENARIO_UNKNOWN_REQUIREMENT');
}

function checkFixtureNames(scenario: RecordValue, path: ValuePath, report: Report): void {
  if (!Array.isArray(scenario.fixtures)) return;
  const seen = new Set<string>();
  scenario.fixtures.forEach((fixture: unknown, index: number) => {
    if (!isRecord(fixture) || typeof fixture.subscription !== 'string') return;
    if (seen.has(fixture.subscription)) {
      report([...path, 'fixtures', index, 'subscription'], `duplicate fixture name ${JSON.stringify(fixture.subscription)}`);
    }
    seen.add(fixture.subscription);
  });
}

/** A step sent as the other identity needs it configured: the precondition turns its absence into a skip. */
function checkIdentity(visit: StepVisit, scenario: RecordValue, report: Report): void {
  if (visit.body?.identity !== 'other') return;
  const preconditions = Array.isArray(scenario.preconditions) ? scenario.preconditions : [];
  if (!preconditions.includes('other-identity')) {
    report([...visit.path, visit.kind!, 'identity'], 'identity: other needs the scenario precondition other-identity (without a second identity configured the scenario is then skipped)');
  }
}

function checkOperation(operation: RecordValue, path: ValuePath, report: Report): void {
  if (operation.method === 'GET') {
    for (const key of ['body', 'raw'] as const) {
      if (operation[key] !== undefined) report([...path, key], `${key} is for POST only; a GET has no body`);
    }
  }
  if (operation.level === 'type' && operation.id !== undefined) {
    report([...path, 'id'], 'id names the instance of an instance-level call; a type-level call takes its Subscriptions in ids');
  }
  if (operation.level === 'auto' && operation.ids !== undefined) {
    report([...path, 'ids'], 'level: auto takes the Subscription in id (sent as the instance or as the one id input, as the invocation of the run needs); ids is for level: type');
  }
  if (operation.body === 'empty' && operation.raw !== undefined) report([...path, 'raw'], 'raw sends a body, body: empty sends none: choose one');
}

function checkWait(wait: RecordValue, path: ValuePath, report: Report): void {
  if (wait.duration !== undefined && wait.until !== undefined) report([...path, 'until'], 'wait takes duration or until, not both');
  if (wait.offset !== undefined && wait.until === undefined) report([...path, 'offset'], 'offset is added to until: give until too');
}

function withStandIns(query: string): string {
  return parseTemplate(query)
    .map((part) => (part.kind === 'text' ? part.text : '0'))
    .join('');
}

function safeHasPlaceholder(text: string): boolean {
  try {
    return hasPlaceholder(text);
  } catch {
    return true; // malformed: reported by checkTemplates, not again here
  }
}

/** The HarnessError message a piece of work fails with (without location), or undefined. */
function failureOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof HarnessError || error instanceof SyntaxError) return error.message;
    throw error;
  }
}
