import { test, expect } from '@playwright/test';
import { Redactor, mask } from '../../../runner/evidence/redact.js';
import { Transcript, truncateText } from '../../../runner/evidence/transcript.js';

const SECRET = 'binding-token-0123456789';

function clock(start: number): { now: () => number; advance: (ms: number) => void } {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms) };
}

test('http exchanges are stored redacted: url, headers, bodies, error', () => {
  const redactor = new Redactor();
  redactor.add(SECRET);
  const transcript = new Transcript({ redactor });
  transcript.setStep(3);
  const entry = transcript.recordHttp({
    startedAt: '2024-01-01T00:00:00.000Z',
    durationMs: 12,
    request: { method: 'GET', url: `http://h/x?token=${SECRET}`, headers: { Authorization: 'Bearer access-123456' }, body: SECRET },
    response: { status: 200, headers: { 'content-type': 'application/fhir+json' }, body: `{"token":"${SECRET}"}` },
  });
  expect(entry).toMatchObject({ kind: 'http', seq: 1, step: 3 });
  const text = JSON.stringify(transcript.entries());
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain('access-123456');
  expect(entry.request.url).toBe(`http://h/x?token=${mask(SECRET)}`);
  expect(entry.request.headers.Authorization).toBe(`Bearer ${mask('access-123456')}`);
  expect(entry.response?.body).toBe(`{"token":"${mask(SECRET)}"}`);
});

test('a credential first seen in the Authorization header is also masked in the URL of the same exchange', () => {
  const transcript = new Transcript();
  const entry = transcript.recordHttp({
    startedAt: new Date().toISOString(),
    durationMs: 1,
    request: { method: 'GET', url: 'http://h/x?access_token=fresh-access-token', headers: { Authorization: 'Bearer fresh-access-token' } },
    response: { status: 401, headers: { 'set-cookie': 'sid=session-cookie-value' }, body: 'bad token fresh-access-token, cookie session-cookie-value' },
  });
  expect(JSON.stringify(entry)).not.toContain('fresh-access-token');
  expect(JSON.stringify(entry)).not.toContain('session-cookie-value');
});

test('bodies and frames over the limit are cut with a marker saying how many bytes were dropped', () => {
  const transcript = new Transcript({ maxTextBytes: 10 });
  const entry = transcript.recordWs({ socket: 'ws1', event: 'frame', direction: 'received', data: 'abcdefghijklmnopqrstuvwxyz' });
  expect(entry.data).toBe('abcdefghij…[truncated 16 bytes]');
  const http = transcript.recordHttp({
    startedAt: new Date().toISOString(),
    durationMs: 1,
    request: { method: 'GET', url: 'http://h/', headers: {} },
    response: { status: 200, headers: {}, body: 'x'.repeat(30) },
  });
  expect(http.response?.bodyTruncated).toBe(true);
  expect(http.response?.body).toBe(`${'x'.repeat(10)}…[truncated 20 bytes]`);
});

test('truncation never splits a multi-byte character', () => {
  const cut = truncateText('ééé', 3); // é is 2 bytes
  expect(cut.text).toBe('é…[truncated 4 bytes]');
  expect(truncateText('short', 64)).toEqual({ text: 'short', truncated: false, droppedBytes: 0 });
});

test('redaction happens before truncation, so a secret cut at the limit does not leak', () => {
  const redactor = new Redactor();
  redactor.add(SECRET);
  const transcript = new Transcript({ redactor, maxTextBytes: 20 });
  const note = transcript.note(`xxxxxxxxxxxxxxx${SECRET}`);
  expect(note.text).not.toContain(SECRET.slice(0, 8));
  expect(note.text).toContain('xxxxxxxxxxxxxxxbind');
});

test('seq numbers, steps and the timeline with deltas', () => {
  const time = clock(Date.parse('2024-01-01T00:00:00.000Z'));
  const transcript = new Transcript({ now: time.now });
  transcript.note('first');
  time.advance(250);
  transcript.setStep(2);
  transcript.recordWs({ socket: 'ws1', event: 'open', url: 'ws://h/' });
  time.advance(100);
  transcript.note('third');
  const timeline = transcript.toTimeline();
  expect(timeline.map((e) => [e.seq, e.step, e.sinceStartMs, e.sincePreviousMs])).toEqual([
    [1, undefined, 0, 0],
    [2, 2, 250, 250],
    [3, 2, 350, 100],
  ]);
});

test('the timeline orders by time: an HTTP exchange recorded at its end sorts at its start', () => {
  const time = clock(Date.parse('2024-01-01T00:00:01.000Z'));
  const transcript = new Transcript({ now: time.now });
  transcript.note('frame during the request');
  transcript.recordHttp({ startedAt: '2024-01-01T00:00:00.500Z', durationMs: 800, request: { method: 'GET', url: 'http://h/', headers: {} } });
  expect(transcript.toTimeline().map((e) => [e.seq, e.sinceStartMs])).toEqual([
    [2, 0],
    [1, 500],
  ]);
});

test('past the entry limit entries are counted, not kept, after one note', () => {
  const transcript = new Transcript({ maxEntries: 3 });
  for (let i = 0; i < 10; i++) transcript.note(`n${i}`);
  const entries = transcript.entries();
  expect(entries).toHaveLength(4);
  expect(entries[3]).toMatchObject({ kind: 'note', text: 'transcript limit of 3 entries reached: later entries are counted, not kept' });
  expect(transcript.omittedEntries).toBe(7);
  expect(() => new Transcript({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
});

test('a frame flood keeps the first and the latest received frames, with a note counting those not kept', () => {
  const transcript = new Transcript({ maxFrameBytes: 4 * (1000 + 256) });
  transcript.recordWs({ socket: 'ws1', event: 'frame', direction: 'sent', data: 'bind-with-token x' });
  for (let i = 0; i < 50; i++) transcript.recordWs({ socket: 'ws1', event: 'frame', direction: 'received', data: `${String(i).padStart(3, '0')}${'x'.repeat(997)}` });
  transcript.note('after the flood');
  const kept = transcript.entries().map((entry) => (entry.kind === 'ws' ? `frame ${entry.data!.slice(0, 3)}` : entry.kind === 'note' ? entry.text : entry.kind));
  expect(kept).toEqual([
    'frame bin',
    'frame 000',
    'frame 001',
    '46 frames / 46000 bytes not kept: past 5024 bytes of received frames, the transcript keeps the first frames and the latest ones',
    'frame 048',
    'frame 049',
    'after the flood',
  ]);
  expect(transcript.omittedFrames).toEqual({ frames: 46, bytes: 46_000 });
});
