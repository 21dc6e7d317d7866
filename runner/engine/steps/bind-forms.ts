/**
 * Which bind form a bind uses, and the bindForms step that judges them. Discovery probed the three
 * forms once for the run (learn-protocol.ts), each with a fresh token on a fresh socket; no
 * scenario probes again. The wire forms themselves live in protocol/bind-message.ts.
 */
import type { CheckRecord } from '../../checks/check-record.js';
import { interpolateValue } from '../../checks/interpolate.js';
import { BIND_FORMS, BIND_FORM_SHAPES } from '../../protocol/bind-message.js';
import { probeBindForm, type BindFormProbe } from '../../protocol/probe-bind-form.js';
import type { BindForm, BindFormsStep } from '../../scenario/model.js';
import { describeDuration } from '../describe.js';
import { bindTiming } from '../bind-timing.js';
import { judgeOfTokenFor } from '../invocation-judges.js';
import { tokenInvocationOrder } from '../resolve-invocation.js';
import type { ScenarioContext } from '../scenario-context.js';

/** Re-exported for the ws.bind step: the wire form itself is protocol/bind-message.ts's. */
export { bindMessage } from '../../protocol/bind-message.js';

export const FORMS_JUDGE = 'binding.forms.accepted';

/** What a bind-form check expects, short enough for a terminal line; the shapes go in the note. */
const EXPECTED_FORMS = `a handshake after ${BIND_FORMS.slice(0, -1).join(', ')} or ${BIND_FORMS.at(-1)}`;
/** Said when no form got a handshake: what was sent, and the two requirements it may be. */
const NONE_ACCEPTED_NOTE = 'a server that sends no handshake (WS-04) and one that reads none of the forms (WS-18) look alike on the wire; '
  + `the forms sent: ${BIND_FORMS.map((f) => `${f} ${BIND_FORM_SHAPES[f]}`).join(' · ')}`;

/**
 * The form to use: the step's, else the run's (pinned in the config, or learned in discovery).
 * With none known — or one pinned while discovery's probe saw no form at all yield a handshake —
 * the bind cannot be judged: a failed prerequisite check (judged by binding.forms.accepted) stops
 * the scenario as blocked, the same outcome whether the form is pinned or not; the pinned form
 * (else "space") is sent meanwhile.
 */
export async function resolveBindForm(form: BindForm | 'auto', _token: string, ctx: ScenarioContext): Promise<BindForm> {
  if (form !== 'auto') return form;
  const { learned } = ctx.target;
  if (learned.bindForm && !probedAndNoneAccepted(learned.bindForms)) return learned.bindForm;
  ctx.addCheck({
    id: `step${ctx.stepIndex}.bindForm`,
    label: 'a bind form that yields a handshake, learned in discovery',
    expected: EXPECTED_FORMS,
    actual: ctx.redact(learned.notes.join('; ') || 'discovery learned no bind form'),
    passed: false,
    level: 'DEF',
    ...(ctx.scenario.id !== FORMS_JUDGE ? { prerequisite: { judgedBy: FORMS_JUDGE } } : {}),
  });
  return learned.bindForm ?? 'space';
}

/** Discovery tried every form (each had a token and a socket) and none gave a handshake. */
function probedAndNoneAccepted(probes: readonly BindFormProbe[]): boolean {
  return probes.length > 0 && probes.every((probe) => !probe.accepted && !probe.untried);
}

/**
 * Judges from discovery's probe when there was one (the same evidence for the whole run); probes
 * once itself only when discovery could not (no Subscription to learn with at the time). When no
 * form could be tried (untriedPrerequisite below) the forms are not judged, not refused.
 */
export async function runBindFormsStep(step: BindFormsStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step.bindForms, ctx.vars) as BindFormsStep['bindForms'];
  const probed = ctx.target.learned.bindForms;
  const results = probed.length > 0 ? probed : await probeHere(spec, ctx);
  ctx.transcript.note(probed.length > 0 ? 'bind forms: judged from the probe made once in discovery, each form with a fresh token on a fresh socket' : 'bind forms: probed here, discovery could not');
  const accepted = results.filter((r) => r.accepted).map((r) => r.form);
  // Forms that could not be tried are unknown, not refused: the profile says nothing rather than "none".
  if (!(results.length > 0 && results.every((r) => r.untried))) ctx.profile.bindForms = accepted;
  ctx.addCheck({
    id: `step${ctx.stepIndex}.bindForms`,
    label: 'a bind-with-token form is accepted',
    expected: EXPECTED_FORMS,
    actual: ctx.redact(describeProbes(results, accepted.length)),
    passed: accepted.length > 0,
    ...(accepted.length === 0 && results.every((r) => !r.untried) ? { note: NONE_ACCEPTED_NOTE } : {}),
    level: ctx.levelFor(step.level, 'DEF'),
    ...untriedPrerequisite(results, accepted.length, ctx, step.requirement),
    expectedValue: [...BIND_FORMS],
    actualValue: accepted,
  });
}

/**
 * "after each form: no handshake within 5 s" when the forms fared alike; otherwise each form with
 * its own answer.
 */
function describeProbes(results: readonly BindFormProbe[], accepted: number): string {
  const details = new Set(results.map((r) => r.detail));
  if (accepted === 0 && details.size === 1) return `after each form: ${results[0]!.detail}`;
  return results.map((r) => `${r.form}: ${r.detail}`).join('; ');
}

/**
 * No form could be tried (no token was issued, the websocket-url did not open): nothing is known
 * about the forms, so the judgement is blocked by the scenario that judges what was missing.
 */
function untriedPrerequisite(results: readonly BindFormProbe[], accepted: number, ctx: ScenarioContext, requirement: string | undefined): Pick<CheckRecord, 'prerequisite' | 'requirement'> {
  if (accepted > 0) return { requirement: requirement ?? 'WS-18' };
  // A form "refused" only because its token had expired when the harness bound it is not judged.
  const late = results.map((r) => r.unanswered && bindTiming(r.unanswered, r.unanswered.sentAt, 'before-expiration')?.unjudgeable).find(Boolean);
  if (late) return { prerequisite: late.prerequisite };
  const untried = results.map((r) => r.untried);
  if (untried.some((cause) => !cause)) return { requirement: requirement ?? 'WS-18' };
  const { learned, fhirVersion } = ctx.target;
  const judgedBy = untried.includes('no-token') ? judgeOfTokenFor(1, learned, fhirVersion)
    : untried.includes('relative-url') ? 'outputs.websocket-url.absolute-ws' : 'binding.returned-url';
  return { prerequisite: { judgedBy } };
}

function probeHere(spec: BindFormsStep['bindForms'], ctx: ScenarioContext): Promise<BindFormProbe[]> {
  const { config, fhirVersion, learned } = ctx.target;
  const setting = {
    http: ctx.http,
    fhirVersion,
    connectMs: config.timeouts.connectMs,
    withinMs: spec.within ?? config.timeouts.handshakeMs,
    describeDuration,
    transcript: ctx.transcript,
    onToken: (token: string) => ctx.addSecret(token),
  };
  const order = tokenInvocationOrder(1, 'auto', learned);
  return Promise.all(BIND_FORMS.map((form) => probeBindForm(form, [spec.subscription], order, setting)));
}
