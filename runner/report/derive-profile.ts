/**
 * Profile facts that follow from a scenario's outcome rather than from a `record:` step: a MAY
 * scenario that ends "not supported" records nothing itself, yet that is the observation.
 * Each rule names the scenario it reads; a scenario that did not run leaves the fact unknown.
 */
import type { ScenarioResult, ServerProfile } from './results-types.js';

interface Rule {
  scenario: string;
  fact: keyof ServerProfile & string;
  value: (result: ScenarioResult) => unknown;
}

const RULES: Rule[] = [
  { scenario: 'binding.reuse.same-token', fact: 'tokenReuse', value: (r) => (r.outcome === 'passed' ? 'reusable' : r.outcome === 'skipped' && r.reason?.startsWith('optional behaviour not supported') ? 'single-use' : undefined) },
  { scenario: 'invoke.instance.get.backport', fact: 'getSupported', value: (r) => (r.outcome === 'passed' || r.outcome === 'warning' ? true : r.outcome === 'failed' ? false : undefined) },
  { scenario: 'invoke.instance.get.r5', fact: 'getSupported', value: (r) => (r.outcome === 'passed' || r.outcome === 'warning' ? true : r.outcome === 'skipped' && r.reason?.startsWith('optional behaviour not supported') ? false : undefined) },
];

export function deriveProfile(scenarios: readonly ScenarioResult[], profile: ServerProfile): ServerProfile {
  const derived: ServerProfile = { ...profile };
  for (const rule of RULES) {
    const result = scenarios.find((s) => s.id === rule.scenario);
    const value = result ? rule.value(result) : undefined;
    if (value !== undefined && derived[rule.fact] === undefined) derived[rule.fact] = value;
  }
  return derived;
}
