/**
 * Notification bundles, per version and content level:
 * - R5: Bundle.type subscription-notification; first entry a SubscriptionStatus (bdl-13).
 * - R4B: Bundle.type history; first entry a SubscriptionStatus.
 * - R4: Bundle.type history; first entry a Parameters with profile backport-subscription-status-r4.
 * Backport bundles carry entry.request on every entry (bdl-3/4); the status entry's request
 * imitates `GET Subscription/<id>/$status`. Counters are integer64 in R5 and strings in the
 * backport — JSON strings either way.
 * Content: empty → status only, no focus; id-only → focus plus an entry with fullUrl and request;
 * full-resource → focus plus the entry with the resource (a deleted resource: request/response).
 * A combined heartbeat (fault heartbeat-fixed-10s) is one Bundle with the status entry of every
 * Subscription bound on a socket.
 */
import { randomUUID } from 'node:crypto';
import type { SubscriptionEvent } from './event-dispatch.js';
import type { ActiveFaults } from './faults.js';
import { formatInstant } from './fhir-primitives.js';
import type { FhirVersion } from './fhir-version.js';
import type { FhirResource } from './store.js';
import { BACKPORT_SD, type ContentLevel, type SubscriptionModel } from './subscriptions.js';

export type NotificationType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event';

export const BACKPORT_STATUS_R4_PROFILE = `${BACKPORT_SD}/backport-subscription-status-r4`;

export interface NotificationRequest {
  version: FhirVersion;
  type: NotificationType;
  subscription: SubscriptionModel;
  eventsSinceSubscriptionStart: number;
  event?: SubscriptionEvent;
  fhirBase: string;
  nowMs: number;
}

/** The shape decisions the faults may bend; the builder itself is fault-free. */
interface Shape {
  bundleType: string;
  statusType: NotificationType;
  subscriptionRef: string;
  content: ContentLevel;
  withRequests: boolean;
  statusAsParameters: boolean;
  /** eventsSinceSubscriptionStart and topic (both 0..1) are written. */
  withCountersAndTopic: boolean;
}

export function buildNotification(request: NotificationRequest, faults: ActiveFaults): FhirResource {
  const shape = shapeFor(request, faults);
  const entries = [statusEntry(request, shape), ...focusEntries(request, shape)];
  return { resourceType: 'Bundle', id: randomUUID(), type: shape.bundleType, timestamp: formatInstant(request.nowMs), entry: entries };
}

/** One heartbeat Bundle carrying a status entry per Subscription (at least one request). */
export function buildCombinedHeartbeat(requests: NotificationRequest[], faults: ActiveFaults): FhirResource {
  const [first, ...rest] = requests.map((request) => buildNotification({ ...request, type: 'heartbeat' }, faults));
  if (!first) throw new Error('a combined heartbeat needs at least one Subscription');
  const entries = [first, ...rest].flatMap((bundle) => (bundle.entry as unknown[]).slice(0, 1));
  return { ...first, entry: entries };
}

function shapeFor({ version, type, subscription }: NotificationRequest, faults: ActiveFaults): Shape {
  const handshake = type === 'handshake';
  const backport = version !== 'R5';
  return {
    bundleType: handshake && faults.has('handshake-bundle-type') ? 'collection' : backport ? 'history' : 'subscription-notification',
    statusType: handshake && faults.has('handshake-wrong-type') ? 'heartbeat' : type,
    subscriptionRef: `Subscription/${subscription.id}${handshake && faults.has('handshake-wrong-subscription') ? '-other' : ''}`,
    content: faults.has('content-ignored') ? 'full-resource' : subscription.content,
    withRequests: !faults.has('entries-without-request'),
    statusAsParameters: version === 'R4' && !faults.has('status-resource-in-r4'),
    withCountersAndTopic: !faults.has('status-counters-omitted'),
  };
}

