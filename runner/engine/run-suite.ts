/**
 * Runs scenarios against a target in-process, several at a time, without Playwright: the
 * library entry point (`import { runSuite } from 'fhir-ws-conformance/runner/engine/run-suite.ts'`)
 * and how the project's own tests prove each reference-server fault is caught. The CLI runs the
 * same runScenario through Playwright.
 */
import type { ScenarioResult } from '../report/results-types.js';
import type { Scenario, ScenarioFile } from '../scenario/model.js';
import { HARNESS } from '../outcome/scenario-outcome.js';
import { runScenario, type ScenarioRun } from './run-scenario.js';
import type { Target } from './target.js';

export interface SuiteRunOptions {
  /** Scenarios in flight at once (they mostly wait on the network). */
  concurrency?: number;
  /** Only these scenario ids (default: all). */
  only?: readonly string[];
  /**
   * Runs again a scenario the harness itself left unjudged (blocked by the harness: it bound too late),
   * as --retries does for the CLI; the last attempt decides. Default 1; a server failure is never rerun.
   */
  harnessRetries?: number;
}

export interface SuiteRun {
  results: ScenarioResult[];
  profiles: Array<Record<string, unknown>>;
}

export async function runSuite(files: readonly ScenarioFile[], target: Target, options: SuiteRunOptions = {}): Promise<SuiteRun> {
  const scenarios = files.flatMap((f) => f.scenarios).filter((s) => !options.only || options.only.includes(s.id));
  const results: ScenarioResult[] = new Array(scenarios.length);
  const profiles: Array<Record<string, unknown>> = [];
  const runAll = async (indices: number[]) => {
    const queue = [...indices];
    const worker = async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        const run = await runJudged(scenarios[index] as Scenario, target, options.harnessRetries ?? 1);
        results[index] = run.result;
        profiles.push(run.profile);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  };
  // Scenarios marked runsLast start once every other one has finished (model.ts says why).
  const indices = scenarios.map((_, index) => index);
  await runAll(indices.filter((index) => !scenarios[index]!.runsLast));
  await runAll(indices.filter((index) => scenarios[index]!.runsLast));
  return { results, profiles };
}

/** One scenario, run again while the harness (not the server) left it unjudged; attempts are counted. */
async function runJudged(scenario: Scenario, target: Target, retries: number): Promise<ScenarioRun> {
  let run = await runScenario(scenario, target);
  for (let attempt = 2; attempt <= retries + 1 && run.result.blockedBy === HARNESS; attempt++) {
    run = await runScenario(scenario, target);
    run.result.attempts = attempt;
  }
  return run;
}
