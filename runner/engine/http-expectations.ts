/**
 * Turns an Expectation into check records for one HTTP response. The same assertion machinery
 * (query + predicate) serves websocket frames in steps/ws-steps.ts (checkEveryFrame).
 */
import type { CheckRecord, Level } from '../checks/check-record.js';
import { isBlocking } from '../checks/check-record.js';
import { evaluatePredicate, predicateOf } from '../checks/predicates.js';
import { query } from '../checks/json-query.js';
import { matchesStatus, describeStatusExpectation } from '../checks/status.js';
import type { HttpResult } from '../net/http-client.js';
import type { Assertion, Expectation, HeaderPredicate, Predicate } from '../scenario/model.js';
import { validateParameters } from '../validator/validate-parameters.js';
import { canonicalChecks } from './canonical-expectation.js';
import type { ScenarioContext } from './scenario-context.js';
import { describeActual } from './describe.js';
import { redactDeep } from './redact-result.js';

export interface ExpectationScope {
  ctx: ScenarioContext;
  /** Default level and requirement from the step (or the scenario). */
  level: Level;
  requirement?: string;
  idPrefix: string;
}

type NewCheck = Omit<CheckRecord, 'step' | 'at'>;

/** Evaluates without recording, so anyOf can weigh branches before keeping one. */
export function evaluateHttpExpectation(expectation: Expectation, result: HttpResult, scope: ExpectationScope): NewCheck[] {
  const level = expectation.level ?? scope.level;
  const requirement = expectation.requirement ?? scope.requirement;
  if (!result.ok) {
    return [{
      id: `${scope.idPrefix}.response`,
      label: 'the server answers the request',
      expected: 'an HTTP response',
      actual: result.error ?? 'no response',
      passed: false,
      level,
      requirement,
    }];
  }
  const checks: NewCheck[] = [];
  const base = { level, requirement };
  if (expectation.status !== undefined) checks.push(statusCheck(expectation.status, result, scope, base));
  for (const [name, predicate] of Object.entries(expectation.headers ?? {})) {
    checks.push(headerCheck(name, predicate, result, scope, base));
  }
  for (const [i, assertion] of (expectation.body ?? []).entries()) {
    const check = assertionCheck(assertion, result.json, `${scope.idPrefix}.body${i + 1}`, scope, base);
    // Say why nothing matched when the body was never JSON: that is the finding, not "no value".
    checks.push(result.json === undefined && !check.passed ? { ...check, actual: scope.ctx.redact(describeNonJsonBody(result)) } : check);
  }
  if (expectation.parameters) checks.push(...parametersChecks(expectation.parameters, result, scope, base));
  if (expectation.operationOutcome) checks.push(operationOutcomeCheck(expectation.operationOutcome, result, scope, base));
  if (expectation.matchesCanonical) checks.push(...canonicalChecks(expectation.matchesCanonical, result, scope.ctx, scope.idPrefix, base));
  if (expectation.anyOf) checks.push(...anyOfChecks(expectation.anyOf, result, scope));
  return checks;
}

function statusCheck(status: NonNullable<Expectation['status']>, result: HttpResult, scope: ExpectationScope, base: Pick<NewCheck, 'level' | 'requirement'>): NewCheck {
  return {
    id: `${scope.idPrefix}.status`,
    label: 'HTTP status',
    expected: describeStatusExpectation(status),
    actual: String(result.status),
    passed: matchesStatus(status, result.status!),
    expectedValue: status,
    actualValue: result.status,
    ...base,
  };
}

function headerCheck(name: string, predicate: HeaderPredicate, result: HttpResult, scope: ExpectationScope, base: Pick<NewCheck, 'level' | 'requirement'>): NewCheck {
  const value = result.headers[name.toLowerCase()];
  const { level, requirement, expected, ...test } = predicate;
  const outcome = evaluatePredicate(test, value === undefined ? [] : [value], new Date());
  return {
    id: `${scope.idPrefix}.header.${name.toLowerCase()}`,
    label: `header ${name}`,
    ...outcome,
    ...(expected !== undefined ? { expected, expectedValue: test } : {}),
    level: level ?? base.level,
    requirement: requirement ?? base.requirement,
  };
}

export function assertionCheck(
  assertion: Assertion,
  subject: unknown,
  id: string,
  scope: ExpectationScope,
  base: Pick<NewCheck, 'level' | 'requirement'>,
): NewCheck {
  const matches = subject === undefined ? [] : query(subject, assertion.query);
  const now = new Date();
  const outcome = evaluatePredicate(assertion, matches, now);
  // Rendered from redacted values: rendering truncates, and a cut-off token prefix would no longer
  // be recognisable as the secret it is.
  const shown = renderRedacted(assertion, matches, now, scope) ?? outcome;
  return {
    id,
    label: assertion.label ?? assertion.query,
    passed: outcome.passed,
    expected: scope.ctx.redact(assertion.expected ?? shown.expected),
    actual: scope.ctx.redact(shown.actual),
    level: assertion.level ?? base.level,
    requirement: assertion.requirement ?? base.requirement,
    ...(assertion.location ? { location: assertion.location } : {}),
    // Raw values beside the prose, when small (the whole result is redacted before it is kept).
    ...bounded('expectedValue', predicateOf(assertion)),
    ...bounded('actualValue', matches),
  };
}

