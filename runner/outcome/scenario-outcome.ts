/**
 * The roll-up from checks to a step's status and a scenario's outcome (the legend in README.md).
 * A scenario's outcome, first match wins:
 *  1. failed:  a SHALL / SHALL NOT / DEF check failed that is not a prerequisite — a finding stands,
 *              whatever happened after it;
 *  2. blocked: a prerequisite check failed: the scenario could not judge its own requirement
 *              ("blocked by binding.handshake.single: …", or by the harness when it was late or its setup could not judge);
 *  3. error:   the harness could not run it (setup failed, internal error);
 *  4. skipped: a precondition was unmet or the scenario does not apply — with the sentence why;
 *  5. warning: a SHOULD check failed (failed under --level should);
 *  6. skipped: only MAY checks failed: the optional behaviour is not offered;
 *  7. error:   nothing was checked (a scenario must check something);
 *  8. passed.
 */
import { describeFailure, type CheckRecord } from '../checks/check-record.js';
import type { StepStatus } from '../report/results-types.js';
import { checkStatus, type RunLevel } from './check-status.js';
import { failedAt, isFinding, isUnmet } from './decisive-check.js';
import { worstOutcome, type Outcome } from './order.js';

/** How a scenario ended early, when it did: skipped (with why) or an error of the harness. */
export type EarlyEnd = { kind: 'skip' | 'error'; reason: string } | undefined;

export interface ScenarioOutcome {
  outcome: Outcome;
  reason?: string;
  /** Blocked only: the judging scenario's id, or 'harness'. */
  blockedBy?: string;
}

/** Who is blamed when a prerequisite fails: the harness first (its lateness explains the rest). */
export const HARNESS = 'harness';

export function decideOutcome(checks: readonly CheckRecord[], ended: EarlyEnd, level: RunLevel): ScenarioOutcome {
  const finding = checks.find(isFinding);
  if (finding) return { outcome: 'failed', reason: describeFailure(finding) };
  const unmet = checks.find(isUnmet);
  if (unmet) return blocked(unmet);
  if (ended?.kind === 'error') return { outcome: 'error', reason: ended.reason };
  if (ended?.kind === 'skip') return { outcome: 'skipped', reason: ended.reason };
  const failedShould = checks.find(failedAt('SHOULD'));
  if (failedShould) return { outcome: checkStatus(failedShould, level), reason: describeFailure(failedShould) };
  const failedMay = checks.find(failedAt('MAY'));
  if (failedMay) return { outcome: 'skipped', reason: `optional behaviour not supported: ${describeFailure(failedMay)}` };
  if (checks.length === 0) return { outcome: 'error', reason: 'no check was made (a scenario must check something)' };
  return { outcome: 'passed' };
}

/** "blocked by binding.handshake.single: <the failure>" — the judge is named so the reader can go there. */
function blocked(check: CheckRecord): ScenarioOutcome {
  const by = check.prerequisite!.harness ? HARNESS : check.prerequisite!.judgedBy;
  const who = by === HARNESS ? 'the harness (timing or setup of the run, not the server)' : (by ?? 'an unmet prerequisite no scenario judges');
  return { outcome: 'blocked', reason: `blocked by ${who}: ${describeFailure(check)}`, ...(by ? { blockedBy: by } : {}) };
}

/** A step that ran: the worst status of its checks (passed when it checked nothing). */
export function stepStatus(checks: readonly CheckRecord[], level: RunLevel): StepStatus {
  const worst = worstOutcome(checks.map((c) => checkStatus(c, level)));
  return worst === 'not-run' ? 'passed' : worst;
}
