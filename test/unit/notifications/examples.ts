/**
 * Notification frames as servers send them, one builder per FHIR version (conformant unless a test
 * changes them). Each call returns a fresh object, so tests can break it in place.
 */
type Json = Record<string, any>; // frames are free-form JSON; tests reach into them

export interface EventSpec {
  number: string | number;
  focus?: string;
}

export interface FrameSpec {
  type: string;
  subscription?: string;
  counter?: string | number;
  events?: EventSpec[];
  /** Extra (non-status) entries, e.g. the focus resource. */
  extra?: Json[];
}

const BASE = 'https://fhir.example.org/r5';
const TOPIC = 'http://example.org/SubscriptionTopic/encounter-start';

export function r5(spec: FrameSpec): Json {
  return {
    resourceType: 'Bundle',
    type: 'subscription-notification',
    timestamp: '2024-05-01T10:00:00Z',
    entry: [{ fullUrl: 'urn:uuid:1b5d0c3e-1111-4b3c-9e0f-000000000001', resource: statusResource(spec) }, ...(spec.extra ?? [])],
  };
}

export function r4b(spec: FrameSpec): Json {
  const subscription = spec.subscription ?? 'Subscription/abc';
  return {
    resourceType: 'Bundle',
    type: 'history',
    timestamp: '2024-05-01T10:00:00Z',
    entry: [
      {
        fullUrl: 'urn:uuid:1b5d0c3e-1111-4b3c-9e0f-000000000002',
        resource: statusResource(spec),
        request: { method: 'GET', url: `${BASE}/${subscription}/$status` },
        response: { status: '200' },
      },
      ...(spec.extra ?? []).map(withRequest),
    ],
  };
}

export function r4(spec: FrameSpec): Json {
  const subscription = spec.subscription ?? 'Subscription/abc';
  const parameter: Json[] = [
    { name: 'subscription', valueReference: { reference: subscription } },
    { name: 'topic', valueCanonical: TOPIC },
    { name: 'status', valueCode: 'active' },
    { name: 'type', valueCode: spec.type },
  ];
  if (spec.counter !== undefined) parameter.push({ name: 'events-since-subscription-start', valueString: spec.counter });
  for (const event of spec.events ?? []) {
    const part: Json[] = [
      { name: 'event-number', valueString: event.number },
      { name: 'timestamp', valueInstant: '2024-05-01T10:00:00Z' },
    ];
    if (event.focus) part.push({ name: 'focus', valueReference: { reference: event.focus } });
    parameter.push({ name: 'notification-event', part });
  }
  return {
    resourceType: 'Bundle',
    type: 'history',
    entry: [
      {
        fullUrl: 'urn:uuid:1b5d0c3e-1111-4b3c-9e0f-000000000003',
        resource: {
          resourceType: 'Parameters',
          meta: { profile: ['http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4'] },
          parameter,
        },
        request: { method: 'GET', url: `${subscription}/$status` },
        response: { status: '200' },
      },
      ...(spec.extra ?? []).map(withRequest),
    ],
  };
}

/** Medplum on R4: a history Bundle with a SubscriptionStatus (one per bound Subscription), no entry.request. */
export function medplum(type: string, subscriptions: string[], events: EventSpec[] = []): Json {
  return {
    resourceType: 'Bundle',
    type: 'history',
    timestamp: '2024-05-01T10:00:00.000Z',
    entry: subscriptions.map((id) => ({
      resource: {
        resourceType: 'SubscriptionStatus',
        status: 'active',
        type,
        subscription: { reference: `Subscription/${id}` },
        ...(events.length > 0
          ? { notificationEvent: events.map((e) => ({ eventNumber: String(e.number), timestamp: '2024-05-01T10:00:00.000Z', focus: { reference: e.focus } })) }
          : {}),
      },
    })),
  };
}

export function patientEntry(id: string, withResource = true): Json {
  return {
    fullUrl: `${BASE}/Patient/${id}`,
    ...(withResource ? { resource: { resourceType: 'Patient', id } } : {}),
  };
}

function statusResource(spec: FrameSpec): Json {
  return {
    resourceType: 'SubscriptionStatus',
    status: 'active',
    type: spec.type,
    ...(spec.counter !== undefined ? { eventsSinceSubscriptionStart: spec.counter } : {}),
    ...(spec.events
      ? {
          notificationEvent: spec.events.map((event) => ({
            eventNumber: event.number,
            timestamp: '2024-05-01T10:00:00Z',
            ...(event.focus ? { focus: { reference: event.focus } } : {}),
          })),
        }
      : {}),
    subscription: { reference: spec.subscription ?? `${BASE}/Subscription/abc` },
    topic: TOPIC,
  };
}

function withRequest(entry: Json): Json {
  return { ...entry, request: entry.request ?? { method: 'PUT', url: String(entry.fullUrl ?? 'Patient/x').replace(/^.*\/(\w+\/[^/]+)$/, '$1') } };
}
