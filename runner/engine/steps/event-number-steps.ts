/**
 * ws.events and subscription.query: the steps that follow a Subscription's events across
 * connections. Event numbers are read through the notification normalizer, so one scenario serves
 * R4 (Parameters), R4B and R5 alike. NB-05: numbers continue per Subscription, a reconnect
 * included; $status counts every event, also those no socket received; $events (MAY) returns the
 * missed ones. A 4xx to $status / $events means "not offered": the scenario is skipped, saying so.
 *
 * `continues: <closed socket>` measures against everything that socket received for the
 * Subscription, not against one event the scenario waited for: other scenarios' events on the same
 * topic raise the numbers, so only the socket's last number makes the lower bounds exact.
 */
import { interpolateValue } from '../../checks/interpolate.js';
import { harnessError, ScenarioSkip } from '../../errors.js';
import type { Frame, WsClient } from '../../net/ws-client.js';
import { matchesSubscription, normalizeNotification, type NotificationView } from '../../notifications/normalize.js';
import type { SubscriptionQueryStep, WsEventsStep } from '../../scenario/model.js';
import { plural } from '../../plural.js';
import { describeDuration } from '../describe.js';
import type { ScenarioContext } from '../scenario-context.js';
import { describeFrames } from './frame-matching.js';
import { socketFor } from './ws-steps.js';

interface NumberedEvent {
  number: number;
  focus?: string;
}

/** What an earlier connection received for one Subscription: the numbering the next one continues. */
interface EarlierConnection {
  socket: string;
  events: NumberedEvent[];
  first: number;
  last: number;
}

export async function runWsEventsStep(step: WsEventsStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['ws.events'], ctx.vars) as WsEventsStep['ws.events'];
  const socket = socketFor(ctx, spec.socket);
  const count = spec.count ?? 1;
  const within = spec.within ?? ctx.target.config.timeouts.handshakeMs;
  const isWanted = (frame: Frame) => eventsIn(frame.json, ctx, spec.subscription, spec.focus).length > 0;
  const waited = await socket.waitFor(isWanted, { count, withinMs: within, since: spec.since ?? 'last-send' });
  const numbers = waited.matched.flatMap((frame) => eventsIn(frame.json, ctx, spec.subscription, spec.focus)).map((event) => event.number);
  const about = `event notifications for Subscription ${spec.subscription}${spec.focus ? ` about ${spec.focus}` : ''}`;
  ctx.addCheck({
    id: `step${ctx.stepIndex}.events`,
    label: `${about} on ${spec.socket}`,
    expected: `${count === 1 ? 'one' : `${count} or more`} within ${describeDuration(within)}`,
    actual: waited.met
      ? `${waited.matched.length}, numbered ${numbers.join(', ') || '(no numbers)'}`
      : `${waited.matched.length === 0 ? 'none' : waited.matched.length}${waited.all.length === 0 ? '; no frames at all' : `, among ${describeFrames(waited.all, (s) => ctx.redact(s))}`}`,
    passed: waited.met,
    level: ctx.levelFor(step.level, 'DEF'),
    requirement: step.requirement,
  });
  if (numbers.length === 0) return;
  ctx.vars.set(spec.as, { first: Math.min(...numbers), last: Math.max(...numbers), count: numbers.length });
  const { earlier, after } = startingPoint(spec, ctx);
  if (after === undefined) return;
  checkContinuity(numbers, after, spec.missed ?? 0, step, ctx, earlier);
  if (earlier) checkNoReusedNumbers(socket, spec, earlier, step, ctx);
}

function checkContinuity(numbers: number[], after: number, missed: number, step: WsEventsStep, ctx: ScenarioContext, earlier?: EarlierConnection): void {
  const floor = after + missed + 1;
  const low = Math.min(...numbers);
  const since = earlier ? `number ${after}, the last ${earlier.socket} received` : `number ${after}`;
  ctx.addCheck({
    id: `step${ctx.stepIndex}.continuity`,
    label: `event numbers continue the Subscription's sequence (${plural(missed, 'event')} happened since ${since})`,
    expected: `every eventNumber ≥ ${floor}`,
    actual: `eventNumber ${numbers.join(', ')}`,
    passed: Number.isFinite(after) && low >= floor,
    level: ctx.levelFor(step.level, 'DEF'),
    requirement: step.requirement ?? 'NB-05',
  });
}

/**
 * A number the earlier connection received may come again only as a repeat of that same event (a
 * replayed backlog, DIGEST §8); a new event under a used number means the count restarted with the
 * connection. Numbers below the earlier connection's first are history it never saw: a replay too.
 */
