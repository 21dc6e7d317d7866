/**
 * Websocket steps: connect to a URL, send frames, bind a token, and expect (or expect the absence
 * of) matching frames. Waits resolve as soon as they are met; on timeout the check lists
 * everything that did arrive.
 */
import { REPLAY_NOTES } from '../../evidence/replay-script.js';
import { interpolate, interpolateValue } from '../../checks/interpolate.js';
import { harnessError } from '../../errors.js';
import { WsClient, type Frame } from '../../net/ws-client.js';
import { normalizeNotification, type NotificationView } from '../../notifications/normalize.js';
import { validateNotification } from '../../notifications/validate.js';
import type {
  Expectation, NotificationRuleGroup, WsBindStep, WsCloseStep, WsConnectStep, WsExpectCloseStep, WsExpectNoneStep, WsExpectStep, WsSendStep,
} from '../../scenario/model.js';
import { describeDuration } from '../describe.js';
import { assertionCheck } from '../http-expectations.js';
import { bindTiming } from '../bind-timing.js';
import type { ScenarioContext } from '../scenario-context.js';
import { applyCaptures } from './captures.js';
import { bindMessage, resolveBindForm } from './bind-forms.js';
import { groupsFor } from './delivery-window.js';
import { describeAbsence, describeExpectedCount, describeFrames, describeServerClose, frameMatches } from './frame-matching.js';

export async function runWsConnectStep(step: WsConnectStep, ctx: ScenarioContext): Promise<void> {
  const spec = step['ws.connect'];
  const url = interpolate(spec.url, ctx.vars);
  const { client, error } = await WsClient.connect(url, {
    name: spec.as,
    timeoutMs: spec.timeout ?? ctx.target.config.timeouts.connectMs,
    transcript: ctx.transcript,
  });
  ctx.addCheck({
    id: `step${ctx.stepIndex}.connect`,
    label: `open a websocket to ${ctx.redact(url)}`,
    expected: 'a completed websocket upgrade (101)',
    actual: client ? 'connected' : ctx.redact(error ?? 'failed'),
    passed: !!client,
    level: ctx.levelFor(step.level, 'DEF'),
    ...(!client && !URL.canParse(url) && ctx.scenario.id !== WEBSOCKET_URL_JUDGE
      ? { prerequisite: { judgedBy: WEBSOCKET_URL_JUDGE } }
      : { requirement: step.requirement ?? 'WS-02' }),
  });
  if (client) {
    ctx.sockets.set(spec.as, client);
    ctx.vars.set(spec.as, { url });
  }
}

/**
 * Judges the form of the websocket-url the operation returned: a URL that is not absolute cannot be
 * opened at all, so a connect to one is blocked by that scenario rather than failed.
 */
const WEBSOCKET_URL_JUDGE = 'outputs.websocket-url.absolute-ws';

export function socketFor(ctx: ScenarioContext, name: string): WsClient {
  const socket = ctx.sockets.get(name);
  if (!socket) throw harnessError('FWC_ERR_SCENARIO_UNDEFINED_VARIABLE', `no open socket named "${name}" (ws.connect it first)`, ctx.scenario.location);
  return socket;
}

export async function runWsSendStep(step: WsSendStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['ws.send'], ctx.vars) as WsSendStep['ws.send'];
  const socket = socketFor(ctx, spec.socket);
  if (spec.binaryBase64 !== undefined) socket.sendBinary(Buffer.from(spec.binaryBase64, 'base64'));
  else socket.send(spec.json !== undefined ? JSON.stringify(spec.json) : (spec.text ?? ''));
}

export async function runWsBindStep(step: WsBindStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['ws.bind'], ctx.vars) as WsBindStep['ws.bind'];
  const socket = socketFor(ctx, spec.socket);
  const form = await resolveBindForm(spec.form ?? 'auto', spec.token, ctx);
  const sentAt = Date.now();
  const sent = socket.send(bindMessage(form, spec.token));
  if (!sent.sent) ctx.transcript.note(`bind on ${spec.socket} not sent: ${sent.error ?? 'socket closed'}`);
  recordBindTiming(spec, sentAt, ctx);
}

/**
 * The bind against the token's stated expiration, and what a forged token changed: noted, and
 * remembered for the checks on what follows it.
 */
