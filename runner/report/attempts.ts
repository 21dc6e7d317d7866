/**
 * --retries: Playwright runs a failed scenario again, and the reporter hears every attempt. The last
 * attempt decides the outcome; earlier failures are kept, so a scenario that passed only on a retry is
 * reported as flaky — visible, never silently green (FIELD.md: users should need no retry wrapper,
 * and must still see the flake).
 */
import type { Outcome, ScenarioResult } from './results-types.js';

export interface Attempt {
  outcome: Outcome;
  reason?: string;
}

const BAD: ReadonlySet<Outcome> = new Set(['failed', 'error']);

/** The latest attempt's result, annotated with the attempts before it. */
export function withAttempts(latest: ScenarioResult, earlier: readonly Attempt[]): ScenarioResult {
  if (earlier.length === 0) return latest;
  const failedBefore = earlier.filter((a) => BAD.has(a.outcome));
  const flaky = !BAD.has(latest.outcome) && failedBefore.length > 0;
  return { ...latest, attempts: earlier.length + 1, ...(flaky ? { flaky: { earlier: failedBefore } } : {}) };
}

export function attemptOf(result: ScenarioResult): Attempt {
  return { outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}) };
}
