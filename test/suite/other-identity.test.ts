/**
 * scope.other-identity-refused (OP-18) against the reference server's ownership faults, including
 * the case a review found: a server that only supports type-level calls refuses any instance-level
 * request, so the other identity must ask the way the run obtains its tokens (level: auto) — and at
 * type level — or a leaking server would pass.
 */
import { test, expect } from '@playwright/test';
import { runSuiteAgainstReference } from './in-process-suite.js';

const ID = 'scope.other-identity-refused';

const CASES: Array<{ faults: string[]; outcome: 'passed' | 'failed'; why: string }> = [
  { faults: [], outcome: 'passed', why: 'ownership enforced at both levels' },
  { faults: ['no-instance-level'], outcome: 'passed', why: 'type-level only, ownership enforced' },
  { faults: ['binding-token-any-identity'], outcome: 'failed', why: 'tokens for anyone' },
  { faults: ['binding-token-any-identity', 'no-instance-level'], outcome: 'failed', why: 'type-level only, tokens for anyone' },
  { faults: ['binding-token-any-identity', 'post-refused'], outcome: 'failed', why: 'GET only, tokens for anyone' },
];

for (const { faults, outcome, why } of CASES) {
  test(`${faults.join(' + ') || 'no fault'} (${why}) → ${outcome}`, async () => {
    const results = await runSuiteAgainstReference({ fhirVersion: 'R4B', faults, only: [ID] });
    const result = results.get(ID)!;
    expect(result.outcome, result.reason).toBe(outcome);
    if (outcome === 'failed') expect(result.checks.some((c) => !c.passed && c.requirement === 'OP-18')).toBe(true);
  });
}
