/**
 * Which check decided a scenario's outcome, read back from its checks: the same choice
 * decideOutcome (scenario-outcome.ts) made when it wrote `reason`, so every renderer (terminal
 * line, closing section, annotations, JUnit, HTML, replay scripts) names the same one check.
 */
import type { CheckRecord } from '../checks/check-record.js';
import { isBlocking } from './check-status.js';
import type { Outcome } from './order.js';

/** A failed SHALL / SHALL NOT / DEF check that is the scenario's own finding. */
export const isFinding = (c: CheckRecord): boolean => !c.passed && !c.prerequisite && isBlocking(c.level);
/** A failed check of a prerequisite: it blocks the scenario. */
export const isUnmet = (c: CheckRecord): boolean => !c.passed && !!c.prerequisite;
/** A failed check at level `level` (SHOULD warns, MAY informs). */
export const failedAt = (level: 'SHOULD' | 'MAY') => (c: CheckRecord): boolean => !c.passed && c.level === level;

export function decisiveCheck(checks: readonly CheckRecord[], outcome: Outcome): CheckRecord | undefined {
  switch (outcome) {
    case 'failed':
      // a SHOULD decides a failure only under --level should, when no finding exists
      return checks.find(isFinding) ?? checks.find(failedAt('SHOULD'));
    case 'blocked':
      return checks.find(isUnmet);
    case 'warning':
      return checks.find(failedAt('SHOULD'));
    default:
      return undefined;
  }
}