function checkNoReusedNumbers(socket: WsClient, spec: WsEventsStep['ws.events'], earlier: EarlierConnection, step: WsEventsStep, ctx: ScenarioContext): void {
  const received = socket.frames('open').flatMap((frame) => eventsIn(frame.json, ctx, spec.subscription));
  const seenAs = (event: NumberedEvent) => earlier.events.filter((seen) => seen.number === event.number);
  const reused = received.filter((event) => event.number >= earlier.first && event.number <= earlier.last && !seenAs(event).some((seen) => sameFocus(seen, event)));
  const describe = (event: NumberedEvent) => `${event.number} about ${event.focus ?? 'no focus'}`;
  const range = earlier.first === earlier.last ? `number ${earlier.first}` : `numbers ${earlier.first}–${earlier.last}`;
  ctx.addCheck({
    id: `step${ctx.stepIndex}.continuity.reused`,
    label: `${spec.socket} gives no new event a number ${earlier.socket} already received (${range}): numbers count per Subscription, not per connection`,
    expected: `every eventNumber above ${earlier.last}, or a repeat of the event ${earlier.socket} received under it`,
    actual: reused.length === 0
      ? `eventNumber ${listed(received.map((event) => event.number))}`
      : listed(reused.map((event) => `${describe(event)}, which on ${earlier.socket} was ${seenAs(event).map(describe).join(' and ') || 'not received'}`), '; '),
    passed: reused.length === 0,
    level: ctx.levelFor(step.level, 'DEF'),
    requirement: step.requirement ?? 'NB-05',
  });
}

/** The first few items, then how many more: a socket may have received thousands of events. */
function listed(items: ReadonlyArray<string | number>, separator = ', ', shown = 12): string {
  const more = items.length > shown ? `${separator}… ${items.length - shown} more` : '';
  return `${items.slice(0, shown).join(separator)}${more}`;
}

/** The events a frame carries for the Subscription (and focus); [] when it is no such notification. */
function eventsIn(json: unknown, ctx: ScenarioContext, subscription: string, focus?: string): NumberedEvent[] {
  const view = json === undefined ? null : normalizeNotification(json, { fhirVersion: ctx.target.fhirVersion });
  if (!view || view.type !== 'event-notification' || !matchesSubscription(view, subscription)) return [];
  return eventsOf(view)
    .filter((event) => !focus || event.focus === focus || event.focus?.endsWith(`/${focus}`))
    .map((event) => ({ number: Number(event.eventNumber), ...(event.focus ? { focus: event.focus } : {}) }))
    .filter((event) => Number.isFinite(event.number));
}

/** Same resource whether written relative or absolute; events without a focus (empty content) cannot differ. */
function sameFocus(a: NumberedEvent, b: NumberedEvent): boolean {
  if (a.focus === undefined || b.focus === undefined) return true;
  const key = (focus: string) => focus.split('/').slice(-2).join('/');
  return key(a.focus) === key(b.focus);
}

/** The number the step measures from: `after` as written, or the last one the `continues` socket received. */
function startingPoint(spec: { subscription: string; after?: string; continues?: string }, ctx: ScenarioContext): { earlier?: EarlierConnection; after?: number } {
  if (spec.continues !== undefined) {
    const earlier = earlierConnection(ctx, spec.continues, spec.subscription);
    return { earlier, after: earlier.last };
  }
  return spec.after === undefined ? {} : { after: Number(spec.after) };
}

/** Everything a socket (closed by now, or still open) received for the Subscription. */
function earlierConnection(ctx: ScenarioContext, name: string, subscription: string): EarlierConnection {
  const socket = ctx.closedSockets.get(name) ?? ctx.sockets.get(name);
  if (!socket) throw harnessError('FWC_ERR_SCENARIO_UNDEFINED_VARIABLE', `continues: no socket named "${name}" (ws.connect it earlier)`, ctx.scenario.location);
  const events = socket.frames('open').flatMap((frame) => eventsIn(frame.json, ctx, subscription));
  if (events.length === 0) {
    throw harnessError('FWC_ERR_SCENARIO_UNDEFINED_VARIABLE', `continues: ${name} received no numbered event for Subscription ${subscription}; a ws.events step on it must come first`, ctx.scenario.location);
  }
  const numbers = events.map((event) => event.number);
  return { socket: name, events, first: Math.min(...numbers), last: Math.max(...numbers) };
}

function eventsOf(view: NotificationView): NotificationView['events'] {
  return view.statuses.flatMap((status) => status.events);
}

export async function runSubscriptionQueryStep(step: SubscriptionQueryStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['subscription.query'], ctx.vars) as SubscriptionQueryStep['subscription.query'];
  const { earlier, after } = startingPoint(spec, ctx);
  const query = spec.operation === 'events' && after !== undefined ? { eventsSinceNumber: String(after + 1) } : undefined;
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
  if (spec.operation === 'status') checkStatusCount(view!, { after: after ?? 0, missed: spec.missed ?? 0, ...(earlier ? { socket: earlier.socket } : {}) }, step, ctx);
  else checkReturnedEvents(view!, after ?? 0, Number(spec.before ?? Number.POSITIVE_INFINITY), step, ctx);
}

function checkStatusCount(view: NotificationView, known: { after: number; missed: number; socket?: string }, step: SubscriptionQueryStep, ctx: ScenarioContext): void {
  const atLeast = known.after + known.missed;
  const reason = known.socket ? ` (${known.after} received on ${known.socket} + ${known.missed} missed)` : '';
  const raw = view.eventsSinceSubscriptionStart;
  // 0..1 in SubscriptionStatus (and the R4 Parameters profile): a status without it cannot be judged
  if (raw === undefined) throw new ScenarioSkip('$status answered without eventsSinceSubscriptionStart (0..1): the count cannot be judged');
  const count = raw === undefined ? Number.NaN : Number(raw);
  ctx.addCheck({
    id: `step${ctx.stepIndex}.status.count`,
    label: 'eventsSinceSubscriptionStart counts every event, those missed while disconnected included',
    expected: `at least ${atLeast}${reason}`,
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
