/**
 * How outcomes are named, ranked and explained, in one place, so that the HTML report, the JUnit
 * file, the comparison text and the verdict all speak the same language.
 */
import type { Outcome } from './results-types.js';

export const OUTCOMES: readonly Outcome[] = ['failed', 'error', 'warning', 'passed', 'skipped'];

/** Words and a symbol for each outcome: colour is never the only signal. */
export const OUTCOME_LABEL: Record<Outcome, { word: string; symbol: string }> = {
  passed: { word: 'Passed', symbol: '✔' },
  failed: { word: 'Failed', symbol: '✖' },
  warning: { word: 'Warning', symbol: '⚠' },
  skipped: { word: 'Skipped', symbol: '⊘' },
  error: { word: 'Error', symbol: '⊗' },
};

/** The legend printed at the top of every report. */
export const OUTCOME_MEANING: Record<Outcome, string> = {
  passed: 'every check held.',
  failed: 'a SHALL, SHALL NOT or DEF check failed: the server does not conform.',
  warning: 'a SHOULD check failed (or a MAY behaviour was observed as absent); no SHALL/DEF check failed.',
  skipped: 'a precondition was unmet or an optional behaviour is not supported; the reason says which.',
  error: 'the harness could not run the scenario (network failure, broken fixture); nothing is known.',
};

/** Display order: what needs attention first. */
export function outcomeRank(outcome: Outcome): number {
  return OUTCOMES.indexOf(outcome);
}

/** "✖ Failed" */
export function outcomeText(outcome: Outcome): string {
  const { symbol, word } = OUTCOME_LABEL[outcome];
  return `${symbol} ${word}`;
}
