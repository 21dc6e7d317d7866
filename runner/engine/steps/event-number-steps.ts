/**
 * ws.events and subscription.query: the steps that follow a Subscription's events across
 * connections. Event numbers are read through the notification normalizer, so one scenario serves
 * R4 (Parameters), R4B and R5 alike. NB-05: numbers continue per Subscription, a reconnect
 * included; $status counts every event, also those no socket received; $events (MAY) returns the
 * missed ones. A 4xx to $status / $events means "not offered": the scenario is skipped, saying so.
 */
import { interpolateValue } from '../../checks/interpolate.js';
import { ScenarioSkip } from '../../errors.js';
import type { Frame } from '../../net/ws-client.js';
import { matchesSubscription, normalizeNotification, type NotificationView } from '../../notifications/normalize.js';
import type { SubscriptionQueryStep, WsEventsStep } from '../../scenario/model.js';
import { plural } from '../../plural.js';
import { describeDuration } from '../describe.js';
import type { ScenarioContext } from '../scenario-context.js';
import { describeFrames } from './frame-matching.js';
import { socketFor } from './ws-steps.js';

export async function runWsEventsStep(step: WsEventsStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['ws.events'], ctx.vars) as WsEventsStep['ws.events'];
  const socket = socketFor(ctx, spec.socket);
  const count = spec.count ?? 1;
  const within = spec.within ?? ctx.target.config.timeouts.handshakeMs;
  const isWanted = (frame: Frame) => eventNumbersIn(frame.json, ctx, spec.subscription, spec.focus).length > 0;
  const waited = await socket.waitFor(isWanted, { count, withinMs: within, since: spec.since ?? 'last-send' });
  const numbers = waited.matched.flatMap((frame) => eventNumbersIn(frame.json, ctx, spec.subscription, spec.focus));
  const about = `event notifications for Subscription ${spec.subscription}${spec.focus ? ` about ${spec.focus}` : ''}`;
  ctx.addCheck({
    id: `step${ctx.stepIndex}.events`,
    label: `${about} on ${spec.socket}`,
    expected: `${count} or more within ${describeDuration(within)}`,
    actual: waited.met ? `${waited.matched.length}, numbered ${numbers.join(', ') || '(no numbers)'}` : `${waited.matched.length}; received ${describeFrames(waited.all, (s) => ctx.redact(s))}`,
    passed: waited.met,
    level: ctx.levelFor(step.level, 'DEF'),
    requirement: step.requirement,
  });
  if (numbers.length === 0) return;
  ctx.vars.set(spec.as, { first: Math.min(...numbers), last: Math.max(...numbers), count: numbers.length });
  if (spec.after !== undefined) checkContinuity(numbers, Number(spec.after), spec.missed ?? 0, step, ctx);
}

function checkContinuity(numbers: number[], after: number, missed: number, step: WsEventsStep, ctx: ScenarioContext): void {
  const floor = after + missed + 1;
  const low = Math.min(...numbers);
  ctx.addCheck({
    id: `step${ctx.stepIndex}.continuity`,
    label: `event numbers continue the Subscription's sequence (${plural(missed, 'event')} happened since number ${after})`,
    expected: `every eventNumber ≥ ${floor}`,
    actual: `eventNumber ${numbers.join(', ')}`,
    passed: Number.isFinite(after) && low >= floor,
    level: ctx.levelFor(step.level, 'DEF'),
    requirement: step.requirement ?? 'NB-05',
  });
}

/** The event numbers a frame carries for the Subscription (and focus); [] when it is no such event. */
function eventNumbersIn(json: unknown, ctx: ScenarioContext, subscription: string, focus?: string): number[] {
  const view = json === undefined ? null : normalizeNotification(json, { fhirVersion: ctx.target.fhirVersion });
  if (!view || view.type !== 'event-notification' || !matchesSubscription(view, subscription)) return [];
  return eventsOf(view)
    .filter((event) => !focus || event.focus === focus || event.focus?.endsWith(`/${focus}`))
    .map((event) => Number(event.eventNumber))
    .filter((n) => Number.isFinite(n));
}

