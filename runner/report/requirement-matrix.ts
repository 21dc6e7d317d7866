/**
 * The requirement matrix the HTML report shows: requirement → level → scenarios → outcome. The run's own
 * (results.requirements, built from suites/requirements.csv) when present; otherwise derived from the
 * requirement ids the scenarios name, so a results.json from any source still gets a matrix.
 */
import { isBlocking } from '../checks/check-record.js';
import { outcomeRank } from './outcomes.js';
import type { Outcome, RequirementCoverage, RunResults, ScenarioResult } from './results-types.js';

/** Coverage for requirement ids without a table row (level and statement unknown). */
function coverageFromIds(ids: readonly string[], scenarios: readonly ScenarioResult[]): RequirementCoverage[] {
  return ids.map((id) => {
    const covering = scenariosCovering(id, scenarios);
    return {
      id, level: '', url: '', statement: '',
      scenarios: covering.map((s) => s.id),
      tested: covering.length > 0,
      outcome: requirementOutcome(id, covering),
    };
  });
}

/** The run's own matrix, or one derived from the scenarios when the run has none. */
export function requirementMatrix(results: RunResults): RequirementCoverage[] {
  if (results.requirements && results.requirements.length > 0) return results.requirements;
  const ids = [...new Set(results.scenarios.flatMap((s) => s.requirements))].sort(compareRequirementIds);
  return coverageFromIds(ids, results.scenarios);
}

function scenariosCovering(id: string, scenarios: readonly ScenarioResult[]): ScenarioResult[] {
  return scenarios.filter((s) => s.requirements.includes(id) || s.checks.some((c) => c.requirement === id));
}

/**
 * The worst outcome over the scenarios covering a requirement. Where a scenario's checks name the
 * requirement, only those checks decide (a scenario that fails FW-09 has not failed FW-04).
 */
export function requirementOutcome(id: string, covering: readonly ScenarioResult[]): Outcome | 'not-run' {
  const outcomes = covering.map((s) => outcomeForRequirement(id, s));
  if (outcomes.length === 0) return 'not-run';
  return outcomes.reduce((worst, o) => (outcomeRank(o) < outcomeRank(worst) ? o : worst));
}

function outcomeForRequirement(id: string, scenario: ScenarioResult): Outcome {
  if (scenario.outcome === 'skipped' || scenario.outcome === 'error') return scenario.outcome;
  const own = scenario.checks.filter((c) => c.requirement === id);
  if (own.length === 0) return scenario.outcome;
  if (own.some((c) => !c.passed && isBlocking(c.level))) return 'failed';
  if (own.some((c) => !c.passed)) return 'warning';
  return 'passed';
}

/** OP-2 before OP-10: prefix alphabetically, then the number numerically. */
export function compareRequirementIds(a: string, b: string): number {
  const [pa, na] = splitId(a);
  const [pb, nb] = splitId(b);
  return pa === pb ? na - nb : pa.localeCompare(pb);
}

function splitId(id: string): [string, number] {
  const match = /^(.*?)(\d+)$/.exec(id);
  return match ? [match[1]!, Number(match[2])] : [id, 0];
}
