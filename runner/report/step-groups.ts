/**
 * A scenario's step tree as the reports render it (HTML, JUnit): ScenarioResult.steps, each with the
 * checks it made, and first a "set-up" group for checks made before the first step (fixtures). A
 * results file written without steps (an older run, a merged shard) is grouped by each check's step.
 */
import type { CheckRecord } from '../checks/check-record.js';
import type { RunLevel } from '../outcome/check-status.js';
import { stepStatus } from '../outcome/scenario-outcome.js';
import type { ScenarioResult, StepResult } from './results-types.js';

export interface StepGroup {
  name: string;
  status: StepResult['status'];
  /** suites/05-expiry.yaml:40 — where the step is written, when known. */
  where?: string;
  checks: CheckRecord[];
}

export function stepGroups(scenario: Pick<ScenarioResult, 'steps' | 'checks'>, level: RunLevel): StepGroup[] {
  const steps = scenario.steps;
  const groups = steps
    ? steps.map((s) => ({ name: s.name, status: s.status, where: `${s.location.file}:${s.location.line}`, checks: s.checks }))
    : derivedGroups(scenario.checks, level);
  const inSteps = new Set(steps ? steps.map((s) => s.index) : scenario.checks.map((c) => c.step).filter((i) => i !== undefined && i > 0));
  const setUp = scenario.checks.filter((c) => c.step === undefined || !inSteps.has(c.step));
  return setUp.length > 0 ? [{ name: 'set-up (before the first step)', status: stepStatus(setUp, level), checks: setUp }, ...groups] : groups;
}

/** Results written before steps were recorded: one group per step number the checks name. */
function derivedGroups(checks: readonly CheckRecord[], level: RunLevel): StepGroup[] {
  const indexes = [...new Set(checks.map((c) => c.step).filter((i): i is number => i !== undefined && i > 0))].sort((a, b) => a - b);
  return indexes.map((index) => {
    const own = checks.filter((c) => c.step === index);
    const location = own.find((c) => c.location)?.location;
    return { name: `step ${index}`, status: stepStatus(own, level), ...(location ? { where: `${location.file}:${location.line}` } : {}), checks: own };
  });
}
