/**
 * Counter rules: integer64 counters written as JSON strings (DT-06), and the event counter and event
 * numbers moving the way the spec describes (NB-05): no advance on handshakes or heartbeats, event
 * numbers increasing per Subscription, except a backlog replay right after a handshake (project
 * ruling).
 */
import { describeValue } from '../validator/describe-value.js';
import type { NotificationIssue, NotificationRule } from './issue.js';
import { isObject, statusResourceOf, type NotificationView, type StatusView } from './normalize.js';

const INTEGER64 = /^(0|[-+]?[1-9][0-9]*)$/;

/** The raw counters of every status, with where they sit, before any normalising. */
interface RawCounter {
  where: string;
  value: unknown;
  /** R4 Parameters: the value[x] key used (valueString expected). */
  valueKey?: string;
}

export const countersAreStrings: NotificationRule = ({ entries, view, options }) => {
  if (!view) return [];
  const counters = view.statuses.flatMap((status) => rawCounters(entries[status.entryIndex], status.entryIndex));
  return counters.flatMap((counter) => counterIssue(counter, options.fhirVersion));
};

function counterIssue(counter: RawCounter, fhirVersion: string): NotificationIssue[] {
  if (counter.valueKey !== undefined) {
    if (counter.valueKey === 'valueString' && typeof counter.value === 'string') return [];
    return [counterProblem(counter, 'a valueString (the R4 status profile types counters as string)', `${counter.valueKey} ${describeValue(counter.value)}`)];
  }
  if (typeof counter.value !== 'string') {
    const type = fhirVersion === 'R5' ? 'integer64, written in JSON as a string' : 'string';
    return [counterProblem(counter, `a JSON string (${type}), e.g. "3"`, describeValue(counter.value))];
  }
  if (fhirVersion === 'R5' && !INTEGER64.test(counter.value)) {
    return [counterProblem(counter, 'an integer64 string matching [0]|[-+]?[1-9][0-9]*', describeValue(counter.value))];
  }
  return [];
}

function counterProblem(counter: RawCounter, expected: string, actual: string): NotificationIssue {
  return {
    rule: 'DT-06.counter-type',
    requirement: 'DT-06',
    level: 'DEF',
    message: `${counter.where} is an integer64 counter, written as a JSON string.`,
    expected,
    actual,
  };
}

function rawCounters(entry: unknown, entryIndex: number): RawCounter[] {
  const found = statusResourceOf(entry);
  if (!found) return [];
  const where = `entry[${entryIndex}]`;
  if (found.form === 'SubscriptionStatus') {
    const resource = found.resource;
    const events = Array.isArray(resource.notificationEvent) ? resource.notificationEvent.filter(isObject) : [];
    return [
      ...('eventsSinceSubscriptionStart' in resource ? [{ where: `${where} eventsSinceSubscriptionStart`, value: resource.eventsSinceSubscriptionStart }] : []),
      ...events.map((event, i) => ({ where: `${where} notificationEvent[${i}].eventNumber`, value: event.eventNumber })),
    ];
  }
  const parameters = Array.isArray(found.resource.parameter) ? found.resource.parameter.filter(isObject) : [];
  const counterOf = (parameter: Record<string, unknown>, label: string): RawCounter => {
    const valueKey = Object.keys(parameter).find((key) => key.startsWith('value')) ?? '(no value)';
    return { where: `${where} ${label}`, value: parameter[valueKey], valueKey };
  };
  return [
    ...parameters.filter((p) => p.name === 'events-since-subscription-start').map((p) => counterOf(p, 'events-since-subscription-start')),
    ...parameters
      .filter((p) => p.name === 'notification-event')
      .flatMap((p, i) => (Array.isArray(p.part) ? p.part.filter(isObject) : []).filter((part) => part.name === 'event-number').map((part) => counterOf(part, `notification-event[${i}].event-number`))),
  ];
}