function recordBindTiming(spec: WsBindStep['ws.bind'], sentAt: number, ctx: ScenarioContext): void {
  const issued = ctx.tokens.get(spec.token);
  if (issued?.forgery) ctx.forgedBinds.set(spec.socket, issued.forgery);
  else ctx.forgedBinds.delete(spec.socket);
  const timing = bindTiming(issued, sentAt, spec.after === 'expiration' ? 'after-expiration' : 'before-expiration');
  ctx.bindTimings.delete(spec.socket);
  if (!timing) return;
  ctx.transcript.note(`${spec.socket}: ${timing.note}`);
  ctx.bindTimings.set(spec.socket, timing);
}

export async function runWsExpectStep(step: WsExpectStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['ws.expect'], ctx.vars) as WsExpectStep['ws.expect'];
  const socket = socketFor(ctx, spec.socket);
  const count = spec.count ?? 1;
  const within = spec.within ?? ctx.target.config.timeouts.handshakeMs;
  const predicate = (frame: Frame) => frameMatches(frame, spec.match);
  const waited = await socket.waitFor(predicate, { count, withinMs: within, since: spec.since ?? 'last-send', fullWindow: spec.exactly });
  const level = ctx.levelFor(step.level);
  const what = describeExpectedCount(spec.match, count, spec.exactly, describeDuration(within));
  const met = spec.exactly ? waited.matchedCount === count : waited.met;
  ctx.addCheck(ctx.withBindNote(spec.socket, {
    id: `step${ctx.stepIndex}.frames`,
    label: `frames on ${spec.socket}`,
    expected: what,
    actual: met ? `${waited.matchedCount} matching` : describeShortfall(waited.matchedCount, describeFrames(waited.all, (s) => ctx.redact(s))) + describeServerClose(waited.closed, (s) => ctx.redact(s)),
    passed: met,
    level,
    requirement: step.requirement,
    expectedValue: count,
    actualValue: waited.matched.length,
  }));
  if (waited.matched.length === 0) return;
  const expectation = step.expect ? (interpolateValue(step.expect, ctx.vars) as Expectation) : undefined;
  if (expectation?.notification) {
    const only = typeof expectation.notification === 'object' ? expectation.notification.rules : undefined;
    validateFrames(waited.matched, socket, step, ctx, only);
  }
  for (const [i, assertion] of (expectation?.body ?? []).entries()) {
    checkEveryFrame(waited.matched, assertion, i, step, ctx);
  }
  applyCaptures(step, waited.matched[0]!.json, ctx);
}

/** "no frames at all", "2 frames: …" (none matched), "1 matching among 3 frames: …". */
function describeShortfall(matched: number, frames: string): string {
  return matched === 0 ? frames : `${matched} matching among ${frames}`;
}

/**
 * Each matched frame is validated against the notification rules of the target's version, with
 * every earlier notification for the same Subscription on this connection as history (counters
 * must be judged against all of them, not only the frames this step matched).
 */
function validateFrames(frames: Frame[], socket: WsClient, step: WsExpectStep, ctx: ScenarioContext, only?: NotificationRuleGroup[]): void {
  const received = socket.frames('open');
  for (const frame of frames) {
    const view = normalizeNotification(frame.json, { fhirVersion: ctx.target.fhirVersion });
    const subscriptionId = view?.subscriptionId ?? '';
    const previous = received
      .filter((earlier) => earlier.index < frame.index)
      .map((earlier) => normalizeNotification(earlier.json, { fhirVersion: ctx.target.fhirVersion }))
      .filter((v): v is NotificationView => v !== null && v.subscriptionId === subscriptionId);
    const content = [...ctx.fixtures.values()].find((f) => f.id === subscriptionId)?.content;
    const groups = groupsFor(frame, view?.type, subscriptionId, ctx, only); // delivery-window.ts: after token expiry
    const issues = validateNotification(frame.json, { fhirVersion: ctx.target.fhirVersion, content, previous, only: groups });
    if (issues.length === 0) {
      ctx.addCheck({
        id: `step${ctx.stepIndex}.frame${frame.index}.shape`,
        label: `frame #${frame.index} is a well-formed ${ctx.target.fhirVersion} notification${only ? ` (${only.join(', ')} rules)` : ''}`,
        expected: 'no issues',
        actual: 'no issues',
        passed: true,
        level: ctx.levelFor(step.level),
        requirement: 'NB-04',
      });
    }
    // Each issue is its own check, with its own level and requirement: no summary check repeats the
    // first of them, so every report names each issue once.
    issues.forEach((issue, n) =>
      ctx.addCheck({
        id: `step${ctx.stepIndex}.frame${frame.index}.${issue.rule}.${n + 1}`,
        label: `frame #${frame.index}: ${issue.message.replace(/\.$/, '')}`,
        expected: issue.expected,
        actual: ctx.redact(issue.actual),
        passed: false,
        level: issue.level,
        requirement: issue.requirement,
      }),
    );
  }
}

