/**
 * The requirement matrix the HTML report shows: requirement → level → scenarios → outcome. The run's own
 * (results.requirements, built from suites/requirements.csv) when present; otherwise derived from the
 * requirement ids the scenarios name, so a results.json from any source still gets a matrix.
 */
import type { RunLevel } from '../outcome/check-status.js';
import { requirementOutcome, scenariosCovering } from '../outcome/requirement-outcome.js';
import type { RequirementCoverage, RunResults, ScenarioResult } from './results-types.js';

/** Coverage for requirement ids without a table row (level and statement unknown). */
function coverageFromIds(ids: readonly string[], scenarios: readonly ScenarioResult[], level: RunLevel): RequirementCoverage[] {
  return ids.map((id) => {
    const covering = scenariosCovering(id, scenarios);
    return {
      id, level: '', url: '', statement: '',
      scenarios: covering.map((s) => s.id),
      tested: covering.length > 0,
      outcome: requirementOutcome(id, covering, level),
    };
  });
}

/** The run's own matrix, or one derived from the scenarios when the run has none. */
export function requirementMatrix(results: RunResults): RequirementCoverage[] {
  if (results.requirements && results.requirements.length > 0) return results.requirements;
  const ids = [...new Set(results.scenarios.flatMap((s) => s.requirements))].sort(compareRequirementIds);
  return coverageFromIds(ids, results.scenarios, results.level);
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
