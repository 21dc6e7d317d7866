/**
 * The summary counts and the verdict, derived from scenario outcomes. The lead's Playwright reporter
 * and applyBaseline both use these, so a baseline can never make the two disagree.
 *
 * Verdict rules, first match wins:
 *  1. non-conformant: a scenario failed and is not accepted by the baseline; or, at level `should`,
 *     a scenario warned and is not accepted; or a baseline entry is stale or expired.
 *  2. error: a scenario ended in `error` (the harness could not test something); or a scenario is
 *     blocked and nothing in the run judged what blocked it (the harness was late, or the judging
 *     scenario did not fail or did not run): "could not judge n scenarios"; or the run is vacuous:
 *     no SHALL / SHALL NOT / DEF check was evaluated at all (nothing was proven, so no green light).
 *  3. conformant.
 * A scenario blocked by another that failed does not change the verdict: that failure already does.
 * The rules for one check and one scenario live in runner/outcome/.
 */
import { isBlocking } from '../outcome/check-status.js';
import { HARNESS } from '../outcome/scenario-outcome.js';
import { plural } from '../plural.js';
import type { RunResults, ScenarioResult, Verdict } from './results-types.js';

export type Summary = RunResults['summary'];

export interface VerdictInput {
  scenarios: readonly ScenarioResult[];
  level: RunResults['level'];
  baseline?: RunResults['baseline'];
}

export interface VerdictAssessment {
  verdict: Verdict;
  /** Sentences saying why, for the report header; empty when conformant. */
  reasons: string[];
}

/** Counts by outcome; accepted failures/warnings are counted in `accepted` only. */
export function summarizeScenarios(scenarios: readonly ScenarioResult[]): Summary {
  const summary = { passed: 0, failed: 0, blocked: 0, warnings: 0, skipped: 0, errors: 0, accepted: 0 };
  for (const scenario of scenarios) {
    if (isAccepted(scenario)) summary.accepted++;
    else if (scenario.outcome === 'passed') summary.passed++;
    else if (scenario.outcome === 'failed') summary.failed++;
    else if (scenario.outcome === 'blocked') summary.blocked++;
    else if (scenario.outcome === 'warning') summary.warnings++;
    else if (scenario.outcome === 'skipped') summary.skipped++;
    else summary.errors++;
  }
  return summary;
}

/** An accepted deviation only counts when the scenario actually deviates. */
export function isAccepted(scenario: ScenarioResult): boolean {
  return scenario.accepted !== undefined && (scenario.outcome === 'failed' || scenario.outcome === 'warning');
}

/** Does this scenario, on its own, make the run non-conformant at the given level? */
export function countsAgainst(scenario: ScenarioResult, level: RunResults['level']): boolean {
  if (isAccepted(scenario)) return false;
  return scenario.outcome === 'failed' || (level === 'should' && scenario.outcome === 'warning');
}

export function computeVerdict(input: VerdictInput): Verdict {
  return assessVerdict(input).verdict;
}

export function assessVerdict(input: VerdictInput): VerdictAssessment {
  const nonConformance = nonConformanceReasons(input);
  if (nonConformance.length > 0) return { verdict: 'non-conformant', reasons: nonConformance };
  const errors = [...errorReasons(input.scenarios), ...unjudgedReasons(input.scenarios)];
  if (errors.length > 0) return { verdict: 'error', reasons: errors };
  return { verdict: 'conformant', reasons: [] };
}

function nonConformanceReasons({ scenarios, level, baseline }: VerdictInput): string[] {
  const reasons: string[] = [];
  const failing = scenarios.filter((s) => countsAgainst(s, level));
  const failed = failing.filter((s) => s.outcome === 'failed').length;
  const warned = failing.length - failed;
  if (failed > 0) reasons.push(`${plural(failed, 'scenario')} failed a SHALL/DEF check.`);
  if (warned > 0) reasons.push(`${plural(warned, 'scenario')} failed a SHOULD check, and the level is "should".`);
  if (baseline && baseline.stale.length > 0) {
    reasons.push(`Baseline entries no longer fail (remove them): ${baseline.stale.join(', ')}.`);
  }
  if (baseline && baseline.expired.length > 0) {
    reasons.push(`Baseline entries are past their expiry date: ${baseline.expired.join(', ')}.`);
  }
  return reasons;
}

function errorReasons(scenarios: readonly ScenarioResult[]): string[] {
  const errored = scenarios.filter((s) => s.outcome === 'error').length;
  if (errored > 0) return [`${plural(errored, 'scenario')} could not be run (outcome error).`];
  const provedSomething = scenarios.some((s) => s.outcome !== 'skipped' && s.outcome !== 'blocked' && s.checks.some((c) => isBlocking(c.level)));
  if (!provedSomething) return ['No SHALL/DEF check was evaluated: the run proves nothing (all scenarios skipped?).'];
  return [];
}

/** "Could not judge 2 scenarios: expiry.refused-after (blocked by the harness: …), …". */
function unjudgedReasons(scenarios: readonly ScenarioResult[]): string[] {
  const unjudged = unjudgedScenarios(scenarios);
  if (unjudged.length === 0) return [];
  return [`Could not judge ${plural(unjudged.length, 'scenario')}: ${unjudged.map((s) => `${s.id} (${s.reason ?? 'blocked'})`).join('; ')}.`];
}

/**
 * Blocked scenarios whose blocking nobody in this run accounts for: the harness was late, no
 * scenario judges the prerequisite, or the scenario that judges it is absent or did not fail.
 */
export function unjudgedScenarios(scenarios: readonly ScenarioResult[]): ScenarioResult[] {
  const outcomes = new Map(scenarios.map((s) => [s.id, s.outcome]));
  const judged = (by: string | undefined) => by !== undefined && by !== HARNESS && ['failed', 'error'].includes(outcomes.get(by) ?? '');
  return scenarios.filter((s) => s.outcome === 'blocked' && !judged(s.blockedBy));
}

