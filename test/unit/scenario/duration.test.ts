import { expect, test } from '@playwright/test';
import { HarnessError } from '../../../runner/errors.js';
import { parseDuration, tryParseDuration } from '../../../runner/scenario/duration.js';

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
