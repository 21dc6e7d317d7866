/**
 * `Subscription/<id>/$status` (SHALL in the backport server CapabilityStatement; R5 too) and
 * `Subscription/<id>/$events` (MAY), GET or POST, instance level only. $status answers a searchset
 * Bundle with the Subscription's status (type query-status, eventsSinceSubscriptionStart counting
 * every event, delivered or not); $events answers the notification Bundle of the kept events
 * (type query-event), filtered by eventsSinceNumber / eventsUntilNumber. Fault status-misses-events
 * counts only the events a socket received.
 */
import { randomUUID } from 'node:crypto';
import type { EventDispatcher } from './event-dispatch.js';
import type { EventHistory } from './event-history.js';
import type { ActiveFaults } from './faults.js';
import { outcomeReply, resourceReply, methodNotAllowed, type Reply } from './fhir-responses.js';
import { formatInstant } from './fhir-primitives.js';
import type { FhirVersion } from './fhir-version.js';
import { buildNotification, type NotificationRequest } from './notifications.js';
import type { FhirResource } from './store.js';
import type { SubscriptionDirectory } from './subscription-directory.js';
import type { SubscriptionModel } from './subscriptions.js';

export const STATUS_OPERATION = '$status';
export const EVENTS_OPERATION = '$events';

export interface StatusOperationContext {
  version: FhirVersion;
  faults: ActiveFaults;
  directory: SubscriptionDirectory;
  dispatcher: EventDispatcher;
  history: EventHistory;
  now: () => number;
  fhirBase: string;
  /** Whether the caller may see this Subscription (ownership). */
  sees: (id: string) => boolean;
}

export function subscriptionStatusOperation(name: string, method: string, id: string, query: URLSearchParams, context: StatusOperationContext): Reply {
  if (method !== 'GET' && method !== 'POST') return methodNotAllowed(method, ['GET', 'POST']);
  const found = context.directory.find(id);
  if (found.state !== 'live' || !context.sees(id)) return outcomeReply(404, 'not-found', `Subscription/${id} is not known`);
  return name === STATUS_OPERATION ? statusReply(found.model, context) : eventsReply(found.model, query, context);
}

function statusReply(subscription: SubscriptionModel, context: StatusOperationContext): Reply {
  const count = context.faults.has('status-misses-events') ? context.history.deliveredCount(subscription.id) : context.dispatcher.eventCount(subscription.id);
  const notification = buildNotification(request(subscription, 'query-status', count, context), context.faults);
  const status = (notification.entry as Array<{ resource: FhirResource }>)[0]!.resource;
  return resourceReply(200, {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'searchset',
    timestamp: formatInstant(context.now()),
    total: 1,
    entry: [{ fullUrl: `urn:uuid:${randomUUID()}`, resource: status, search: { mode: 'match' } }],
  });
}

function eventsReply(subscription: SubscriptionModel, query: URLSearchParams, context: StatusOperationContext): Reply {
  const since = numberParameter(query, 'eventsSinceNumber');
  const until = numberParameter(query, 'eventsUntilNumber');
  if (since === null || until === null) return outcomeReply(400, 'value', 'eventsSinceNumber and eventsUntilNumber must be whole numbers');
  const count = context.dispatcher.eventCount(subscription.id);
  const events = context.history.between(subscription.id, since, until);
  const bundles = events.map((event) => buildNotification({ ...request(subscription, 'query-event', count, context), event }, context.faults));
  if (bundles.length === 0) return resourceReply(200, buildNotification(request(subscription, 'query-event', count, context), context.faults));
  return resourceReply(200, mergeEvents(bundles));
}

/** One Bundle: the first status carrying every event, then every focus entry. */
function mergeEvents(bundles: FhirResource[]): FhirResource {
  const entriesOf = (bundle: FhirResource) => bundle.entry as Array<{ resource?: FhirResource }>;
  const [first, ...rest] = bundles as [FhirResource, ...FhirResource[]];
  const status = entriesOf(first)[0]!.resource!;
  for (const bundle of rest) {
    const other = entriesOf(bundle)[0]!.resource!;
    if (status.resourceType === 'Parameters') {
      const events = (other.parameter as Array<{ name: string }>).filter((p) => p.name === 'notification-event');
      (status.parameter as unknown[]).push(...events);
    } else {
      (status.notificationEvent as unknown[]).push(...((other.notificationEvent as unknown[] | undefined) ?? []));
    }
  }
  return { ...first, entry: [entriesOf(first)[0], ...bundles.flatMap((bundle) => entriesOf(bundle).slice(1))] };
}

function request(subscription: SubscriptionModel, type: 'query-status' | 'query-event', count: number, context: StatusOperationContext): NotificationRequest {
  return { version: context.version, type, subscription, eventsSinceSubscriptionStart: count, fhirBase: context.fhirBase, nowMs: context.now() };
}

/** undefined: absent; null: present but not a whole number. */
function numberParameter(query: URLSearchParams, name: string): number | undefined | null {
  const raw = query.get(name);
  if (raw === null) return undefined;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}
