import { test, expect } from '@playwright/test';
import { normalizeNotification, type NotificationView } from '../../../runner/notifications/normalize.js';
import { validateNotification } from '../../../runner/notifications/validate.js';
import { medplum, patientEntry, r4, r4b, r5, type FrameSpec } from './examples.js';

const builders = { R5: r5, R4B: r4b, R4: r4 } as const;
const versions = ['R5', 'R4B', 'R4'] as const;
const rulesOf = (issues: Array<{ rule: string }>): string[] => issues.map((i) => i.rule);

function views(version: (typeof versions)[number], specs: FrameSpec[]): NotificationView[] {
  return specs.map((spec) => normalizeNotification(builders[version](spec), { fhirVersion: version })!);
}

for (const version of versions) {
  const build = builders[version];

  test(`${version}: conformant handshake, heartbeat and event notifications at every content level pass`, () => {
    const fhirVersion = version;
    expect(validateNotification(build({ type: 'handshake', counter: '0' }), { fhirVersion })).toEqual([]);
    expect(validateNotification(build({ type: 'heartbeat', counter: '0' }), { fhirVersion, content: 'full-resource' })).toEqual([]);
    expect(validateNotification(build({ type: 'event-notification', counter: '1', events: [{ number: '1' }] }), { fhirVersion, content: 'empty' })).toEqual([]);
    const idOnly = build({ type: 'event-notification', counter: '1', events: [{ number: '1', focus: 'Patient/p1' }], extra: [patientEntry('p1', false)] });
    expect(validateNotification(idOnly, { fhirVersion, content: 'id-only' })).toEqual([]);
    const full = build({ type: 'event-notification', counter: '1', events: [{ number: '1', focus: 'Patient/p1' }], extra: [patientEntry('p1')] });
    expect(validateNotification(full, { fhirVersion, content: 'full-resource' })).toEqual([]);
  });

  test(`${version}: a frame that is not a Bundle is one issue, not an exception`, () => {
    const issues = validateNotification({ resourceType: 'OperationOutcome' }, { fhirVersion: version });
    expect(issues).toEqual([expect.objectContaining({ requirement: version === 'R5' ? 'NB-01' : 'NB-02', level: 'SHALL', actual: 'a "OperationOutcome" resource' })]);
    expect(validateNotification('text', { fhirVersion: version })).toHaveLength(1);
  });

  test(`${version}: NB-04 type missing, out of the list, and subscription missing`, () => {
    const noType = build({ type: 'handshake' });
    const status = noType.entry[0].resource;
    if (version === 'R4') status.parameter = status.parameter.filter((p: { name: string }) => p.name !== 'type' && p.name !== 'subscription');
    else {
      delete status.type;
      delete status.subscription;
    }
    const issues = validateNotification(noType, { fhirVersion: version });
    expect(issues.filter((i) => i.requirement === 'NB-04').map((i) => i.rule)).toEqual(['NB-04.type', 'NB-04.subscription']);
    const ping = build({ type: 'ping' });
    expect(validateNotification(ping, { fhirVersion: version })).toEqual([
      expect.objectContaining({ rule: 'NB-04.type', level: 'DEF', expected: 'one of handshake, heartbeat, event-notification, query-status, query-event' }),
    ]);
  });
}

test('NB-01: R5 with a history Bundle, and with a first entry that is not a SubscriptionStatus', () => {
  const history = r5({ type: 'handshake' });
  history.type = 'history';
  expect(validateNotification(history, { fhirVersion: 'R5' })).toEqual([
    expect.objectContaining({ rule: 'NB-01.bundle-type', requirement: 'NB-01', level: 'SHALL', actual: 'Bundle.type "history"' }),
  ]);
  const late = r5({ type: 'handshake' });
  late.entry.unshift(patientEntry('p1'));
  expect(rulesOf(validateNotification(late, { fhirVersion: 'R5' }))).toEqual(['NB-01.first-entry']);
  expect(rulesOf(validateNotification({ resourceType: 'Bundle', type: 'subscription-notification' }, { fhirVersion: 'R5' }))).toEqual(['NB-01.first-entry']);
});

