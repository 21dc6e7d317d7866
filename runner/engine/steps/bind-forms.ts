/**
 * The bind message's wire form is not defined by the spec (DIGEST §4.4): the field uses
 * `bind-with-token <t>`, `bind-with-token: <t>` and Medplum's JSON. No form is canonical; a server
 * accepting any one passes. The run learns a working form once (per worker) with fresh tokens on
 * throwaway sockets, so a probe never consumes a scenario's own single-use token.
 */
import type { CheckRecord } from '../../checks/check-record.js';
import { interpolateValue } from '../../checks/interpolate.js';
import { WsClient, type Frame } from '../../net/ws-client.js';
import { normalizeNotification } from '../../notifications/normalize.js';
import type { BindForm, BindFormsStep } from '../../scenario/model.js';
import { describeDuration } from '../describe.js';
import type { ScenarioContext } from '../scenario-context.js';
import { bindTiming } from '../bind-timing.js';
import { obtainToken } from './token-steps.js';

export const BIND_FORMS: BindForm[] = ['space', 'colon', 'json'];

export function bindMessage(form: BindForm, token: string): string {
  switch (form) {
    case 'space': return `bind-with-token ${token}`;
    case 'colon': return `bind-with-token: ${token}`;
    case 'json': return JSON.stringify({ type: 'bind-with-token', payload: { token } });
  }
}

/**
 * The form to use: pinned by the step or config, else the one discovery learned. A scenario never
 * probes: three forms with a handshake timeout each outlast a short-lived token, and the bind that
 * follows would be the harness's lateness, not the server's refusal (binding.forms.accepted judges
 * the forms).
 */
export async function resolveBindForm(form: BindForm | 'auto', _token: string, ctx: ScenarioContext): Promise<BindForm> {
  if (form !== 'auto') return form;
  if (ctx.target.config.bindForm !== 'auto') return ctx.target.config.bindForm;
  if (ctx.target.learned.bindForm) return ctx.target.learned.bindForm;
  ctx.transcript.note('discovery learned no bind form (none yielded a handshake); using "space"');
  return 'space';
}

export async function learnBindForm(subscriptions: string[], ctx: ScenarioContext): Promise<BindForm | undefined> {
  for (const candidate of BIND_FORMS) {
    if ((await probeForm(candidate, subscriptions, ctx)).accepted) {
      ctx.target.learned.bindForm ??= candidate;
      ctx.transcript.note(`bind form "${candidate}" learned for this run`);
      return ctx.target.learned.bindForm;
    }
  }
  return undefined;
}

/** unjudged: the bind left at a moment that cannot judge the form (the token was expired by then: bind-timing.ts). */
interface ProbeResult { accepted: boolean; detail: string; unjudged?: NonNullable<CheckRecord['prerequisite']> }

/** One fresh token, one fresh socket, one bind in the given form: did a handshake come? */
export async function probeForm(form: BindForm, subscriptions: string[], ctx: ScenarioContext, withinMs = ctx.target.config.timeouts.handshakeMs): Promise<ProbeResult> {
  const obtained = await obtainToken(ctx, subscriptions);
  if (!('token' in obtained)) return { accepted: false, detail: `no token: ${ctx.redact(obtained.attempts.join('; '))}` };
  const { issued } = obtained;
  const { client, error } = await WsClient.connect(issued.websocketUrl!, { name: `probe-${form}`, timeoutMs: ctx.target.config.timeouts.connectMs, transcript: ctx.transcript });
  if (!client) return { accepted: false, detail: `connect failed: ${ctx.redact(error ?? '')}` };
  try {
    const sentAt = Date.now();
    client.send(bindMessage(form, issued.token));
    // A handshake accepts the form; an OperationOutcome (or a close) refuses it: no need to wait on.
    const decisive = (frame: Frame) => isHandshake(frame) || isOperationOutcome(frame);
    const waited = await client.waitFor(decisive, { count: 1, withinMs, since: 'last-send' });
    const accepted = waited.matched.some(isHandshake);
    const detail = accepted ? 'handshake received' : waited.matched.length > 0 ? 'refused with an OperationOutcome' : waited.closed ? `socket closed (${waited.closed.code})` : `no handshake within ${describeDuration(withinMs)}`;
    const late = accepted ? undefined : bindTiming(issued, sentAt, 'before-expiration')?.unjudgeable;
    return late ? { accepted, detail: `${detail}, not judged: ${late.why}`, unjudged: late.prerequisite } : { accepted, detail };
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
    // No form accepted, and some bind left when its token had expired: the harness was late, not judged.
    ...(accepted.length === 0 && results.some((r) => r.unjudged) ? { prerequisite: results.find((r) => r.unjudged)!.unjudged } : {}),
  });
}
