/**
 * Defensive traversal of a parsed (not yet validated) scenario file for the loader's own checks:
 * they run even when the schema found problems, so that one pass reports everything, and so
 * they must never assume a shape. Every visit carries the value path for locating it.
 */
import type { ValuePath } from './problems.js';
import { isStepKind } from './vocabulary.js';

export type RecordValue = Record<string, unknown>;

export function isRecord(value: unknown): value is RecordValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function forEachScenario(file: unknown, visit: (scenario: RecordValue, path: ValuePath) => void): void {
  if (!isRecord(file) || !Array.isArray(file.scenarios)) return;
  file.scenarios.forEach((scenario: unknown, index: number) => {
    if (isRecord(scenario)) visit(scenario, ['scenarios', index]);
  });
}

export interface StepVisit {
  step: RecordValue;
  path: ValuePath;
  /** The first kind key, when the step has one. */
  kind?: string;
  /** The value under the kind key, when it is a mapping. */
  body?: RecordValue;
}

export function forEachStep(scenario: RecordValue, scenarioPath: ValuePath, visit: (step: StepVisit) => void): void {
  if (!Array.isArray(scenario.steps)) return;
  scenario.steps.forEach((step: unknown, index: number) => {
    if (!isRecord(step)) return;
    const kind = Object.keys(step).find(isStepKind);
    const body = kind !== undefined && isRecord(step[kind]) ? (step[kind] as RecordValue) : undefined;
    visit({ step, path: [...scenarioPath, 'steps', index], kind, body });
  });
}

/** Every string inside a value (not keys), with its path. */
export function forEachString(value: unknown, path: ValuePath, visit: (text: string, path: ValuePath) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, index) => forEachString(item, [...path, index], visit));
  else if (isRecord(value)) for (const [key, item] of Object.entries(value)) forEachString(item, [...path, key], visit);
}

/** Callbacks for the places of a step that hold predicates, assertions, queries and requirement ids. */
export interface StepPartsVisitor {
  predicate?(predicate: RecordValue, path: ValuePath): void;
  query?(query: string, path: ValuePath): void;
  requirement?(id: string, path: ValuePath): void;
}

/** Walks expect (with anyOf branches), ws.expect / ws.expectNone matchers and capture queries. */
export function visitStepParts(visit: StepVisit, visitor: StepPartsVisitor): void {
  const { step, path, body } = visit;
  requirementAt(step.requirement, [...path, 'requirement'], visitor);
  if (isRecord(step.capture)) {
    for (const [name, query] of Object.entries(step.capture)) {
      if (typeof query === 'string') visitor.query?.(query, [...path, 'capture', name]);
    }
  }
  if (isRecord(step.expect)) visitExpectation(step.expect, [...path, 'expect'], visitor);
  if (body && isRecord(body.match)) visitMatcher(body.match, [...path, visit.kind as string, 'match'], visitor);
}

function visitExpectation(expectation: RecordValue, path: ValuePath, visitor: StepPartsVisitor): void {
  requirementAt(expectation.requirement, [...path, 'requirement'], visitor);
  if (isRecord(expectation.headers)) {
    for (const [name, predicate] of Object.entries(expectation.headers)) {
      if (!isRecord(predicate)) continue;
      requirementAt(predicate.requirement, [...path, 'headers', name, 'requirement'], visitor);
      visitPredicate(predicate, [...path, 'headers', name], visitor);
    }
  }
  eachRecord(expectation.body, [...path, 'body'], (assertion, at) => visitAssertion(assertion, at, visitor));
  eachRecord(expectation.anyOf, [...path, 'anyOf'], (branch, at) => visitExpectation(branch, at, visitor));
}

function visitMatcher(matcher: RecordValue, path: ValuePath, visitor: StepPartsVisitor): void {
  eachRecord(matcher.json, [...path, 'json'], (assertion, at) => visitAssertion(assertion, at, visitor));
  if (isRecord(matcher.text)) visitPredicate(matcher.text, [...path, 'text'], visitor);
}

function visitAssertion(assertion: RecordValue, path: ValuePath, visitor: StepPartsVisitor): void {
  requirementAt(assertion.requirement, [...path, 'requirement'], visitor);
  if (typeof assertion.query === 'string') visitor.query?.(assertion.query, [...path, 'query']);
  visitPredicate(assertion, path, visitor);
}

function visitPredicate(predicate: RecordValue, path: ValuePath, visitor: StepPartsVisitor): void {
  visitor.predicate?.(predicate, path);
  if (isRecord(predicate.not)) visitPredicate(predicate.not, [...path, 'not'], visitor);
}

function requirementAt(value: unknown, path: ValuePath, visitor: StepPartsVisitor): void {
  if (typeof value === 'string') visitor.requirement?.(value, path);
}

function eachRecord(list: unknown, path: ValuePath, visit: (item: RecordValue, path: ValuePath) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((item, index) => {
    if (isRecord(item)) visit(item, [...path, index]);
  });
}