function eventsOf(view: NotificationView): NotificationView['events'] {
  return view.statuses.flatMap((status) => status.events);
}

export async function runSubscriptionQueryStep(step: SubscriptionQueryStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['subscription.query'], ctx.vars) as SubscriptionQueryStep['subscription.query'];
  const query = spec.operation === 'events' && spec.after !== undefined ? { eventsSinceNumber: String(Number(spec.after) + 1) } : undefined;
  const path = `Subscription/${encodeURIComponent(spec.subscription)}/$${spec.operation}`;
  const result = await ctx.http.request({ method: 'GET', path, ...(query ? { query } : {}) });
  const answer = result.ok ? `${result.status}` : ctx.redact(result.error ?? 'no answer');
  if (result.ok && result.status !== undefined && result.status >= 400 && result.status < 500) {
    ctx.profile[`${spec.operation}Operation`] = 'not-offered';
    throw new ScenarioSkip(`the server does not offer $${spec.operation} (GET ${path} → ${answer})`);
  }
  const view = result.json === undefined ? null : normalizeNotification(result.json, { fhirVersion: ctx.target.fhirVersion });
  const level = ctx.levelFor(step.level, 'DEF');
  const answered = result.ok && result.status !== undefined && result.status < 300 && view !== null && matchesSubscription(view, spec.subscription);
  ctx.addCheck({
    id: `step${ctx.stepIndex}.${spec.operation}`,
    label: `GET ${path} answers a Bundle with the Subscription's status`,
    expected: `2xx, a Bundle whose status names Subscription ${spec.subscription}`,
    actual: answered ? `${answer}, status type ${view!.type}` : `${answer}${view ? `, a status for ${view.subscriptionReference ?? '?'}` : ', no status in the body'}`,
    passed: answered,
    level,
    requirement: step.requirement,
  });
  if (!answered) return;
  ctx.profile[`${spec.operation}Operation`] = 'offered';
  if (spec.operation === 'status') checkStatusCount(view!, Number(spec.after ?? 0) + (spec.missed ?? 0), step, ctx);
  else checkReturnedEvents(view!, Number(spec.after ?? 0), Number(spec.before ?? Number.POSITIVE_INFINITY), step, ctx);
}

function checkStatusCount(view: NotificationView, atLeast: number, step: SubscriptionQueryStep, ctx: ScenarioContext): void {
  const raw = view.eventsSinceSubscriptionStart;
  // 0..1 in SubscriptionStatus (and the R4 Parameters profile): a status without it cannot be judged
  if (raw === undefined) throw new ScenarioSkip('$status answered without eventsSinceSubscriptionStart (0..1): the count cannot be judged');
  const count = raw === undefined ? Number.NaN : Number(raw);
  ctx.addCheck({
    id: `step${ctx.stepIndex}.status.count`,
    label: 'eventsSinceSubscriptionStart counts every event, those missed while disconnected included',
    expected: `at least ${atLeast}`,
    actual: raw === undefined ? 'no eventsSinceSubscriptionStart' : String(raw),
    passed: count >= atLeast,
    level: ctx.levelFor(step.level, 'DEF'),
    requirement: step.requirement,
  });
}

function checkReturnedEvents(view: NotificationView, after: number, before: number, step: SubscriptionQueryStep, ctx: ScenarioContext): void {
  const numbers = eventsOf(view).map((event) => Number(event.eventNumber)).filter((n) => Number.isFinite(n));
  const missed = numbers.filter((n) => n > after && n < before);
  ctx.addCheck({
    id: `step${ctx.stepIndex}.events.missed`,
    label: '$events returns the events missed while disconnected',
    expected: `an event numbered above ${after}${Number.isFinite(before) ? ` and below ${before}` : ''}`,
    actual: numbers.length === 0 ? 'no events' : `events numbered ${numbers.join(', ')}`,
    passed: missed.length > 0,
    level: ctx.levelFor(step.level),
    requirement: step.requirement,
  });
}
