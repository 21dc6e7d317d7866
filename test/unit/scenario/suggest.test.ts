import { expect, test } from '@playwright/test';
import { closestMatch, didYouMean, editDistance } from '../../../runner/scenario/suggest.js';

test('edit distance counts insertions, deletions, substitutions and transpositions', () => {
  expect(editDistance('expect', 'expect')).toBe(0);
  expect(editDistance('expectt', 'expect')).toBe(1);
  expect(editDistance('exepct', 'expect')).toBe(1);
  expect(editDistance('', 'abc')).toBe(3);
  expect(editDistance('kitten', 'sitting')).toBe(3);
});

test('suggestions only for plausible typos', () => {
  expect(closestMatch('expectt', ['expect', 'record'])).toBe('expect');
  expect(closestMatch('ws.conect', ['ws.connect', 'ws.close'])).toBe('ws.connect');
  expect(closestMatch('SHAL', ['SHALL', 'SHOULD'])).toBe('SHALL');
  expect(closestMatch('zzz', ['expect'])).toBeUndefined();
  expect(didYouMean('reqirement', ['requirement'])).toBe(' (did you mean "requirement"?)');
  expect(didYouMean('banana', ['requirement'])).toBe('');
});
