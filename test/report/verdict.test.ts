import { expect, test } from '@playwright/test';
import { assessVerdict, computeVerdict, summarizeScenarios } from '../../runner/report/verdict.js';
import { sampleResults } from './fixtures/sample-results.js';

test.describe('summary and verdict', () => {
  test('the summary counts match the hand-written counts of the sample', () => {
    const results = sampleResults();
    expect(summarizeScenarios(results.scenarios)).toEqual({ ...results.summary, accepted: 0 });
  });

  test('a failed scenario makes the run non-conformant and says why', () => {
    const results = sampleResults();
    expect(assessVerdict(results)).toEqual({ verdict: 'non-conformant', reasons: ['2 scenarios failed a SHALL/DEF check.'] });
  });

  test('without failures, an errored scenario makes the verdict error', () => {
    const scenarios = sampleResults().scenarios.filter((s) => s.outcome !== 'failed');
    expect(computeVerdict({ scenarios, level: 'shall' })).toBe('error');
  });

  test('warnings pass at level shall and fail at level should', () => {
    const scenarios = sampleResults().scenarios.filter((s) => s.outcome === 'passed' || s.outcome === 'warning');
    expect(computeVerdict({ scenarios, level: 'shall' })).toBe('conformant');
    expect(assessVerdict({ scenarios, level: 'should' })).toEqual({
      verdict: 'non-conformant',
      reasons: ['2 scenarios failed a SHOULD check, and the level is "should".'],
    });
  });

  test('a run where nothing blocking was evaluated is never conformant (no vacuous pass)', () => {
    const scenarios = sampleResults().scenarios.filter((s) => s.outcome === 'skipped');
    expect(assessVerdict({ scenarios, level: 'shall' }).verdict).toBe('error');
    expect(computeVerdict({ scenarios: [], level: 'shall' })).toBe('error');
  });

  test('an accepted failure no longer counts, a stale baseline entry does', () => {
    const scenarios = sampleResults().scenarios
      .filter((s) => s.outcome !== 'error' && s.outcome !== 'blocked')
      .map((s) => (s.outcome === 'failed' ? { ...s, accepted: { reason: 'known' } } : s));
    expect(summarizeScenarios(scenarios)).toMatchObject({ failed: 0, accepted: 2 });
    expect(computeVerdict({ scenarios, level: 'shall' })).toBe('conformant');
    const baseline = { file: 'b.yaml', accepted: [], stale: ['forged.random'], expired: [] };
    expect(assessVerdict({ scenarios, level: 'shall', baseline }).reasons).toEqual([
      'Baseline entries no longer fail (remove them): forged.random.',
    ]);
  });
});