test('NB-02: an R4B frame of R5 shape; an R4 frame with a SubscriptionStatus (Medplum); R4B with Parameters', () => {
  const r5Shape = r5({ type: 'handshake' });
  expect(rulesOf(validateNotification(r5Shape, { fhirVersion: 'R4B' }))).toEqual(['NB-02.bundle-type']);
  const medplumIssues = validateNotification(r4b({ type: 'handshake' }), { fhirVersion: 'R4' });
  expect(medplumIssues).toEqual([expect.objectContaining({ rule: 'NB-02.first-entry', actual: 'entry[0].resource a "SubscriptionStatus" resource' })]);
  expect(rulesOf(validateNotification(r4({ type: 'handshake' }), { fhirVersion: 'R4B' }))).toEqual(['NB-02.first-entry']);
});

test('NB-03: entries of a history Bundle without request; a status request that is not $status', () => {
  const frame = r4b({ type: 'event-notification', events: [{ number: '1', focus: 'Patient/p1' }], extra: [patientEntry('p1')] });
  delete frame.entry[1].request;
  const issues = validateNotification(frame, { fhirVersion: 'R4B' });
  expect(issues).toEqual([expect.objectContaining({ rule: 'NB-03.entry-request', level: 'SHALL', actual: 'no request on entry 1 of 2' })]);
  const wrongStatus = r4({ type: 'heartbeat' });
  wrongStatus.entry[0].request.url = 'Subscription/abc';
  expect(rulesOf(validateNotification(wrongStatus, { fhirVersion: 'R4' }))).toEqual(['NB-03.status-request']);
});

test('Medplum frames on R4: every divergence is reported', () => {
  const heartbeat = medplum('heartbeat', ['a1', 'b2']);
  expect(rulesOf(validateNotification(heartbeat, { fhirVersion: 'R4' }))).toEqual(['NB-02.first-entry', 'NB-03.entry-request']);
});

test('DT-06: counters as JSON numbers, or not integer64, are reported (R5); R4 needs valueString', () => {
  const numeric = r5({ type: 'event-notification', counter: 3, events: [{ number: 3 }] });
  const issues = validateNotification(numeric, { fhirVersion: 'R5' });
  expect(issues.map((i) => [i.rule, i.actual])).toEqual([
    ['DT-06.counter-type', '3 (a number)'],
    ['DT-06.counter-type', '3 (a number)'],
  ]);
  expect(issues[0].message).toBe('entry[0] eventsSinceSubscriptionStart is an integer64 counter, written as a JSON string.');
  expect(rulesOf(validateNotification(r5({ type: 'heartbeat', counter: '01' }), { fhirVersion: 'R5' }))).toEqual(['DT-06.counter-type']);
  const r4Integer = r4({ type: 'event-notification', counter: '1', events: [{ number: '1' }] });
  const part = r4Integer.entry[0].resource.parameter.find((p: { name: string }) => p.name === 'notification-event').part[0];
  delete part.valueString;
  part.valueInteger = 1;
  expect(validateNotification(r4Integer, { fhirVersion: 'R4' })).toEqual([
    expect.objectContaining({ rule: 'DT-06.counter-type', actual: 'valueInteger 1 (a number)' }),
  ]);
  expect(validateNotification(r4b({ type: 'heartbeat', counter: 0 }), { fhirVersion: 'R4B' })).toHaveLength(1);
});

