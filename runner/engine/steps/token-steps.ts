/**
 * getToken obtains a binding token by whichever invocation the server supports, so one
 * unsupported form (say, POST with an empty body) does not make every binding check fail.
 * The outputs chapter judges the output types; here the reading is lenient on purpose.
 * forgeToken derives forged tokens from an issued one.
 */
import { interpolateValue } from '../../checks/interpolate.js';
import { ScenarioSkip } from '../../errors.js';
import type { HttpResult } from '../../net/http-client.js';
import type { Expectation, ForgeTokenStep, GetTokenStep, OperationStep } from '../../scenario/model.js';
import { forgeToken } from '../../tokens/forge.js';
import { REPLAY_NOTES } from '../../evidence/replay-script.js';
import type { IssuedToken, ScenarioContext } from '../scenario-context.js';
import { operationRequest, type ConcreteInvocation } from './http-steps.js';
import { evaluateHttpExpectation } from '../http-expectations.js';
import { applyCaptures } from './captures.js';

type Via = NonNullable<GetTokenStep['getToken']['via']>;
/** The five ways to ask for a token, in the order tried for one Subscription. */
export type Invocation = Exclude<Via, 'auto' | 'instance' | 'type'>;

export const SINGLE_ORDER: readonly Invocation[] = ['instance-post', 'instance-post-empty', 'instance-get', 'type-post', 'type-get'];
const MANY_ORDER: readonly Invocation[] = ['type-post', 'type-get'];

export async function runGetTokenStep(step: GetTokenStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step.getToken, ctx.vars) as GetTokenStep['getToken'];
  const obtained = await obtainToken(ctx, spec.subscriptions, spec.via);
  if ('token' in obtained) bindToken(ctx, spec.as, obtained.issued);
  ctx.addCheck({
    id: `step${ctx.stepIndex}.getToken`,
    label: `obtain a binding token for ${spec.subscriptions.join(', ') || 'all websocket Subscriptions'}`,
    expected: 'a token and a websocket-url from at least one invocation form',
    actual: 'token' in obtained ? `obtained by ${obtained.issued.invocation}` : ctx.redact(obtained.attempts.join('; ')),
    passed: 'token' in obtained,
    level: ctx.levelFor(step.level, 'DEF'),
    // the URL level that must answer: one Subscription → instance (OP-01); several need the type level (OP-02)
    requirement: step.requirement ?? (spec.subscriptions.length > 1 ? 'OP-02' : 'OP-01'),
  });
  if (!('token' in obtained)) return;
  // The step's own expectations and captures read the answer that issued the token.
  if (step.expect) {
    const scope = { ctx, level: ctx.levelFor(step.level), requirement: step.requirement, idPrefix: `step${ctx.stepIndex}` };
    const expectation = interpolateValue(step.expect, ctx.vars) as Expectation;
    for (const check of evaluateHttpExpectation(expectation, obtained.result, scope)) ctx.addCheck(check);
  }
  applyCaptures(step, obtained.result.json, ctx);
}

/** Tries the invocation forms in order (the one that worked before first); never throws. */
export async function obtainToken(
  ctx: ScenarioContext,
  subscriptions: string[],
  via?: Via,
): Promise<{ token: string; issued: IssuedToken; result: HttpResult } | { attempts: string[] }> {
  const attempts: string[] = [];
  for (const invocation of invocationsToTry(subscriptions, via, ctx)) {
    const result = await ctx.http.request(operationRequest(invocationRequest(invocation, subscriptions)));
    const issued = readIssuedToken(result, invocation, subscriptions);
    if (issued) {
      ctx.target.learned.invocation ??= invocation;
      ctx.addSecret(issued.token);
      return { token: issued.token, issued, result };
    }
    attempts.push(`${invocation} → ${describeAttempt(result)}`);
    // A server that does not answer is not asked again in the other forms: each would wait out the
    // HTTP timeout too, and a run against a silent operation would take forms × timeout per token.
    if (timedOut(result)) {
      attempts.push('the other invocation forms were not tried: the server did not answer within the HTTP timeout');
      break;
    }
  }
  return { attempts };
}

/** The HTTP client's words for "no (whole) answer within the timeout" (http-client.ts). */
function timedOut(result: HttpResult): boolean {
  return /^timed out after \d+ ms/.test(result.error ?? '');
}

