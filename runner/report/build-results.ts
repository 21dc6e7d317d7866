/**
 * Assembles RunResults from scenario results: summary counts and verdict (verdict.ts, which holds
 * the no-vacuous-pass guard), merged server profile, and the requirement coverage matrix.
 */
import type { RequirementRow } from '../suite/requirements.js';
import type { RunLevel } from '../outcome/check-status.js';
import { requirementOutcome, scenariosCovering } from '../outcome/requirement-outcome.js';
import type { RequirementCoverage, RunResults, ScenarioResult, ServerProfile } from './results-types.js';
import { computeVerdict, summarizeScenarios } from './verdict.js';
import { deriveProfile } from './derive-profile.js';
import { measureTiming } from './timing.js';

export interface BuildInput {
  tool: RunResults['tool'];
  provenance?: RunResults['provenance'];
  server: RunResults['server'];
  invocation?: string;
  startedAt: string;
  finishedAt: string;
  level: 'shall' | 'should';
  scenarios: ScenarioResult[];
  profiles: Array<Record<string, unknown>>;
  learned?: Record<string, unknown>;
  requirements: RequirementRow[];
  /** Scenario ids in the suite that were selected but never reported (crash, interrupted run). */
  missing?: string[];
}

export function buildResults(input: BuildInput): RunResults {
  const scenarios = [...input.scenarios].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return {
    tool: input.tool,
    ...(input.provenance ? { provenance: input.provenance } : {}),
    server: input.server,
    invocation: input.invocation,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    level: input.level,
    verdict: computeVerdict({ scenarios, level: input.level }),
    summary: summarizeScenarios(scenarios),
    profile: deriveProfile(scenarios, mergeProfiles(input.profiles, input.learned)),
    scenarios,
    requirements: coverage(input.requirements, scenarios, input.level),
    timing: measureTiming(scenarios),
  };
}

/** First observation wins for scalars; lists are united; the worker's learned values fill gaps. */
function mergeProfiles(profiles: Array<Record<string, unknown>>, learned?: Record<string, unknown>): ServerProfile {
  const merged: ServerProfile = {};
  for (const profile of profiles) {
    for (const [key, value] of Object.entries(profile)) {
      if (value === undefined) continue;
      const current = merged[key];
      if (Array.isArray(current) && Array.isArray(value)) merged[key] = [...new Set([...current, ...value])];
      else if (current === undefined) merged[key] = value;
    }
  }
  if (typeof learned?.invocation === 'string' && merged.invocation === undefined) merged.invocation = learned.invocation;
  if (learned?.bindForm && merged.bindForms === undefined) merged.bindForms = [learned.bindForm as string];
  // facts discovery's run-level probes recorded (legacy-protocol.ts, security-observations.ts)
  if (typeof learned?.legacyProtocol === 'string') merged.legacyProtocol ??= learned.legacyProtocol;
  for (const [key, value] of Object.entries((learned?.security ?? {}) as Record<string, unknown>)) merged[key] ??= value;
  return merged;
}

/** Each requirement's outcome over the checks that test it directly (runner/outcome/requirement-outcome.ts). */
function coverage(rows: RequirementRow[], scenarios: ScenarioResult[], level: RunLevel): RequirementCoverage[] {
  return rows.map((row) => {
    const covering = scenariosCovering(row.id, scenarios);
    const outcome = requirementOutcome(row.id, covering, level);
    return {
      id: row.id,
      level: row.level,
      url: row.url,
      statement: row.statement,
      scenarios: covering.map((s) => s.id),
      tested: row.tested,
      notTestedReason: row.notTestedReason,
      outcome,
    };
  });
}
