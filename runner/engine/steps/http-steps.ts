/**
 * REST steps: raw http, the FHIR interactions (read, create, delete, search) and the operation
 * invocation as written (its auto level and method from discovery, resolve-invocation.ts). Each builds a request, sends it through the recording client,
 * and evaluates the step's expectation on the answer.
 */
import { interpolateValue } from '../../checks/interpolate.js';
import type { HttpRequest, HttpResult } from '../../net/http-client.js';
import type { CreateStep, DeleteStep, Expectation, HttpStep, Identity, OperationStep, ReadStep, SearchStep, Step } from '../../scenario/model.js';
import { isBlocking, type CheckRecord, type Level } from '../../checks/check-record.js';
import { harnessError } from '../../errors.js';
import { invocationOf, OPERATION_NAME, operationRequest, type ConcreteInvocation } from '../../protocol/invocation.js';
import { evaluateHttpExpectation } from '../http-expectations.js';
import { judgeOfInvocation } from '../invocation-judges.js';
import { missingRoute, resolveOperation } from '../resolve-invocation.js';
import type { InvocationProbe } from '../target.js';
import type { ScenarioContext } from '../scenario-context.js';
import { applyCaptures } from './captures.js';
import { readIssuedToken } from '../../protocol/issued-token.js';

export async function runHttpStep(step: HttpStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step.http, ctx.vars) as HttpStep['http'];
  await sendAndCheck(step, ctx, { method: spec.method.toUpperCase(), path: spec.path, query: spec.query, headers: spec.headers, body: spec.body, ...credentialsFor(spec.identity, ctx) });
}

export async function runReadStep(step: ReadStep, ctx: ScenarioContext): Promise<void> {
  const { resourceType, id, identity } = interpolateValue(step.read, ctx.vars) as ReadStep['read'];
  await sendAndCheck(step, ctx, { method: 'GET', path: `${resourceType}/${encodeURIComponent(id)}`, ...credentialsFor(identity, ctx) });
}

export async function runCreateStep(step: CreateStep, ctx: ScenarioContext): Promise<void> {
  const { resource, identity } = interpolateValue(step.create, ctx.vars) as CreateStep['create'];
  await sendAndCheck(step, ctx, { method: 'POST', path: String(resource.resourceType ?? ''), body: resource, ...credentialsFor(identity, ctx) });
}

export async function runDeleteStep(step: DeleteStep, ctx: ScenarioContext): Promise<void> {
  const { resourceType, id, identity } = interpolateValue(step.delete, ctx.vars) as DeleteStep['delete'];
  await sendAndCheck(step, ctx, { method: 'DELETE', path: `${resourceType}/${encodeURIComponent(id)}`, ...credentialsFor(identity, ctx) });
}

export async function runSearchStep(step: SearchStep, ctx: ScenarioContext): Promise<void> {
  const { resourceType, params, identity } = interpolateValue(step.search, ctx.vars) as SearchStep['search'];
  await sendAndCheck(step, ctx, { method: 'GET', path: resourceType, query: params, ...credentialsFor(identity, ctx) });
}

export async function runOperationStep(step: OperationStep, ctx: ScenarioContext): Promise<void> {
  const op = interpolateValue(step.operation, ctx.vars) as OperationStep['operation'];
  const concrete = resolveOperation(op, ctx.target.learned);
  const result = await ctx.http.request({ ...operationRequest(concrete), ...credentialsFor(op.identity, ctx) });
  registerIssuedTokens(result, ctx);
  const checks = evaluateStep(step, ctx, result);
  const missing = result.ok ? missingRoute(invocationOf(concrete), result.status, ctx.target.learned) : undefined;
  // A refusal expected and "received" from a route that is not there was never judged: blocked.
  if (missing && checks.every((c) => c.passed || !isBlocking(c.level))) {
    ctx.addCheck(routeMissingCheck(missing, concrete, ctx, step.level));
    return;
  }
  for (const check of checks) ctx.addCheck(check);
  applyCaptures(step, result.json, ctx);
}

function routeMissingCheck(missing: InvocationProbe, concrete: ConcreteInvocation, ctx: ScenarioContext, level: Level | undefined): Omit<CheckRecord, 'step' | 'at'> {
  const judgedBy = judgeOfInvocation(missing.invocation, ctx.target.learned, ctx.target.fhirVersion);
  return {
    id: `step${ctx.stepIndex}.route`,
    label: `${concrete.method} ${concrete.level === 'instance' ? 'Subscription/[id]' : 'Subscription'}/${OPERATION_NAME} reaches the operation`,
    expected: 'an answer from the operation itself',
    // no route at all (Helios, Medplum), or a route that reads another input name (the Argonaut RI's `ids`)
    actual: `${missing.status}, as for a Subscription known to exist in discovery (${missing.invocation} → ${missing.detail}): this call does not work even with a good id, so this answer says nothing about the request`,
    passed: false,
    // at the scenario's own level: an optional (MAY) method that is simply not routed is "not offered"
    level: ctx.levelFor(level),
    ...(judgedBy !== ctx.scenario.id ? { prerequisite: { judgedBy } } : {}),
    expectedValue: 'handler',
    actualValue: missing.status,
  };
}

/** The credentials a step sends: the run's own (the client's defaults) or the second identity's. */
function credentialsFor(identity: Identity | undefined, ctx: ScenarioContext): Pick<HttpRequest, 'defaultHeaders'> {
  if (identity !== 'other') return {};
  // the loader requires precondition other-identity beside identity: other, so this is a harness bug
  if (!ctx.target.otherAuthHeaders) throw harnessError('FWC_ERR_INTERNAL', 'identity: other without a second identity (precondition other-identity not checked)');
  return { defaultHeaders: ctx.target.otherAuthHeaders };
}

/** A token in the answer is a secret from the moment it arrives, whichever step asked for it. */
function registerIssuedTokens(result: HttpResult, ctx: ScenarioContext): void {
  const parameters = (result.json as { parameter?: unknown } | undefined)?.parameter;
  if (!Array.isArray(parameters)) return;
  for (const parameter of parameters) {
    if (!parameter || typeof parameter !== 'object' || (parameter as { name?: unknown }).name !== 'token') continue;
    for (const [key, value] of Object.entries(parameter as Record<string, unknown>)) {
      if (key.startsWith('value') && typeof value === 'string') ctx.addSecret(value);
    }
  }
  // Known with its stated expiration, so a bind of it is held against the token's life (bind-timing.ts).
  const issued = readIssuedToken(result, 'operation', []);
  if (issued && !ctx.tokens.has(issued.token)) ctx.tokens.set(issued.token, issued);
}

async function sendAndCheck(step: Step, ctx: ScenarioContext, request: HttpRequest): Promise<void> {
  checkAndCapture(step, ctx, await ctx.http.request(request));
}

function checkAndCapture(step: Step, ctx: ScenarioContext, result: HttpResult): void {
  for (const check of evaluateStep(step, ctx, result)) ctx.addCheck(check);
  applyCaptures(step, result.json, ctx);
}

function evaluateStep(step: Step, ctx: ScenarioContext, result: HttpResult) {
  if (!step.expect) return [];
  return evaluateHttpExpectation(interpolateValue(step.expect, ctx.vars) as Expectation, result, {
    ctx,
    level: ctx.levelFor(step.level),
    requirement: step.requirement,
    idPrefix: `step${ctx.stepIndex}`,
  });
}
