/**
 * How outcomes are named and explained, so that the HTML report, the JUnit file, the comparison text
 * and the verdict all speak the same language. Their order and rules live in runner/outcome/.
 */
import type { Outcome, RunResults } from './results-types.js';

export { OUTCOMES, outcomeRank } from '../outcome/order.js';

/** Words and a symbol for each outcome: colour is never the only signal. */
export const OUTCOME_LABEL: Record<Outcome, { word: string; symbol: string }> = {
  passed: { word: 'Passed', symbol: '✔' },
  failed: { word: 'Failed', symbol: '✖' },
  blocked: { word: 'Blocked', symbol: '⊟' },
  warning: { word: 'Warning', symbol: '⚠' },
  skipped: { word: 'Skipped', symbol: '⊘' },
  error: { word: 'Error', symbol: '⊗' },
};

/** The legend printed at the top of every report. */
export const OUTCOME_MEANING: Record<Outcome, string> = {
  passed: 'every check held.',
  failed: 'a SHALL, SHALL NOT or DEF check failed: the server does not conform.',
  blocked:
    'not judged: a prerequisite did not hold (no handshake for a genuine token, a token already expired, the harness bound too late); the reason names the scenario that judges it, or the harness.',
  warning: 'a SHOULD check failed; no SHALL/DEF check failed.',
  skipped: 'a precondition was unmet, the scenario does not apply, or an optional (MAY) behaviour is not offered; the reason says which.',
  error: 'the harness could not run the scenario (network failure, broken fixture); nothing is known.',
};

/** "✖ Failed" */
export function outcomeText(outcome: Outcome): string {
  const { symbol, word } = OUTCOME_LABEL[outcome];
  return `${symbol} ${word}`;
}

/** "3 passed, 1 failed, 2 blocked, 0 warnings, 1 skipped, 0 errors[, 1 accepted]": the counts, said one way everywhere. */
export function summaryText(s: RunResults['summary']): string {
  const counts = `${s.passed} passed, ${s.failed} failed, ${s.blocked ?? 0} blocked, ${s.warnings} warnings, ${s.skipped} skipped, ${s.errors} errors`;
  return s.accepted ? `${counts}, ${s.accepted} accepted` : counts;
}
