import { test, expect } from '@playwright/test';
import { matchesSubscription, normalizeNotification, subscriptionIdOf } from '../../../runner/notifications/normalize.js';
import { medplum, patientEntry, r4, r4b, r5 } from './examples.js';

test('R5: subscription-notification Bundle with a SubscriptionStatus', () => {
  const view = normalizeNotification(r5({ type: 'event-notification', counter: '3', events: [{ number: '3', focus: 'Patient/p1' }], extra: [patientEntry('p1')] }));
  expect(view).toMatchObject({
    shape: 'R5',
    bundleType: 'subscription-notification',
    type: 'event-notification',
    status: 'active',
    subscriptionReference: 'https://fhir.example.org/r5/Subscription/abc',
    subscriptionId: 'abc',
    topic: 'http://example.org/SubscriptionTopic/encounter-start',
    eventsSinceSubscriptionStart: '3',
    events: [{ eventNumber: '3', timestamp: '2024-05-01T10:00:00Z', focus: 'Patient/p1' }],
  });
  expect(view?.entries).toHaveLength(2);
  expect(view?.statuses).toHaveLength(1);
});

test('R4B: history Bundle with a SubscriptionStatus', () => {
  const view = normalizeNotification(r4b({ type: 'handshake', counter: '0' }));
  expect(view).toMatchObject({ shape: 'R4B', bundleType: 'history', type: 'handshake', subscriptionId: 'abc', eventsSinceSubscriptionStart: '0', events: [] });
});

test('R4: history Bundle with the backport-subscription-status-r4 Parameters', () => {
  const view = normalizeNotification(r4({ type: 'event-notification', counter: '2', events: [{ number: '2', focus: 'Patient/p1' }] }));
  expect(view).toMatchObject({
    shape: 'R4-parameters',
    type: 'event-notification',
    status: 'active',
    subscriptionReference: 'Subscription/abc',
    subscriptionId: 'abc',
    topic: 'http://example.org/SubscriptionTopic/encounter-start',
    eventsSinceSubscriptionStart: '2',
    events: [{ eventNumber: '2', timestamp: '2024-05-01T10:00:00Z', focus: 'Patient/p1' }],
  });
});

test('R4 Parameters are recognised without the profile, by their parameter names', () => {
  const frame = r4({ type: 'heartbeat' });
  delete frame.entry[0].resource.meta;
  expect(normalizeNotification(frame)?.shape).toBe('R4-parameters');
});

test("Medplum's R4 SubscriptionStatus in a history Bundle: tolerated, shape told apart by the version", () => {
  const frame = medplum('handshake', ['abc']);
  expect(normalizeNotification(frame)?.shape).toBe('R4B');
  expect(normalizeNotification(frame, { fhirVersion: 'R4' })).toMatchObject({ shape: 'R4-status-resource', type: 'handshake', subscriptionId: 'abc' });
});

test('a Medplum heartbeat with one status per Subscription matches each of them', () => {
  const view = normalizeNotification(medplum('heartbeat', ['a1', 'b2']), { fhirVersion: 'R4' });
  expect(view?.statuses.map((s) => s.subscriptionId)).toEqual(['a1', 'b2']);
  expect(view && matchesSubscription(view, 'a1')).toBe(true);
  expect(view && matchesSubscription(view, 'Subscription/b2')).toBe(true);
  expect(view && matchesSubscription(view, 'c3')).toBe(false);
});

test('a status that is not the first entry, or a wrong Bundle type, gives shape unknown', () => {
  const late = r5({ type: 'heartbeat' });
  late.entry.unshift(patientEntry('p1'));
  expect(normalizeNotification(late)?.shape).toBe('unknown');
  const collection = r5({ type: 'heartbeat' });
  collection.type = 'collection';
  expect(normalizeNotification(collection)).toMatchObject({ shape: 'unknown', type: 'heartbeat' });
});

test('frames that are not notifications give null', () => {
  expect(normalizeNotification({ resourceType: 'OperationOutcome', issue: [] })).toBeNull();
  expect(normalizeNotification({ type: 'pong' })).toBeNull();
  expect(normalizeNotification('keepalive 2024-05-01T10:00:00Z')).toBeNull();
  expect(normalizeNotification(null)).toBeNull();
  expect(normalizeNotification({ resourceType: 'Bundle', type: 'history', entry: [patientEntry('p1')] })).toBeNull();
  expect(normalizeNotification({ resourceType: 'Bundle', entry: 'not an array' })).toBeNull();
});

test('missing or junk fields do not break normalising', () => {
  const frame = r5({ type: 'event-notification' });
  const status = frame.entry[0].resource;
  status.type = 7;
  status.subscription = 'Subscription/abc';
  status.notificationEvent = [null, { eventNumber: { weird: true }, focus: { identifier: { value: 'x' } } }];
  const view = normalizeNotification(frame);
  expect(view).toMatchObject({ type: '', events: [{ focus: '{"identifier":{"value":"x"}}' }] });
  expect(view?.subscriptionReference).toBeUndefined();
});

test('subscriptionIdOf: bare id, relative, absolute, versioned; non-Subscription references give undefined', () => {
  expect(subscriptionIdOf('abc')).toBe('abc');
  expect(subscriptionIdOf('Subscription/abc')).toBe('abc');
  expect(subscriptionIdOf('https://h/fhir/Subscription/abc')).toBe('abc');
  expect(subscriptionIdOf('Subscription/abc/_history/3')).toBe('abc');
  expect(subscriptionIdOf('https://h/fhir/Subscription/abc/_history/3')).toBe('abc');
  expect(subscriptionIdOf('Patient/abc')).toBeUndefined();
  expect(subscriptionIdOf('has space')).toBeUndefined();
});

test('matchesSubscription accepts every way of naming the same Subscription, and nothing else', () => {
  const view = normalizeNotification(r5({ type: 'handshake', subscription: 'https://fhir.example.org/r5/Subscription/abc/_history/2' }));
  expect(view).not.toBeNull();
  for (const name of ['abc', 'Subscription/abc', 'https://other.example/fhir/Subscription/abc', 'Subscription/abc/_history/1']) {
    expect(matchesSubscription(view!, name)).toBe(true);
  }
  expect(matchesSubscription(view!, 'abcd')).toBe(false);
  expect(matchesSubscription(view!, 'Subscription/ab')).toBe(false);
});
