/**
 * REST steps: raw http, the FHIR interactions (read, create, delete, search) and the operation
 * invocation exactly as written. Each builds a request, sends it through the recording client,
 * and evaluates the step's expectation on the answer.
 */
import { interpolateValue } from '../../checks/interpolate.js';
import type { HttpRequest, HttpResult } from '../../net/http-client.js';
import type { CreateStep, DeleteStep, Expectation, HttpStep, Identity, OperationStep, ReadStep, SearchStep, Step } from '../../scenario/model.js';
import { harnessError } from '../../errors.js';
import { evaluateHttpExpectation } from '../http-expectations.js';
import type { ScenarioContext } from '../scenario-context.js';
import { applyCaptures } from './captures.js';
import { readIssuedToken } from './token-steps.js';

export const OPERATION_NAME = '$get-ws-binding-token';

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
  const learned = ctx.target.learned.invocation;
  const method = op.method === 'auto' ? (learned?.endsWith('-get') ? 'GET' : 'POST') : op.method;
  const result = await ctx.http.request({ ...operationRequest(concreteLevel({ ...op, method }, learned)), ...credentialsFor(op.identity, ctx) });
  registerIssuedTokens(result, ctx);
  checkAndCapture(step, ctx, result);
}

/** level: auto → the level of the run's invocation ("type-post", "instance-get", …); id moves to ids at type level. */
function concreteLevel(op: OperationStep['operation'] & { method: 'POST' | 'GET' }, learned: string | undefined): ConcreteInvocation {
  if (op.level !== 'auto') return op as ConcreteInvocation;
  const { id, ...rest } = op;
  return learned?.startsWith('type') ? { ...rest, level: 'type', ids: id === undefined ? [] : [id] } : { ...rest, level: 'instance', id };
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

/** The request for one invocation of $get-ws-binding-token, as the operations framework spells it. */
/** A concrete invocation: the method is already decided (never 'auto'). */
export type ConcreteInvocation = OperationStep['operation'] & { method: 'POST' | 'GET'; level: 'type' | 'instance' };

export function operationRequest(op: ConcreteInvocation): HttpRequest {
  const path = op.level === 'instance' ? `Subscription/${encodeURIComponent(op.id ?? '')}/${OPERATION_NAME}` : `Subscription/${OPERATION_NAME}`;
  const ids = op.ids ?? [];
  if (op.method === 'GET') return { method: 'GET', path, query: ids.length > 0 ? { id: ids } : undefined };
  if (op.raw !== undefined) return { method: 'POST', path, body: op.raw, headers: { 'content-type': 'application/fhir+json' } };
  if (op.body === 'empty') return { method: 'POST', path, emptyBody: true };
  // FHIR JSON forbids empty arrays: with no ids the Parameters resource has no `parameter` at all.
  const parameter = ids.map((id) => ({ name: 'id', valueId: id }));
  return { method: 'POST', path, body: { resourceType: 'Parameters', ...(parameter.length > 0 ? { parameter } : {}) } };
}

async function sendAndCheck(step: Step, ctx: ScenarioContext, request: HttpRequest): Promise<void> {
  checkAndCapture(step, ctx, await ctx.http.request(request));
}

function checkAndCapture(step: Step, ctx: ScenarioContext, result: HttpResult): void {
  if (step.expect) {
    const checks = evaluateHttpExpectation(interpolateValue(step.expect, ctx.vars) as Expectation, result, {
      ctx,
      level: ctx.levelFor(step.level),
      requirement: step.requirement,
      idPrefix: `step${ctx.stepIndex}`,
    });
    for (const check of checks) ctx.addCheck(check);
  }
  applyCaptures(step, result.json, ctx);
}
