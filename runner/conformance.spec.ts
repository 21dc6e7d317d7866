/**
 * The generator spec: scenarios (YAML) become Playwright tests at load time — describe per file,
 * test per scenario, test.step per step located at its YAML line. Tags and annotations carry the
 * requirement ids and levels; the scenario result travels to the reporters as an attachment.
 */
import { plural } from './plural.js';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { describeFailure, type CheckRecord } from './checks/check-record.js';
import { checkStatus } from './outcome/check-status.js';
import { HARNESS } from './outcome/scenario-outcome.js';
import { runConfigFromEnv } from './config/from-env.js';
import { discoverTarget } from './engine/discover-target.js';
import { runScenario, type ScenarioRun } from './engine/run-scenario.js';
import type { Target } from './engine/target.js';
import { targetFromHandoff } from './engine/target-handoff.js';
import { PROJECT_ROOT } from './project-root.js';
import { readSuiteCache } from './suite/suite-cache.js';
import { GREP_ENV, selectScenarios } from './suite/select.js';
import { longestFirst } from './suite/order.js';
import type { Scenario } from './scenario/model.js';
import { terminalLine } from './cli/terminal-text.js';
import { printProgress } from './report/progress.js';
import { markFinished, waitForOthers } from './suite/run-last.js';

export const RESULT_ATTACHMENT = 'fwc-scenario-result';
export const TARGET_ATTACHMENT = 'fwc-target';

const config = runConfigFromEnv();
/** How long a runsLast scenario waits for the others at most. */
const RUN_LAST_BOUND_MS = 10 * 60_000;

const test = base.extend<{}, { target: Target }>({
  target: [
    async ({}, use) => {
      const handedOver = targetFromHandoff();
      if (handedOver) return use(handedOver);
      const server = config.server ?? process.env.FHIR_SERVER;
      if (!server) throw new Error('no target: set FHIR_SERVER or run through fhir-ws-conformance');
      await use(await discoverTarget({ ...config, server }));
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

// The CLI hands over the suite it already loaded and validated (suite-cache.ts); alone, load it
// here — imported only then, as the loader brings YAML and schema libraries every worker would load.
const suite = readSuiteCache() ?? (await import('./suite/project-suite.js')).loadProjectSuite();

const ordered = longestFirst(suite, config.timeouts.silenceMs).map((file) => ({ file, selected: selectScenarios(file.scenarios, process.env[GREP_ENV]) }));
const runFirst = ordered.flatMap(({ selected }) => selected.filter((s) => !s.runsLast).map((s) => s.id));

// Defined last, so they are handed to a worker last; each also waits for the others (run-last.ts).
for (const pass of [false, true]) {
  for (const { file, selected } of ordered) {
    const scenarios = selected.filter((s) => !!s.runsLast === pass);
    if (scenarios.length === 0) continue;
    test.describe(`${file.chapter}: ${file.title}`, () => {
      for (const scenario of scenarios) defineScenarioTest(scenario);
    });
  }
}

test.afterEach(({}, testInfo) => {
  const scenario = testInfo.annotations.find((a) => a.type === 'scenario')?.description;
  if (scenario) markFinished(testInfo.project.outputDir, scenario);
});

/** A runsLast scenario starts once the others have finished (not across shards: those run elsewhere). */
async function waitForTheOthers(testInfo: import('@playwright/test').TestInfo): Promise<void> {
  if (testInfo.config.shard) return;
  const started = Date.now();
  const timeout = testInfo.timeout;
  testInfo.setTimeout(0);
  const unfinished = await waitForOthers(testInfo.project.outputDir, runFirst, RUN_LAST_BOUND_MS);
  testInfo.setTimeout(timeout + (Date.now() - started));
  if (unfinished.length > 0) testInfo.annotations.push({ type: 'note', description: `started before ${plural(unfinished.length, 'other scenario')} had finished (waited ${RUN_LAST_BOUND_MS / 60_000} min)` });
}

function defineScenarioTest(scenario: Scenario): void {
  const details = {
    tag: [`@${scenario.level.replace(' ', '-')}`, ...scenario.requirements.map((r) => `@${r}`)],
    annotation: [
      { type: 'scenario', description: scenario.id },
      ...(scenario.chapter ? [{ type: 'chapter', description: scenario.chapter }] : []),
      { type: 'level', description: scenario.level },
      { type: 'requirements', description: scenario.requirements.join(', ') },
    ],
  };
  test(`${scenario.id} ${scenario.title}`, details, async ({ target }, testInfo) => {
    if (scenario.runsLast) await waitForTheOthers(testInfo);
    const run = await runScenario(scenario, target, (title, step, body) =>
      test.step(title, async () => {
        const { checks, evidence } = await body();
        if (evidence.length > 0) await testInfo.attach(`evidence: ${title}`, { body: JSON.stringify(evidence, null, 2), contentType: 'application/json' });
        softFailBlocking(checks, target);
      }, {
        location: { file: path.resolve(PROJECT_ROOT, scenario.file), line: step.location.line, column: step.location.column },
      }),
      printProgress,
    );
    await attachRun(run, target, testInfo);
    const { outcome, reason } = run.result;
    testInfo.annotations.push({ type: 'outcome', description: outcome });
    if (outcome === 'warning') testInfo.annotations.push({ type: 'warning', description: terminalLine(reason ?? '') });
    if (outcome === 'blocked') {
      // The harness was late: not a finding. A retry may judge it (Playwright retries failed tests only).
      const retriesLeft = testInfo.retry < testInfo.project.retries;
      if (run.result.blockedBy === HARNESS && retriesLeft) throw new Error(`not judged, retrying: ${terminalLine(reason ?? '')}`);
      test.skip(true, reason === undefined ? undefined : terminalLine(reason));
    }
    if (outcome === 'skipped') test.skip(true, reason === undefined ? undefined : terminalLine(reason));
    if (outcome === 'error') throw new Error(`could not run: ${terminalLine(reason ?? 'no reason given')}`);
  });
}

/** A check failed at the run's level marks its own step (and the test) failed without stopping the engine. */
function softFailBlocking(checks: CheckRecord[], target: Target): void {
  for (const check of checks) {
    if (checkStatus(check, target.config.level) === 'failed') expect.soft(check.passed, terminalLine(describeFailure(check))).toBe(true);
  }
}

async function attachRun(run: ScenarioRun, target: Target, testInfo: import('@playwright/test').TestInfo): Promise<void> {
  await testInfo.attach(RESULT_ATTACHMENT, { body: JSON.stringify(run), contentType: 'application/json' });
  const summary = {
    url: target.baseUrl,
    fhirVersion: target.fhirVersion,
    fhirVersionSource: target.fhirVersionSource,
    software: target.software,
    softwareVersion: target.softwareVersion,
    learned: target.learned,
  };
  await testInfo.attach(TARGET_ATTACHMENT, { body: JSON.stringify(summary), contentType: 'application/json' });
}
