import { expect, test } from '@playwright/test';
import { HarnessError } from '../../../runner/errors.js';
import { configDurationProblem, parseDuration, tryParseDuration } from '../../../runner/scenario/duration.js';

test('units and bare numbers become milliseconds', () => {
  expect(parseDuration('500ms')).toBe(500);
  expect(parseDuration('2s')).toBe(2000);
  expect(parseDuration('1.5s')).toBe(1500);
  expect(parseDuration('1m')).toBe(60_000);
  expect(parseDuration('0s')).toBe(0);
  expect(parseDuration(250)).toBe(250);
  expect(parseDuration('0.4ms')).toBe(0);
  expect(parseDuration(' 3s ')).toBe(3000);
});

test('negative only where allowed', () => {
  expect(tryParseDuration('-2s')).toBeUndefined();
  expect(tryParseDuration(-5)).toBeUndefined();
  expect(parseDuration('-2s', true)).toBe(-2000);
  expect(parseDuration(-5, true)).toBe(-5);
});

test('anything else is a HarnessError naming the accepted forms', () => {
  for (const bad of ['5', '5 s', '5sec', '1h', 's', '', '1.s', 'two seconds', null, true, {}, Number.NaN, Number.POSITIVE_INFINITY]) {
    expect(tryParseDuration(bad)).toBeUndefined();
  }
  let caught: unknown;
  try {
    parseDuration('5x');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HarnessError);
  expect((caught as HarnessError).code).toBe('FWC_ERR_SCENARIO_SCHEMA');
  expect((caught as HarnessError).message).toBe(
    'bad duration "5x": expected a duration like "500ms", "2s", "1.5s", "1m" or a number of milliseconds',
  );
});

test('longer than a Node timer can wait (2^31 − 1 ms): refused, saying so, instead of firing after 1 ms', () => {
  expect(parseDuration(2_147_483_647)).toBe(2_147_483_647);
  expect(tryParseDuration('36000m')).toBeUndefined();
  expect(tryParseDuration(-2_147_483_648, true)).toBeUndefined();
  expect(() => parseDuration('36000m')).toThrow(
    'bad duration "36000m": is 2160000000 ms, longer than the longest wait this tool can time (2147483647 ms, about 24.8 days)',
  );
});

test('config durations need a unit and stay within the timer limit', () => {
  expect(configDurationProblem('10s')).toBeUndefined();
  expect(configDurationProblem(10)).toBe('10 has no unit: 10s or 10ms? (write the unit: ms, s or m)');
  expect(configDurationProblem('36000m')).toContain('longer than the longest wait this tool can time');
  expect(configDurationProblem('soon')).toMatch(/^must be a duration with its unit/);
});
