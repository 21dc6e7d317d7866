/** measureTiming (runner/report/timing.ts): latencies and intervals read back from transcripts. */
import { expect, test } from '@playwright/test';
import { measureTiming } from '../../runner/report/timing.js';
import type { ScenarioResult } from '../../runner/report/results-types.js';
import type { TranscriptEntry } from '../../runner/evidence/transcript-types.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
let seq = 0;

const sent = (ms: number, data: string, socket = 'ws1'): TranscriptEntry => ({ kind: 'ws', seq: ++seq, at: at(ms), socket, event: 'frame', direction: 'sent', data });
const received = (ms: number, type: string, socket = 'ws1'): TranscriptEntry => ({
  kind: 'ws', seq: ++seq, at: at(ms), socket, event: 'frame', direction: 'received',
  data: JSON.stringify({ resourceType: 'Bundle', type: 'subscription-notification', entry: [{ resource: { resourceType: 'SubscriptionStatus', type, subscription: { reference: 'Subscription/a' } } }] }),
});
const create = (ms: number, path: string, status: number): TranscriptEntry => ({
  kind: 'http', seq: ++seq, startedAt: at(ms), durationMs: 30,
  request: { method: 'POST', url: `http://h/fhir/${path}`, headers: {} },
  response: { status, headers: {} },
});

function scenario(transcript: TranscriptEntry[]): ScenarioResult {
  return { id: 's', title: 't', file: 'f', requirements: [], level: 'DEF', outcome: 'passed', durationMs: 1, checks: [], transcript };
}

test('bind → handshake in each bind form, per socket; a handshake before the bind or on another socket does not count', () => {
  const timing = measureTiming([
    scenario([received(0, 'handshake'), sent(100, 'bind-with-token fwc-…1234abcd'), received(105, 'handshake', 'ws2'), received(112, 'handshake')]),
    scenario([sent(0, 'bind-with-token: abc'), received(20, 'handshake')]),
    scenario([sent(0, JSON.stringify({ type: 'bind-with-token', token: 'abc' })), received(7, 'handshake')]),
  ]);
  expect(timing.handshakeMs).toEqual({ n: 3, p50: 12, p95: 20, max: 20 });
});

test('triggering create → first event notification, from the request (a server may notify before answering)', () => {
  const timing = measureTiming([
    scenario([create(0, 'Subscription', 201), create(100, 'Patient', 201), received(110, 'event-notification'), received(300, 'event-notification')]),
    scenario([create(0, 'Patient', 400), received(50, 'event-notification')]), // not created: not a trigger
  ]);
  expect(timing.eventNotificationMs).toEqual({ n: 1, p50: 10, p95: 10, max: 10 });
});

test('heartbeat intervals per socket; frames that are not notifications are ignored; nothing measured → no field', () => {
  const other: TranscriptEntry = { kind: 'ws', seq: ++seq, at: at(1500), socket: 'ws1', event: 'frame', direction: 'received', data: '{"resourceType":"Bundle", trunc…' };
  const timing = measureTiming([scenario([received(0, 'heartbeat'), received(1000, 'heartbeat', 'ws2'), other, received(2000, 'heartbeat'), received(2600, 'heartbeat', 'ws2')])]);
  expect(timing).toEqual({ heartbeatIntervalMs: { n: 2, p50: 1600, p95: 2000, max: 2000 } });
  expect(measureTiming([scenario([])])).toEqual({});
});
