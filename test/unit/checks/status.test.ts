import { expect, test } from '@playwright/test';
import { describeStatusExpectation, matchesStatus, statusExpectationProblem } from '../../../runner/checks/status.js';

test('single codes, as number or string', () => {
  expect(matchesStatus(200, 200)).toBe(true);
  expect(matchesStatus('200', 200)).toBe(true);
  expect(matchesStatus(200, 201)).toBe(false);
});

test('classes, either case', () => {
  expect(matchesStatus('2xx', 204)).toBe(true);
  expect(matchesStatus('2XX', 299)).toBe(true);
  expect(matchesStatus('2xx', 300)).toBe(false);
  expect(matchesStatus('4xx', 500)).toBe(false);
});

test('lists mean any of them', () => {
  expect(matchesStatus([400, 404, '422'], 422)).toBe(true);
  expect(matchesStatus([400, '5xx'], 503)).toBe(true);
  expect(matchesStatus([400, 404], 200)).toBe(false);
});

test('descriptions', () => {
  expect(describeStatusExpectation(200)).toBe('status 200');
  expect(describeStatusExpectation('2XX')).toBe('status 2xx');
  expect(describeStatusExpectation([400, 404, '422'])).toBe('status one of 400, 404, 422');
});

test('bad expectations are named, and matching one throws a HarnessError', () => {
  expect(statusExpectationProblem(200)).toBeNull();
  expect(statusExpectationProblem(['2xx', 404])).toBeNull();
  expect(statusExpectationProblem(99)).toContain('bad status 99');
  expect(statusExpectationProblem(600)).toContain('bad status 600');
  expect(statusExpectationProblem('2x')).toContain('bad status "2x"');
  expect(statusExpectationProblem('6xx')).toContain('bad status "6xx"');
  expect(statusExpectationProblem([])).toBe('bad status: the list is empty');
  expect(statusExpectationProblem([200, true])).toContain('bad status true');
  expect(() => matchesStatus('abc', 200)).toThrow('bad status "abc"');
});