const RAW_VALUE_LIMIT = 2048;

/** { [key]: value } when the value's JSON is small enough to keep beside its prose rendering; else nothing. */
function bounded(key: 'expectedValue' | 'actualValue', value: unknown): Partial<NewCheck> {
  const json = JSON.stringify(value);
  return json !== undefined && json.length <= RAW_VALUE_LIMIT ? { [key]: value } : {};
}

function parametersChecks(use: 'in' | 'out', result: HttpResult, scope: ExpectationScope, base: Pick<NewCheck, 'level' | 'requirement'>): NewCheck[] {
  const subject = result.json ?? result.text;
  const issues = validateParameters(scope.ctx.target.operationDefinition as never, subject, use);
  if (issues.length === 0) {
    return [{
      id: `${scope.idPrefix}.parameters`,
      label: `the body is a Parameters resource that conforms to the OperationDefinition (${use})`,
      expected: 'no issues',
      actual: 'no issues',
      passed: true,
      ...base,
    }];
  }
  return issues.map((issue, i) => ({
    id: `${scope.idPrefix}.parameters.${issue.rule}.${i + 1}`,
    // the subject alone: expected and actual follow it in every message, once
    label: issue.subject,
    expected: issue.expected,
    actual: scope.ctx.redact(issue.actual),
    passed: false,
    level: issue.severity === 'warning' ? 'SHOULD' : base.level,
    requirement: issue.requirement ?? base.requirement,
  }));
}

function operationOutcomeCheck(option: NonNullable<Expectation['operationOutcome']>, result: HttpResult, scope: ExpectationScope, base: Pick<NewCheck, 'level' | 'requirement'>): NewCheck {
  const json = result.json as { resourceType?: unknown } | undefined;
  const resourceType = json && typeof json === 'object' ? json.resourceType : undefined;
  return {
    id: `${scope.idPrefix}.operationOutcome`,
    label: 'the error carries an OperationOutcome',
    expected: 'a body with resourceType OperationOutcome',
    actual: resourceType !== undefined ? `resourceType ${JSON.stringify(resourceType)}` : describeActual(result.text),
    passed: resourceType === 'OperationOutcome',
    level: typeof option === 'object' ? option.level : base.level,
    requirement: 'OP-16', // what this check tests, whatever the step is about
  };
}

/**
 * Passes when every blocking check of some branch passes; the branches' own checks are kept for
 * the branch that passed (so its SHOULD warnings still show), else one failed summary check.
 */
function anyOfChecks(branches: NonNullable<Expectation['anyOf']>, result: HttpResult, scope: ExpectationScope): NewCheck[] {
  const evaluated = branches.map((branch) => ({
    branch,
    checks: evaluateHttpExpectation(branch, result, { ...scope, idPrefix: `${scope.idPrefix}.${branch.label}` }),
  }));
  const winner = evaluated.find((e) => e.checks.every((c) => c.passed || !isBlocking(c.level)));
  if (winner) {
    scope.ctx.vars.set('branch', winner.branch.label);
    return winner.checks;
  }
  scope.ctx.vars.set('branch', 'none'); // never leave an earlier step's label behind
  const why = evaluated.map((e) => `${e.branch.label}: ${e.checks.filter((c) => !c.passed).map((c) => `${c.label} was ${c.actual}`).join('; ')}`);
  return [{
    id: `${scope.idPrefix}.anyOf`,
    label: 'one of the legitimate behaviours',
    expected: branches.map((b) => b.label).join(' or '),
    actual: scope.ctx.redact(why.join(' | ')),
    passed: false,
    level: scope.level,
    requirement: scope.requirement,
  }];
}

function describeNonJsonBody(result: HttpResult): string {
  const problem = result.error ? `the body could not be read (${result.error})` : result.text ? `the body is not JSON (${result.jsonError ?? 'unparseable'})` : 'an empty body';
  const excerpt = result.text ? `: ${describeActual(result.text.slice(0, 120))}` : '';
  return `${problem}${excerpt}`;
}

/** The same evaluation on redacted values and predicate, for display only (undefined if it cannot run). */
function renderRedacted(assertion: Assertion, matches: unknown[], now: Date, scope: ExpectationScope): { expected: string; actual: string } | undefined {
  const redactor = scope.ctx.transcript.redactor;
  try {
    return evaluatePredicate(redactDeep(assertion, redactor), redactDeep(matches, redactor), now);
  } catch {
    return undefined;
  }
}
