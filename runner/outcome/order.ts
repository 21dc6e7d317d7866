/**
 * The one ordered list of outcomes (Inferno's ordered result options): most severe first. Every
 * roll-up (step → scenario → requirement → run) and every view (HTML order, matrix, JUnit, compare)
 * ranks outcomes by this list and nothing else.
 */
import type { Outcome } from '../report/results-types.js';

export type { Outcome };

/** Most severe first: could not run, does not conform, could not judge, SHOULD, not applicable, held. */
export const OUTCOMES: readonly Outcome[] = ['error', 'failed', 'blocked', 'warning', 'skipped', 'passed'];

/** 0 for the most severe; 'not-run' (nothing to rank) after every outcome. */
export function outcomeRank(outcome: Outcome | 'not-run'): number {
  const rank = OUTCOMES.indexOf(outcome as Outcome);
  return rank === -1 ? OUTCOMES.length : rank;
}

/** The most severe of several outcomes; 'not-run' when there are none. */
export function worstOutcome(outcomes: Iterable<Outcome | 'not-run'>): Outcome | 'not-run' {
  let worst: Outcome | 'not-run' = 'not-run';
  for (const outcome of outcomes) if (outcomeRank(outcome) < outcomeRank(worst)) worst = outcome;
  return worst;
}
