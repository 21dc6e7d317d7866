/**
 * The roll-up from scenarios to a requirement (the coverage matrix). A requirement's outcome is the
 * worst over the scenarios that test it, and within a scenario only the checks that test it directly
 * count: those naming it, or — when none does — the scenario's untagged checks. A prerequisite check
 * never counts (another scenario judges it), and a blocked scenario did not judge its requirements:
 * they show as blocked, "not judged", never failed.
 */
import type { CheckRecord } from '../checks/check-record.js';
import type { ScenarioResult } from '../report/results-types.js';
import { checkStatus, type RunLevel } from './check-status.js';
import { worstOutcome, type Outcome } from './order.js';

/** The scenarios that test a requirement: they name it, or one of their own (non-prerequisite) checks does. */
export function scenariosCovering(id: string, scenarios: readonly ScenarioResult[]): ScenarioResult[] {
  return scenarios.filter((s) => s.requirements.includes(id) || s.checks.some((c) => testsDirectly(c, id)));
}

export function requirementOutcome(id: string, covering: readonly ScenarioResult[], level: RunLevel): Outcome | 'not-run' {
  return worstOutcome(covering.map((s) => outcomeForRequirement(id, s, level)));
}

function outcomeForRequirement(id: string, scenario: ScenarioResult, level: RunLevel): Outcome {
  if (scenario.outcome === 'blocked' || scenario.outcome === 'skipped' || scenario.outcome === 'error') return scenario.outcome;
  const own = scenario.checks.filter((c) => testsDirectly(c, id));
  const untagged = scenario.requirements.includes(id) ? scenario.checks.filter((c) => !c.requirement && !c.prerequisite) : [];
  const deciding = own.length > 0 ? own : untagged;
  if (deciding.length === 0) return scenario.outcome;
  const worst = worstOutcome(deciding.map((c) => checkStatus(c, level)));
  return worst === 'not-run' ? scenario.outcome : worst;
}

function testsDirectly(check: CheckRecord, id: string): boolean {
  return check.requirement === id && !check.prerequisite;
}
