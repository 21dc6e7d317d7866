/**
 * The key structure of each step, checked by hand because it says more than a schema can: a step
 * holds exactly one kind key (http, operation, ws.expect, …) beside the common fields, so an
 * unknown key there is most likely a misspelt kind, and two kind keys are two steps run together.
 */
import type { PathProblem, ValuePath } from './problems.js';
import { forEachScenario, forEachStep } from './scenario-walk.js';
import { didYouMean } from './suggest.js';
import { STEP_BASE_KEYS, STEP_KINDS, isStepKind } from './vocabulary.js';

const BASE_KEYS: readonly string[] = STEP_BASE_KEYS;

export function stepShapeProblems(file: unknown): PathProblem[] {
  const problems: PathProblem[] = [];
  forEachScenario(file, (scenario, path) => forEachStep(scenario, path, ({ step, path: at }) => problems.push(...oneStep(step, at))));
  return problems;
}

function oneStep(step: Record<string, unknown>, path: ValuePath): PathProblem[] {
  const keys = Object.keys(step);
  const kinds = keys.filter(isStepKind);
  const unknown = keys.filter((key) => !isStepKind(key) && !BASE_KEYS.includes(key));
  const problems: PathProblem[] = [];
  if (kinds.length > 1) {
    problems.push(problem([...path, kinds[1]], `a step has two kinds, ${quoteAll(kinds)}: split it into one step per kind`));
  }
  if (kinds.length === 0 && unknown.length === 0) {
    problems.push({ ...problem(path, `a step needs a kind: one of ${STEP_KINDS.join(', ')}`), at: 'value' });
  }
  for (const key of unknown) {
    const guessKind = kinds.length === 0 && unknown.length === 1;
    const message = guessKind
      ? `unknown step kind ${JSON.stringify(key)}${didYouMean(key, STEP_KINDS)}; expected one of ${STEP_KINDS.join(', ')}`
      : `unknown key ${JSON.stringify(key)}${didYouMean(key, [...BASE_KEYS, ...STEP_KINDS])}; a step holds one kind and ${BASE_KEYS.join(', ')}`;
    problems.push(problem([...path, key], message));
  }
  return problems;
}

function problem(path: ValuePath, message: string): PathProblem {
  return { code: 'FWC_ERR_SCENARIO_SCHEMA', message, path, at: 'key' };
}

function quoteAll(keys: string[]): string {
  return keys.map((key) => JSON.stringify(key)).join(' and ');
}