function invocationsToTry(subscriptions: string[], via: Via | undefined, ctx: ScenarioContext): readonly Invocation[] {
  if (via && via !== 'auto' && via !== 'instance' && via !== 'type') return [via];
  const forLevel = (order: readonly Invocation[]) => (via === 'instance' || via === 'type' ? order.filter((o) => o.startsWith(via)) : order);
  const order = forLevel(subscriptions.length === 1 ? SINGLE_ORDER : MANY_ORDER);
  const learned = ctx.target.learned.invocation as Invocation | undefined;
  // The method that worked before goes first (at either level): a GET-only server is asked by GET.
  const learnedMethod = learned?.endsWith('-get') ? '-get' : undefined;
  const preferred = order.find((o) => o === learned) ?? (learnedMethod ? order.find((o) => o.endsWith(learnedMethod)) : undefined);
  return preferred ? [preferred, ...order.filter((o) => o !== preferred)] : order;
}

export function invocationRequest(invocation: Invocation, subscriptions: string[]): ConcreteInvocation {
  switch (invocation) {
    case 'instance-post': return { level: 'instance', id: subscriptions[0], method: 'POST', body: 'parameters' };
    case 'instance-post-empty': return { level: 'instance', id: subscriptions[0], method: 'POST', body: 'empty' };
    case 'instance-get': return { level: 'instance', id: subscriptions[0], method: 'GET' };
    case 'type-post': return { level: 'type', method: 'POST', ids: subscriptions };
    case 'type-get': return { level: 'type', method: 'GET', ids: subscriptions };
  }
}

function describeAttempt(result: HttpResult): string {
  if (!result.ok) return result.error ?? 'no response';
  return result.status !== undefined && result.status < 300 ? `${result.status} without a usable token and websocket-url` : `${result.status}`;
}

/** Reads the outputs leniently: any value[x] counts, so type defects surface in outputs.* only. */
export function readIssuedToken(result: HttpResult, invocation: string, requested: string[]): IssuedToken | undefined {
  if (!result.ok || result.status === undefined || result.status >= 300) return undefined;
  const parameters = (result.json as { parameter?: unknown })?.parameter;
  if (!Array.isArray(parameters)) return undefined;
  const values = (name: string) =>
    parameters.filter((p) => p && typeof p === 'object' && (p as { name?: unknown }).name === name).map(anyValue).filter((v): v is string => typeof v === 'string');
  const token = values('token')[0];
  const websocketUrl = values('websocket-url')[0];
  if (!token || !websocketUrl) return undefined;
  const expiration = values('expiration')[0];
  const listed = values('subscription').map((s) => s.replace(/^.*Subscription\//, ''));
  const expiresAt = expiration ? Date.parse(expiration) : NaN;
  return {
    token,
    expiration,
    websocketUrl,
    subscriptions: listed.length > 0 ? listed : requested,
    invocation,
    lifetimeMs: Number.isNaN(expiresAt) ? undefined : expiresAt - Date.now(),
  };
}

function anyValue(parameter: Record<string, unknown>): unknown {
  const key = Object.keys(parameter).find((k) => k.startsWith('value'));
  return key ? parameter[key] : undefined;
}

function bindToken(ctx: ScenarioContext, name: string, issued: IssuedToken): void {
  ctx.addSecret(issued.token);
  ctx.tokens.set(issued.token, issued);
  ctx.vars.set(name, { ...issued });
  ctx.profile.tokenLifetimeSeconds ??= issued.lifetimeMs !== undefined ? Math.round(issued.lifetimeMs / 1000) : undefined;
  ctx.profile.tokenKind ??= issued.token.split('.').length === 3 ? 'jwt' : 'opaque';
  ctx.profile.invocation ??= issued.invocation;
}

export async function runForgeTokenStep(step: ForgeTokenStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step.forgeToken, ctx.vars) as ForgeTokenStep['forgeToken'];
  const forged = forgeToken(spec.from, spec.class, { length: spec.length });
  if ('notApplicable' in forged) throw new ScenarioSkip(`not applicable: ${forged.notApplicable}`);
  // A truncated token is a prefix of the real one: mask it too, unless too short to reveal anything.
  if (forged.token.length >= 8) ctx.addSecret(forged.token);
  ctx.transcript.note(REPLAY_NOTES.forged(spec.class, spec.from, forged.token, spec.length));
  const original = ctx.tokens.get(spec.from);
  ctx.tokens.set(forged.token, { token: forged.token, subscriptions: original?.subscriptions ?? [], invocation: 'forged' });
  ctx.vars.set(spec.as, forged.token);
}
