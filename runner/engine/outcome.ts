/**
 * From check records to an outcome (the legend in README.md):
 *  - failed:  a SHALL / SHALL NOT / DEF check failed (or a SHOULD check, under --level should);
 *  - warning: only SHOULD checks failed — passed, with a warning;
 *  - skipped: a precondition was unmet, the scenario does not apply, or (MAY) the optional
 *             behaviour is not supported — always with a sentence saying why;
 *  - error:   the harness could not run it (setup failed, internal error);
 *  - passed:  everything checked held.
 */
import type { CheckRecord } from '../checks/check-record.js';
import { describeFailure, isBlocking } from '../checks/check-record.js';
import type { Outcome } from '../report/results-types.js';
import type { Scenario } from '../scenario/model.js';
import type { Target } from './target.js';

export function decideOutcome(
  scenario: Scenario,
  checks: CheckRecord[],
  ended: { kind: 'skip' | 'error'; reason: string } | undefined,
  level: 'shall' | 'should',
): { outcome: Outcome; reason?: string } {
  const failedBlocking = checks.find((c) => !c.passed && isBlocking(c.level));
  if (failedBlocking) return { outcome: 'failed', reason: describeFailure(failedBlocking) };
  if (ended?.kind === 'error') return { outcome: 'error', reason: ended.reason };
  const failedShould = checks.find((c) => !c.passed && c.level === 'SHOULD');
  if (ended?.kind === 'skip') return { outcome: 'skipped', reason: ended.reason };
  const failedMay = checks.find((c) => !c.passed && c.level === 'MAY');
  if (failedMay && !failedShould) return { outcome: 'skipped', reason: `optional behaviour not supported: ${describeFailure(failedMay)}` };
  if (failedShould) return { outcome: level === 'should' ? 'failed' : 'warning', reason: describeFailure(failedShould) };
  if (checks.length === 0) return { outcome: 'error', reason: 'no check was made (a scenario must check something)' };
  return { outcome: 'passed' };
}

export function unmetPrecondition(scenario: Scenario, target: Target): string | undefined {
  for (const capability of scenario.preconditions) {
    if (!target.capabilities.has(capability)) {
      return `precondition "${capability}" not met: ${target.missingCapabilityReasons[capability] ?? 'not available on this target'}`;
    }
  }
  return undefined;
}