function checkEveryFrame(frames: Frame[], assertion: NonNullable<NonNullable<WsExpectStep['expect']>['body']>[number], i: number, step: WsExpectStep, ctx: ScenarioContext): void {
  const scope = { ctx, level: ctx.levelFor(step.level), requirement: step.requirement, idPrefix: `step${ctx.stepIndex}` };
  const results = frames.map((frame) => assertionCheck(assertion, frame.json, `step${ctx.stepIndex}.frames.body${i + 1}`, scope, scope));
  ctx.addCheck(results.find((r) => !r.passed) ?? results[0]!);
}

export async function runWsExpectNoneStep(step: WsExpectNoneStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['ws.expectNone'], ctx.vars) as WsExpectNoneStep['ws.expectNone'];
  const socket = socketFor(ctx, spec.socket);
  const window = spec.for ?? ctx.target.config.timeouts.silenceMs;
  const waited = await socket.expectNone((frame: Frame) => frameMatches(frame, spec.match), { forMs: window, since: spec.since ?? 'last-send' });
  const closedBeforeWindowEnded = waited.closed !== undefined && !waited.closed.byClient;
  ctx.addCheck(ctx.withBindNote(spec.socket, {
    id: `step${ctx.stepIndex}.none`,
    label: `${describeAbsence(spec.match)} on ${spec.socket}`,
    expected: `none within ${describeDuration(window)}`,
    actual: waited.ok ? `none (${describeFrames(waited.all, (s) => ctx.redact(s))})` : describeFrames(waited.offending, (s) => ctx.redact(s)),
    passed: waited.ok,
    level: ctx.levelFor(step.level),
    requirement: step.requirement,
    expectedValue: 0,
    actualValue: waited.offending.length,
  }));
  const reaction = describeRefusal(waited.all, closedBeforeWindowEnded);
  if (reaction !== 'other-frames') ctx.profile.badTokenReaction ??= reaction;
}

/** How the server reacted to a bind that must not succeed: recorded, never judged. */
function describeRefusal(frames: Frame[], closed: boolean): string {
  if (frames.some((f) => (f.json as { resourceType?: unknown } | undefined)?.resourceType === 'OperationOutcome')) return 'operation-outcome';
  if (closed) return 'close';
  return frames.length === 0 ? 'silence' : 'other-frames';
}

export async function runWsExpectCloseStep(step: WsExpectCloseStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['ws.expectClose'], ctx.vars) as WsExpectCloseStep['ws.expectClose'];
  const socket = socketFor(ctx, spec.socket);
  const { closed, info } = await socket.waitForClose(spec.within);
  ctx.addCheck({
    id: `step${ctx.stepIndex}.close`,
    label: `${spec.socket} is closed by the server`,
    expected: `a close within ${describeDuration(spec.within)}`,
    actual: closed ? `closed (code ${info?.code ?? '?'})` : 'still open',
    passed: closed,
    level: ctx.levelFor(step.level),
    requirement: step.requirement,
  });
}

export async function runWsCloseStep(step: WsCloseStep, ctx: ScenarioContext): Promise<void> {
  const { socket: name, abrupt } = step['ws.close'];
  const socket = socketFor(ctx, name);
  ctx.transcript.note(REPLAY_NOTES.closed(name, !!abrupt));
  if (abrupt) socket.terminate(); // the TCP connection goes, no close frame: what the server sees of a vanished client
  // A scenario step's close waits for the server's close frame as long as a connect may take: every
  // frame the server sent before it is then read (continues: counts on that), even on a busy machine.
  else await socket.close(1000, '', ctx.target.config.timeouts.connectMs);
  ctx.sockets.delete(name);
  ctx.closedSockets.set(name, socket);
}