/** What the earlier frames on this connection tell about one Subscription's counters. */
interface CounterHistory {
  highestEventNumber?: bigint;
  highestCounter?: bigint;
  /** After a handshake, until a heartbeat or a new event number: replayed numbers are allowed. */
  inBacklog: boolean;
  /** The highest event number seen before the last handshake: replays go up to it. */
  backlogCeiling?: bigint;
}

export const countersAdvanceProperly: NotificationRule = ({ view, options }) => {
  if (!view) return [];
  return view.statuses.flatMap((status) => {
    if (status.subscriptionId === undefined) return [];
    const history = historyFor(status.subscriptionId, options.previous ?? []);
    if (status.type === 'handshake' || status.type === 'heartbeat') return counterStandsStill(status, history);
    if (status.type === 'event-notification') return eventNumbersIncrease(status, history);
    return [];
  });
};

function historyFor(subscriptionId: string, previous: NotificationView[]): CounterHistory {
  const history: CounterHistory = { inBacklog: false };
  for (const earlier of previous) {
    for (const status of earlier.statuses) if (status.subscriptionId === subscriptionId) advance(history, status);
  }
  return history;
}

function advance(history: CounterHistory, status: StatusView): void {
  history.highestCounter = max(history.highestCounter, toBigInt(status.eventsSinceSubscriptionStart));
  if (status.type === 'handshake') {
    history.inBacklog = true;
    history.backlogCeiling = history.highestEventNumber;
  } else if (status.type === 'heartbeat') {
    history.inBacklog = false;
  }
  for (const event of status.events) {
    const number = toBigInt(event.eventNumber);
    if (number === undefined) continue;
    if (history.backlogCeiling === undefined || number > history.backlogCeiling) history.inBacklog = false;
    history.highestEventNumber = max(history.highestEventNumber, number);
  }
}

function counterStandsStill(status: StatusView, history: CounterHistory): NotificationIssue[] {
  const counter = toBigInt(status.eventsSinceSubscriptionStart);
  const ceiling = max(history.highestCounter, history.highestEventNumber);
  if (counter === undefined || ceiling === undefined || counter <= ceiling) return [];
  return [
    {
      rule: `NB-05.counter-on-${status.type}`,
      requirement: 'NB-05',
      level: 'DEF',
      message: `eventsSinceSubscriptionStart does not advance for a ${status.type}: no event was notified on this connection since the count was ${ceiling}.`,
      expected: `eventsSinceSubscriptionStart at most ${ceiling}`,
      actual: `${status.type} with eventsSinceSubscriptionStart ${describeValue(status.eventsSinceSubscriptionStart)}`,
    },
  ];
}

function eventNumbersIncrease(status: StatusView, history: CounterHistory): NotificationIssue[] {
  const issues: NotificationIssue[] = [];
  let highest = history.highestEventNumber;
  let inBacklog = history.inBacklog;
  for (const event of status.events) {
    const number = toBigInt(event.eventNumber);
    if (number === undefined) continue;
    const replay = inBacklog && history.backlogCeiling !== undefined && number <= history.backlogCeiling;
    if (highest !== undefined && number <= highest && !replay) issues.push(eventNumberIssue(number, highest, status.subscriptionId));
    if (history.backlogCeiling === undefined || number > history.backlogCeiling) inBacklog = false;
    highest = max(highest, number);
  }
  return issues;
}

function eventNumberIssue(number: bigint, highest: bigint, subscriptionId: string | undefined): NotificationIssue {
  return {
    rule: 'NB-05.event-number',
    requirement: 'NB-05',
    level: 'DEF',
    message: `Event numbers increase for each Subscription (Subscription ${subscriptionId}); repeating one is allowed only in a backlog replay right after a handshake.`,
    expected: `an eventNumber above ${highest}`,
    actual: `eventNumber ${number}`,
  };
}

function toBigInt(value: string | number | undefined): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && INTEGER64.test(value.trim())) return BigInt(value.trim().replace(/^\+/, ''));
  return undefined;
}

function max(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
