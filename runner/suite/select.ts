/**
 * --grep: a regular expression tested against "<id> <title>" of each scenario, the same for
 * --list and for a run (Playwright's own --grep would see the describe titles too).
 */
import type { Scenario } from '../scenario/model.js';

export const GREP_ENV = 'FWC_GREP';

export function selectScenarios(scenarios: readonly Scenario[], grep: string | undefined): Scenario[] {
  if (!grep) return [...scenarios];
  const pattern = new RegExp(grep);
  return scenarios.filter((s) => pattern.test(`${s.id} ${s.title}`));
}
