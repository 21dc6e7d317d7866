/**
 * getToken obtains a binding token by the invocation discovery found working (then the others, in
 * a fixed order), so one unsupported form (say, POST with an empty body) does not make every
 * binding check fail. The token is a prerequisite of the scenario: when none comes, the scenario
 * is blocked by the invocation scenario that judges the form it needed. The outputs chapter
 * judges the output types; the reading here is lenient on purpose (protocol/issued-token.ts).
 * forgeToken derives forged tokens from an issued one.
 */
import { interpolateValue } from '../../checks/interpolate.js';
import { ScenarioSkip } from '../../errors.js';
import type { HttpResult } from '../../net/http-client.js';
import type { Expectation, ForgeTokenStep, GetTokenStep } from '../../scenario/model.js';
import { tokenKind } from '../../protocol/issued-token.js';
import { describeFailures, obtainToken as requestToken, type TokenAttemptFailure } from '../../protocol/obtain-token.js';
import type { Invocation } from '../../protocol/invocation.js';
import { forgeToken } from '../../tokens/forge.js';
import { REPLAY_NOTES } from '../../evidence/replay-script.js';
import type { IssuedToken, ScenarioContext } from '../scenario-context.js';
import { evaluateHttpExpectation } from '../http-expectations.js';
import { judgeOfInvocation, judgeOfTokenFor } from '../invocation-judges.js';
import { tokenInvocationOrder } from '../resolve-invocation.js';
import { applyCaptures } from './captures.js';

type Via = NonNullable<GetTokenStep['getToken']['via']>;

export async function runGetTokenStep(step: GetTokenStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step.getToken, ctx.vars) as GetTokenStep['getToken'];
  const shownToWork = alreadyIssued(spec.subscriptions, ctx);
  const obtained = await obtainToken(ctx, spec.subscriptions, spec.via);
  if ('token' in obtained) bindToken(ctx, spec.as, obtained.issued);
  // Refused where this scenario already got a token for the same Subscriptions: what changed since
  // is the scenario's own doing (say, a Subscription deleted when a socket dropped), its finding.
  const judgedBy = 'token' in obtained || shownToWork ? undefined : judgeOfMissingToken(spec, obtained.failures, ctx);
  ctx.addCheck({
    id: `step${ctx.stepIndex}.getToken`,
    label: `obtain a binding token for ${spec.subscriptions.join(', ') || 'all websocket Subscriptions'}`,
    expected: 'a token and a websocket-url from at least one invocation form',
    actual: 'token' in obtained ? `obtained by ${obtained.issued.invocation}` : ctx.redact(describeFailures(obtained.failures)),
    passed: 'token' in obtained,
    level: ctx.levelFor(step.level, 'DEF'),
    // A token is what this scenario needs, not what it tests, unless it is the scenario judging it.
    ...(judgedBy && judgedBy !== ctx.scenario.id ? { prerequisite: { judgedBy } } : { requirement: step.requirement ?? (spec.subscriptions.length > 1 ? 'OP-02' : 'OP-01') }),
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

function alreadyIssued(subscriptions: readonly string[], ctx: ScenarioContext): boolean {
  if (subscriptions.length === 0) return false;
  return [...ctx.tokens.values()].some((t) => t.invocation !== 'forged' && subscriptions.every((s) => t.subscriptions.includes(s)));
}

/** A pinned invocation is judged by its scenario; otherwise by what the number of Subscriptions needs. */
function judgeOfMissingToken(spec: GetTokenStep['getToken'], failures: readonly TokenAttemptFailure[], ctx: ScenarioContext): string {
  const { learned, fhirVersion } = ctx.target;
  if (failures.length === 1) return judgeOfInvocation(failures[0]!.invocation, learned, fhirVersion);
  if (spec.via === 'type' && spec.subscriptions.length === 1) return judgeOfInvocation('type-post', learned, fhirVersion);
  return judgeOfTokenFor(spec.subscriptions.length, learned, fhirVersion);
}

/** Tries the invocations in discovery's order (resolve-invocation.ts); never throws. */
export async function obtainToken(
  ctx: ScenarioContext,
  subscriptions: string[],
  via?: Via,
): Promise<{ token: string; issued: IssuedToken & { invocation: Invocation }; result: HttpResult } | { failures: TokenAttemptFailure[] }> {
  const obtained = await requestToken(ctx.http, subscriptions, tokenInvocationOrder(subscriptions.length, via, ctx.target.learned));
  if (!obtained.ok) return { failures: obtained.failures };
  ctx.addSecret(obtained.issued.token);
  return { token: obtained.issued.token, issued: obtained.issued, result: obtained.result };
}

function bindToken(ctx: ScenarioContext, name: string, issued: IssuedToken): void {
  ctx.addSecret(issued.token);
  ctx.tokens.set(issued.token, issued);
  ctx.vars.set(name, { ...issued });
  ctx.profile.tokenLifetimeSeconds ??= issued.lifetimeMs !== undefined ? Math.round(issued.lifetimeMs / 1000) : undefined;
  ctx.profile.tokenKind ??= tokenKind(issued.token);
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
  ctx.tokens.set(forged.token, { token: forged.token, subscriptions: original?.subscriptions ?? [], invocation: 'forged', forgery: forged.description });
  ctx.vars.set(spec.as, forged.token);
}
