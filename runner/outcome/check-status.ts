/**
 * What one check means at the run's level — the rule every renderer and the engine share:
 *  - passed:  it held;
 *  - blocked: it failed, but it checked a prerequisite of the scenario (a working invocation, a
 *             handshake for a genuine token, a bind sent in time), judged elsewhere or the harness's;
 *  - failed:  a SHALL / SHALL NOT / DEF check failed, or a SHOULD check under --level should;
 *  - warning: a SHOULD check failed (at the default level shall);
 *  - skipped: a MAY check failed: the optional behaviour is not offered — it informs, never decides.
 */
import type { CheckRecord, Level } from '../checks/check-record.js';
import type { Outcome } from './order.js';

/** The level the run judges at: `should` makes SHOULD failures decide the verdict too. */
export type RunLevel = 'shall' | 'should';

/** SHALL, SHALL NOT and DEF decide the verdict at every level. */
export function isBlocking(level: Level): boolean {
  return level === 'SHALL' || level === 'SHALL NOT' || level === 'DEF';
}

export function checkStatus(check: CheckRecord, level: RunLevel): Exclude<Outcome, 'error'> {
  if (check.passed) return 'passed';
  if (check.prerequisite) return 'blocked';
  if (isBlocking(check.level)) return 'failed';
  if (check.level === 'SHOULD') return level === 'should' ? 'failed' : 'warning';
  return 'skipped';
}

/**
 * Does this failed check end the scenario? Later steps depend on a failed SHALL/DEF check or an
 * unmet prerequisite. Deliberately independent of --level: the run performs the same steps at both
 * levels, so a SHOULD failure never hides what the later steps would have shown.
 */
export function stopsScenario(check: CheckRecord): boolean {
  const status = checkStatus(check, 'shall');
  return status === 'failed' || status === 'blocked';
}