for (const version of versions) {
  const build = builders[version];

  test(`${version} NB-05: a heartbeat or handshake does not move the event counter`, () => {
    const previous = views(version, [{ type: 'handshake', counter: '2' }]);
    expect(validateNotification(build({ type: 'heartbeat', counter: '2' }), { fhirVersion: version, previous })).toEqual([]);
    expect(validateNotification(build({ type: 'heartbeat', counter: '3' }), { fhirVersion: version, previous })).toEqual([
      expect.objectContaining({ rule: 'NB-05.counter-on-heartbeat', requirement: 'NB-05', level: 'DEF', expected: 'eventsSinceSubscriptionStart at most 2' }),
    ]);
    const afterEvent = views(version, [{ type: 'handshake', counter: '2' }, { type: 'event-notification', counter: '3', events: [{ number: '3' }] }]);
    expect(validateNotification(build({ type: 'heartbeat', counter: '3' }), { fhirVersion: version, previous: afterEvent })).toEqual([]);
    expect(rulesOf(validateNotification(build({ type: 'handshake', counter: '4' }), { fhirVersion: version, previous: afterEvent }))).toEqual(['NB-05.counter-on-handshake']);
  });

  test(`${version} NB-05: event numbers increase; a repeat outside a backlog replay is reported`, () => {
    const seen = views(version, [{ type: 'handshake', counter: '0' }, { type: 'event-notification', events: [{ number: '1' }, { number: '2' }] }]);
    expect(validateNotification(build({ type: 'event-notification', events: [{ number: '3' }] }), { fhirVersion: version, previous: seen })).toEqual([]);
    expect(validateNotification(build({ type: 'event-notification', events: [{ number: '2' }] }), { fhirVersion: version, previous: seen })).toEqual([
      expect.objectContaining({ rule: 'NB-05.event-number', expected: 'an eventNumber above 2', actual: 'eventNumber 2' }),
    ]);
    expect(rulesOf(validateNotification(build({ type: 'event-notification', events: [{ number: '5' }, { number: '4' }] }), { fhirVersion: version, previous: seen }))).toEqual(['NB-05.event-number']);
  });

  test(`${version} NB-05: right after a handshake, replayed event numbers are allowed (backlog), not after new events`, () => {
    const history: FrameSpec[] = [
      { type: 'handshake', counter: '0' },
      { type: 'event-notification', events: [{ number: '1' }, { number: '2' }] },
      { type: 'handshake', counter: '2' },
    ];
    const replay = build({ type: 'event-notification', events: [{ number: '1' }, { number: '2' }] });
    expect(validateNotification(replay, { fhirVersion: version, previous: views(version, history) })).toEqual([]);
    const backlogThenNew = views(version, [...history, { type: 'event-notification', events: [{ number: '2' }, { number: '3' }] }]);
    expect(rulesOf(validateNotification(build({ type: 'event-notification', events: [{ number: '2' }] }), { fhirVersion: version, previous: backlogThenNew }))).toEqual(['NB-05.event-number']);
    const afterHeartbeat = views(version, [...history, { type: 'heartbeat', counter: '2' }]);
    expect(rulesOf(validateNotification(replay, { fhirVersion: version, previous: afterHeartbeat }))).toEqual(['NB-05.event-number', 'NB-05.event-number']);
  });
}

test('NB-05: counters of another Subscription are not mixed in', () => {
  const other = views('R5', [{ type: 'event-notification', subscription: 'Subscription/other', events: [{ number: '9' }] }]);
  expect(validateNotification(r5({ type: 'event-notification', events: [{ number: '1' }] }), { fhirVersion: 'R5', previous: other })).toEqual([]);
});

test("NB-05: Medplum's eventNumber always \"0\" is reported from the second event on", () => {
  const first = normalizeNotification(medplum('event-notification', ['abc'], [{ number: 0, focus: 'Patient/p1' }]), { fhirVersion: 'R4' })!;
  const second = medplum('event-notification', ['abc'], [{ number: 0, focus: 'Patient/p2' }]);
  expect(rulesOf(validateNotification(second, { fhirVersion: 'R4', previous: [first] }))).toContain('NB-05.event-number');
});

test('NB-06 empty content: a focus, or any entry besides the status, is reported', () => {
  const withFocus = r5({ type: 'event-notification', events: [{ number: '1', focus: 'Patient/p1' }], extra: [patientEntry('p1')] });
  expect(validateNotification(withFocus, { fhirVersion: 'R5', content: 'empty' })).toEqual([
    expect.objectContaining({ rule: 'NB-06.focus', level: 'SHALL NOT', actual: 'focus or additionalContext on notificationEvent 0' }),
    expect.objectContaining({ rule: 'NB-06.entries', level: 'SHALL NOT', actual: '1 other entry (entry[1] a "Patient" resource)' }),
  ]);
});

