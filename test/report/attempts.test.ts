/** withAttempts (runner/report/attempts.ts): the last attempt decides; a later pass after a failure is flaky. */
import { expect, test } from '@playwright/test';
import { attemptOf, withAttempts } from '../../runner/report/attempts.js';
import type { ScenarioResult } from '../../runner/report/results-types.js';

const result = (outcome: ScenarioResult['outcome'], reason?: string): ScenarioResult => ({
  id: 's.one', title: 't', file: 'f', requirements: [], level: 'DEF', outcome, ...(reason ? { reason } : {}), durationMs: 1, checks: [], transcript: [],
});

test('one attempt: unchanged, no attempts field', () => {
  expect(withAttempts(result('failed'), [])).toEqual(result('failed'));
});

test('failed, then passed: flaky, with the earlier failure and its reason', () => {
  const merged = withAttempts(result('passed'), [attemptOf(result('failed', 'status 201, expected 200'))]);
  expect(merged).toMatchObject({ outcome: 'passed', attempts: 2, flaky: { earlier: [{ outcome: 'failed', reason: 'status 201, expected 200' }] } });
});

test('error, then warning: flaky too (the earlier attempt did not finish)', () => {
  expect(withAttempts(result('warning'), [attemptOf(result('error', 'timeout'))]).flaky?.earlier).toEqual([{ outcome: 'error', reason: 'timeout' }]);
});

test('failed every time: counted, not flaky', () => {
  const merged = withAttempts(result('failed', 'third'), [attemptOf(result('failed', 'first')), attemptOf(result('failed', 'second'))]);
  expect(merged.attempts).toBe(3);
  expect(merged.flaky).toBeUndefined();
});
