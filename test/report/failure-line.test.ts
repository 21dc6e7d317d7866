/**
 * The one-line failure (runner/report/failure-line.ts): a long expected never hides received, a note
 * (the bind's time beside the stated expiration) follows them, and the failing request is named.
 */
import { test, expect } from '@playwright/test';
import type { CheckRecord } from '../../runner/checks/check-record.js';
import type { TranscriptEntry } from '../../runner/evidence/transcript-types.js';
import { failedRequest, failureLine, fitParts } from '../../runner/report/failure-line.js';

const failed = (partial: Partial<CheckRecord>): CheckRecord => ({
  id: 'step2.none', label: 'no handshake on socket', expected: 'none within 1.5 s', actual: '1 frame: #0 R5 handshake', passed: false, level: 'DEF', requirement: 'WS-17', step: 2, ...partial,
});

test('a long expected does not cut off received: both stay visible, each shortened fairly, within the width', () => {
  const check = failed({ expected: `a handshake for one of: ${'bind-with-token <t>, '.repeat(20)}`, actual: `space: no handshake within 5 s; ${'colon: no handshake within 5 s; '.repeat(6)}` });
  const line = failureLine(check, { width: 150 });
  expect(line.length).toBeLessThanOrEqual(150);
  expect(line).toMatch(/^no handshake on socket \[WS-17 DEF\]: expected a handshake for one of: bind-with-token.*…, but received space: no handshake.*…$/);
  const [expected, received] = /expected (.*), but received (.*)$/.exec(line)!.slice(1);
  expect(Math.abs(expected!.length - received!.length)).toBeLessThanOrEqual(1);
});

test('a short part keeps its whole text; the long one takes the rest', () => {
  expect(fitParts(['none within 1.5 s', 'x'.repeat(300)], 60)).toEqual(['none within 1.5 s', `${'x'.repeat(42)}…`]);
  expect(fitParts(['abc', 'def'], 60)).toEqual(['abc', 'def']);
});

test('a note follows received; the closing section can print it on its own line', () => {
  const note = "the bind was sent 1.6 s after the token's stated expiration (bind 2026-01-01T00:00:11.600Z, expiration 2026-01-01T00:00:10Z)";
  const check = failed({ note });
  expect(failureLine(check)).toBe(`no handshake on socket [WS-17 DEF]: expected none within 1.5 s, but received 1 frame: #0 R5 handshake; ${note}`);
  expect(failureLine(check, { withoutNote: true })).not.toContain('bind was sent');
});

test('the failing request is the last one made before the check, not the clean-up after it; a frame check names its socket URL', () => {
  const transcript: TranscriptEntry[] = [
    { kind: 'http', seq: 1, step: 1, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 5, request: { method: 'POST', url: 'http://h/fhir/Subscription/a/$get-ws-binding-token', headers: {} } },
    { kind: 'ws', seq: 2, step: 2, at: '2026-01-01T00:00:01.000Z', socket: 'socket', event: 'open', url: 'ws://h/ws' },
    { kind: 'ws', seq: 3, step: 2, at: '2026-01-01T00:00:01.100Z', socket: 'socket', event: 'frame', direction: 'sent', data: 'bind-with-token …' },
    { kind: 'http', seq: 4, step: 2, startedAt: '2026-01-01T00:00:09.000Z', durationMs: 5, request: { method: 'DELETE', url: 'http://h/fhir/Subscription/a', headers: {} } },
  ];
  expect(failedRequest({ transcript }, failed({ step: 1, at: '2026-01-01T00:00:00.500Z' }))).toBe('POST http://h/fhir/Subscription/a/$get-ws-binding-token');
  expect(failedRequest({ transcript }, failed({ step: 2, at: '2026-01-01T00:00:03.000Z' }))).toBe('websocket ws://h/ws');
});