test('NB-07 id-only content: focus missing, no events at all, a resource included', () => {
  const noFocus = r4b({ type: 'event-notification', events: [{ number: '1' }] });
  expect(validateNotification(noFocus, { fhirVersion: 'R4B', content: 'id-only' })).toEqual([
    expect.objectContaining({ rule: 'NB-07.focus', level: 'SHALL', actual: 'no focus on notificationEvent 0' }),
  ]);
  const noEvents = r5({ type: 'event-notification' });
  expect(validateNotification(noEvents, { fhirVersion: 'R5', content: 'id-only' })).toEqual([
    expect.objectContaining({ rule: 'NB-07.focus', actual: 'an event-notification with no notificationEvent' }),
  ]);
  const withResource = r4({ type: 'event-notification', events: [{ number: '1', focus: 'Patient/p1' }], extra: [patientEntry('p1')] });
  expect(rulesOf(validateNotification(withResource, { fhirVersion: 'R4', content: 'id-only' }))).toEqual(['NB-07.no-resource']);
});

test('NB-08 full-resource content: the focus resource must be in the Bundle (or request/response instead)', () => {
  const missing = r5({ type: 'event-notification', events: [{ number: '1', focus: 'Patient/p1' }] });
  expect(validateNotification(missing, { fhirVersion: 'R5', content: 'full-resource' })).toEqual([
    expect.objectContaining({ rule: 'NB-08.focus-entry', expected: 'an entry for Patient/p1 with its resource', actual: 'no entry for Patient/p1 (no entries besides the status)' }),
  ]);
  const bare = r5({ type: 'event-notification', events: [{ number: '1', focus: 'Patient/p1' }], extra: [patientEntry('p1', false)] });
  expect(rulesOf(validateNotification(bare, { fhirVersion: 'R5', content: 'full-resource' }))).toEqual(['NB-08.focus-entry']);
  const explained = r5({ type: 'event-notification', events: [{ number: '1', focus: 'Patient/p1/_history/4' }], extra: [{ ...patientEntry('p1', false), response: { status: '403' } }] });
  expect(validateNotification(explained, { fhirVersion: 'R5', content: 'full-resource' })).toEqual([]);
  const otherPatient = r5({ type: 'event-notification', events: [{ number: '1', focus: 'Patient/p1' }], extra: [patientEntry('p2')] });
  expect(rulesOf(validateNotification(otherPatient, { fhirVersion: 'R5', content: 'full-resource' }))).toEqual(['NB-08.focus-entry']);
  const noFocus = r5({ type: 'event-notification', events: [{ number: '1' }], extra: [patientEntry('p1')] });
  expect(rulesOf(validateNotification(noFocus, { fhirVersion: 'R5', content: 'full-resource' }))).toEqual(['NB-08.focus']);
});

test('content rules apply to event notifications only', () => {
  const handshake = r5({ type: 'handshake', extra: [patientEntry('p1')] });
  expect(validateNotification(handshake, { fhirVersion: 'R5', content: 'empty' })).toEqual([]);
});

test('junk anywhere in a frame never makes validation throw', () => {
  const junk: unknown[] = [null, 0, 'x', [], {}, [null], { reference: 5 }, { resourceType: 'Parameters', parameter: 'no' }];
  const paths: Array<(frame: Record<string, any>, value: unknown) => void> = [
    (f, v) => (f.entry = v),
    (f, v) => (f.entry[0] = v),
    (f, v) => (f.entry[0].resource = v),
    (f, v) => (f.entry[0].request = v),
    (f, v) => (f.type = v),
    (f, v) => (f.entry[0].resource.notificationEvent = v),
    (f, v) => (f.entry[0].resource.parameter = v),
    (f, v) => (f.entry[1] = v),
  ];
  for (const version of versions) {
    for (const mutate of paths) {
      for (const value of junk) {
        const frame = builders[version]({ type: 'event-notification', counter: '1', events: [{ number: '1', focus: 'Patient/p1' }], extra: [patientEntry('p1')] });
        try {
          mutate(frame, value);
        } catch {
          continue; // the mutation itself needed a shape the junk removed
        }
        for (const content of ['empty', 'id-only', 'full-resource'] as const) {
          expect(() => validateNotification(frame, { fhirVersion: version, content, previous: views(version, [{ type: 'handshake', counter: '0' }]) })).not.toThrow();
        }
      }
    }
  }
});
