/**
 * The bind message's wire form is not defined by the spec (DIGEST §4.4): the field uses
 * `bind-with-token <t>`, `bind-with-token: <t>` and Medplum's JSON. No form is canonical; a server
 * accepting any one passes. The run learns a working form once (per worker) with fresh tokens on
 * throwaway sockets, so a probe never consumes a scenario's own single-use token.
 */
import { interpolateValue } from '../../checks/interpolate.js';
import { WsClient, type Frame } from '../../net/ws-client.js';
import { normalizeNotification } from '../../notifications/normalize.js';
import type { BindForm, BindFormsStep } from '../../scenario/model.js';
import { describeDuration } from '../describe.js';
import type { ScenarioContext } from '../scenario-context.js';
import { obtainToken } from './token-steps.js';

export const BIND_FORMS: BindForm[] = ['space', 'colon', 'json'];

export function bindMessage(form: BindForm, token: string): string {
  switch (form) {
    case 'space': return `bind-with-token ${token}`;
    case 'colon': return `bind-with-token: ${token}`;
    case 'json': return JSON.stringify({ type: 'bind-with-token', payload: { token } });
  }
}

/** The form to use: pinned by the step or config, else learned once per target (worker). */
export async function resolveBindForm(form: BindForm | 'auto', token: string, ctx: ScenarioContext): Promise<BindForm> {
  if (form !== 'auto') return form;
  if (ctx.target.config.bindForm !== 'auto') return ctx.target.config.bindForm;
  if (ctx.target.learned.bindForm) return ctx.target.learned.bindForm;
  // Any websocket Subscription will do: the form is a property of the server, not of one token.
  const subscriptions = ctx.tokens.get(token)?.subscriptions.filter(Boolean) ?? [];
  const probeWith = subscriptions.length > 0 ? subscriptions : [...ctx.fixtures.values()].filter((f) => f.channel === 'websocket').map((f) => f.id).slice(0, 1);
  if (probeWith.length === 0) {
    ctx.transcript.note('no websocket Subscription to learn the bind form with; using "space"');
    return 'space';
  }
  let learning = learningByTarget.get(ctx.target);
  if (!learning) {
    learning = learnBindForm(probeWith, ctx);
    learningByTarget.set(ctx.target, learning);
  }
  const learned = await learning;
  if (!learned) {
    learningByTarget.delete(ctx.target); // let a later scenario try again (the server may recover)
    ctx.transcript.note('no bind form yielded a handshake while probing; using "space"');
    return 'space';
  }
  return learned;
}

/** Concurrent scenarios share one probe instead of each probing the server. */
const learningByTarget = new WeakMap<object, Promise<BindForm | undefined>>();

export async function learnBindForm(subscriptions: string[], ctx: ScenarioContext): Promise<BindForm | undefined> {
  for (const candidate of BIND_FORMS) {
    const probe = await probeForm(candidate, subscriptions, ctx);
    if (probe.accepted) {
      ctx.target.learned.bindForm ??= candidate;
      ctx.transcript.note(`bind form "${candidate}" learned for this run`);
      return ctx.target.learned.bindForm;
    }
    // Without a token no form can be told apart: asking for two more would only repeat the wait.
    if (!probe.tokenObtained) return undefined;
  }
  return undefined;
}

interface ProbeResult { accepted: boolean; detail: string; tokenObtained: boolean }

/** One fresh token, one fresh socket, one bind in the given form: did a handshake come? */
export async function probeForm(form: BindForm, subscriptions: string[], ctx: ScenarioContext, withinMs = ctx.target.config.timeouts.handshakeMs): Promise<ProbeResult> {
  const obtained = await obtainToken(ctx, subscriptions);
  if (!('token' in obtained)) return { accepted: false, tokenObtained: false, detail: `no token: ${ctx.redact(obtained.attempts.join('; '))}` };
  const { issued } = obtained;
  const { client, error } = await WsClient.connect(issued.websocketUrl!, { name: `probe-${form}`, timeoutMs: ctx.target.config.timeouts.connectMs, transcript: ctx.transcript });
  if (!client) return { accepted: false, tokenObtained: true, detail: `connect failed: ${ctx.redact(error ?? '')}` };
  try {
    client.send(bindMessage(form, issued.token));
    // A handshake accepts the form; an OperationOutcome (or a close) refuses it: no need to wait on.
    const decisive = (frame: Frame) => isHandshake(frame) || isOperationOutcome(frame);
    const waited = await client.waitFor(decisive, { count: 1, withinMs, since: 'last-send' });
    const accepted = waited.matched.some(isHandshake);
    const detail = accepted ? 'handshake received' : waited.matched.length > 0 ? 'refused with an OperationOutcome' : waited.closed ? `socket closed (${waited.closed.code})` : `no handshake within ${describeDuration(withinMs)}`;
    return { accepted, tokenObtained: true, detail };
  } finally {
    client.terminate();
  }
}

const isHandshake = (frame: Frame) => normalizeNotification(frame.json)?.type === 'handshake';
/** An OperationOutcome with an error (a warning or information may precede a handshake). */
const isOperationOutcome = (frame: Frame) => {
  const json = frame.json as { resourceType?: unknown; issue?: Array<{ severity?: unknown }> } | undefined;
  return json?.resourceType === 'OperationOutcome' && (json.issue ?? []).some((i) => i?.severity === 'error' || i?.severity === 'fatal');
};

export async function runBindFormsStep(step: BindFormsStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step.bindForms, ctx.vars) as BindFormsStep['bindForms'];
  const results = await Promise.all(BIND_FORMS.map(async (form) => ({ form, ...(await probeForm(form, [spec.subscription], ctx, spec.within ?? ctx.target.config.timeouts.handshakeMs)) })));
  const accepted = results.filter((r) => r.accepted).map((r) => r.form);
  ctx.profile.bindForms = accepted;
  if (accepted.length > 0) ctx.target.learned.bindForm ??= accepted[0];
  ctx.addCheck({
    id: `step${ctx.stepIndex}.bindForms`,
    label: 'the server accepts at least one bind-with-token form',
    expected: 'a handshake for one of: bind-with-token <t>, bind-with-token: <t>, {"type":"bind-with-token",…}',
    actual: results.map((r) => `${r.form}: ${r.detail}`).join('; '),
    passed: accepted.length > 0,
    level: ctx.levelFor(step.level, 'DEF'),
    requirement: step.requirement ?? 'WS-18',
  });
}
