/**
 * bench/support/timer-share.ts: which steps count as protocol timers, how their intervals are read
 * from results.json timestamps, and the union of overlapping intervals across workers.
 */
import { test, expect } from '@playwright/test';
import { timerKind, timerShare, unionLength } from '../../bench/support/timer-share.js';
import type { RunResults, ScenarioResult } from '../../runner/report/results-types.js';
import type { ScenarioFile, Step } from '../../runner/scenario/model.js';

const at = { file: 'suites/x.yaml', line: 1, column: 1 };
const t = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms).toISOString();

const steps: Step[] = [
  { kind: 'getToken', getToken: { subscriptions: ['a'], as: 'tok' }, location: at },
  { kind: 'ws.bind', 'ws.bind': { socket: 's', token: 't' }, location: at },
  { kind: 'ws.expectNone', 'ws.expectNone': { socket: 's', for: 1500, match: { notification: 'handshake' } }, location: at },
  { kind: 'wait', wait: { duration: 1000 }, location: at },
  { kind: 'ws.expect', 'ws.expect': { socket: 's', within: 5000, match: { notification: 'handshake' } }, location: at },
];

function scenario(id: string, offset: number): ScenarioResult {
  return {
    id, title: id, file: 'suites/x.yaml', requirements: [], level: 'DEF', outcome: 'passed', durationMs: 3000,
    checks: [
      { id: 'c1', label: 'token', expected: '', actual: '', passed: true, level: 'DEF', step: 1, at: t(offset + 10) },
      { id: 'c3', label: 'none', expected: '', actual: '', passed: true, level: 'DEF', step: 3, at: t(offset + 1520) },
      { id: 'c5', label: 'frames', expected: '', actual: '', passed: true, level: 'DEF', step: 5, at: t(offset + 2600) },
    ],
    transcript: [
      { kind: 'http', seq: 1, step: 1, startedAt: t(offset), durationMs: 5, request: { method: 'POST', url: 'x', headers: {} } },
      { kind: 'ws', seq: 2, step: 2, at: t(offset + 20), socket: 's', event: 'frame', direction: 'sent', data: 'bind' },
      { kind: 'ws', seq: 3, step: 5, at: t(offset + 2550), socket: 's', event: 'frame', direction: 'received', data: '{}' },
    ],
  };
}

const suite: ScenarioFile[] = [{ file: 'suites/x.yaml', chapter: 'x', title: 'x', scenarios: [
  { id: 'one', title: 'one', requirements: [], level: 'DEF', preconditions: [], fixtures: [], steps, location: at, file: 'suites/x.yaml' },
  { id: 'two', title: 'two', requirements: [], level: 'DEF', preconditions: [], fixtures: [], steps, location: at, file: 'suites/x.yaml' },
] }];

function results(scenarios: ScenarioResult[]): RunResults {
  return {
    tool: { name: 'x', version: '0' }, server: { url: 'x', fhirVersion: 'R5' }, startedAt: t(0), finishedAt: t(10_000), level: 'shall',
    verdict: 'conformant', summary: { passed: 2, failed: 0, warnings: 0, skipped: 0, errors: 0 }, profile: {}, scenarios,
  };
}

test('timer steps: waits, silence windows, exactly-N windows and heartbeat waits; nothing else', () => {
  expect(steps.map(timerKind)).toEqual([undefined, undefined, 'silence window', 'token-expiry wait', undefined]);
  expect(timerKind({ kind: 'ws.expect', 'ws.expect': { socket: 's', within: 1500, exactly: true, count: 1, match: {} }, location: at })).toBe('exactly-N window');
  expect(timerKind({ kind: 'ws.expect', 'ws.expect': { socket: 's', within: 5500, match: { notification: 'heartbeat' } }, location: at })).toBe('heartbeat wait');
});

test('a silence window runs from the step before it to its own check; a wait step to the next step\'s first record', () => {
  const share = timerShare(results([scenario('one', 0)]), suite);
  expect(share.intervals).toEqual([
    { scenario: 'one', step: 3, kind: 'silence window', startMs: Date.parse(t(20)), endMs: Date.parse(t(1520)) },
    { scenario: 'one', step: 4, kind: 'token-expiry wait', startMs: Date.parse(t(1520)), endMs: Date.parse(t(2550)) },
  ]);
  expect(share.byKind).toEqual({ 'token-expiry wait': 1030, 'silence window': 1500, 'exactly-N window': 0, 'heartbeat wait': 0 });
  expect(share.timerWorkerMs).toBe(2530);
  expect(share.longestTimerScenario).toEqual({ id: 'one', timerMs: 2530, durationMs: 3000 });
  expect(share.firstActivityMs).toBe(Date.parse(t(0)));
  expect(share.lastActivityMs).toBe(Date.parse(t(2600)));
});

test('overlapping timers of parallel scenarios count once on the wall clock', () => {
  const share = timerShare(results([scenario('one', 0), scenario('two', 1000)]), suite);
  expect(share.timerWorkerMs).toBe(2 * 2530);
  expect(share.timerWallMs).toBe(3550 - 20); // from 20 (one's first window) to 3550 (two's wait ends)
});

test('union of intervals: disjoint, nested, touching, empty', () => {
  expect(unionLength([])).toBe(0);
  expect(unionLength([{ startMs: 0, endMs: 10 }, { startMs: 20, endMs: 30 }])).toBe(20);
  expect(unionLength([{ startMs: 0, endMs: 100 }, { startMs: 10, endMs: 20 }])).toBe(100);
  expect(unionLength([{ startMs: 0, endMs: 10 }, { startMs: 10, endMs: 20 }])).toBe(20);
});