function statusEntry(request: NotificationRequest, shape: Shape): Record<string, unknown> {
  const resource = shape.statusAsParameters ? statusParameters(request, shape) : subscriptionStatus(request, shape);
  const backport = request.version !== 'R5';
  return {
    fullUrl: `urn:uuid:${randomUUID()}`,
    resource,
    ...(backport && shape.withRequests
      ? {
          request: { method: 'GET', url: `${request.fhirBase}/Subscription/${request.subscription.id}/$status` },
          response: { status: '200' },
        }
      : {}),
  };
}

function subscriptionStatus(request: NotificationRequest, shape: Shape): FhirResource {
  const event = notificationEvent(request, shape);
  return {
    resourceType: 'SubscriptionStatus',
    id: randomUUID(),
    status: 'active',
    type: shape.statusType,
    ...(shape.withCountersAndTopic ? { eventsSinceSubscriptionStart: String(request.eventsSinceSubscriptionStart) } : {}),
    ...(event ? { notificationEvent: [event] } : {}),
    subscription: { reference: shape.subscriptionRef },
    ...(shape.withCountersAndTopic && isCanonical(request.subscription.topicUrl) ? { topic: request.subscription.topicUrl } : {}),
  };
}

function notificationEvent({ event }: NotificationRequest, shape: Shape): Record<string, unknown> | undefined {
  if (!event) return undefined;
  return {
    eventNumber: String(event.eventNumber),
    timestamp: formatInstant(event.timestampMs),
    ...(shape.content === 'empty' ? {} : { focus: { reference: focusReference(event) } }),
  };
}

/** R4: the same facts as a Parameters resource (backport-subscription-status-r4). */
function statusParameters(request: NotificationRequest, shape: Shape): FhirResource {
  const event = notificationEvent(request, shape);
  const eventParts = event
    ? [
        {
          name: 'notification-event',
          part: [
            { name: 'event-number', valueString: event.eventNumber },
            { name: 'timestamp', valueInstant: event.timestamp },
            ...(event.focus ? [{ name: 'focus', valueReference: event.focus }] : []),
          ],
        },
      ]
    : [];
  return {
    resourceType: 'Parameters',
    id: randomUUID(),
    meta: { profile: [BACKPORT_STATUS_R4_PROFILE] },
    parameter: [
      { name: 'subscription', valueReference: { reference: shape.subscriptionRef } },
      ...(shape.withCountersAndTopic && isCanonical(request.subscription.topicUrl) ? [{ name: 'topic', valueCanonical: request.subscription.topicUrl }] : []),
      { name: 'status', valueCode: 'active' },
      { name: 'type', valueCode: shape.statusType },
      ...(shape.withCountersAndTopic ? [{ name: 'events-since-subscription-start', valueString: String(request.eventsSinceSubscriptionStart) }] : []),
      ...eventParts,
    ],
  };
}

/** A criteria that is a resource type (variant criteria-resource-type) is no topic canonical. */
function isCanonical(topicUrl: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(topicUrl);
}

function focusEntries({ event, fhirBase }: NotificationRequest, shape: Shape): Array<Record<string, unknown>> {
  if (!event || shape.content === 'empty') return [];
  const reference = focusReference(event);
  const deleted = event.interaction === 'delete';
  const entry: Record<string, unknown> = { fullUrl: `${fhirBase}/${reference}` };
  if (shape.content === 'full-resource' && !deleted) entry.resource = event.focus;
  if (shape.withRequests) entry.request = entryRequest(event);
  if (shape.content === 'full-resource') entry.response = { status: deleted ? '204' : event.interaction === 'create' ? '201' : '200' };
  return [entry];
}

function entryRequest(event: SubscriptionEvent): { method: string; url: string } {
  const type = event.focus.resourceType;
  if (event.interaction === 'create') return { method: 'POST', url: type };
  return { method: event.interaction === 'update' ? 'PUT' : 'DELETE', url: `${type}/${String(event.focus.id)}` };
}

function focusReference(event: SubscriptionEvent): string {
  return `${event.focus.resourceType}/${String(event.focus.id)}`;
}
