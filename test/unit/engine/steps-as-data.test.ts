/** A scenario result carries its steps as data: run, interrupted, or not run (runner/engine/run-scenario.ts). */
import { test, expect } from '@playwright/test';
import { defaultRunConfig } from '../../../runner/config/run-config.js';
import { runScenario } from '../../../runner/engine/run-scenario.js';
import { nothingLearned, type Target } from '../../../runner/engine/target.js';
import { loadScenarioText } from '../../../runner/scenario/load.js';

const target = (): Target => ({
  baseUrl: 'http://127.0.0.1:9/fhir', fhirVersion: 'R5', fhirVersionSource: 'config', operationDefinition: {},
  triggerResourceType: 'Patient', capabilities: new Set(), missingCapabilityReasons: {},
  config: { ...defaultRunConfig(), maxWaitMs: 1000 }, authHeaders: {}, secrets: [], learned: nothingLearned(),
});

const file = loadScenarioText(`chapter: engine
title: Steps as data
scenarios:
  - id: engine.steps.skip
    title: A wait longer than maxWait skips the scenario in its second step
    requirements: [WS-04]
    level: DEF
    steps:
      - name: set a value
        set: { x: "1" }
      - name: wait too long
        wait: { duration: 5s, skipReason: too long for this run }
      - name: never run
        set: { y: "2" }
`, 'suites/engine.yaml');

test('steps that ran, the one a skip interrupted, and those not run, each with its YAML location', async () => {
  const { result } = await runScenario(file.scenarios[0]!, target());
  expect(result.outcome).toBe('skipped');
  expect(result.chapter).toBe('engine'); // the YAML's chapter:, not a piece of the id
  expect(result.steps!.map((s) => [s.index, s.kind, s.status])).toEqual([[1, 'set', 'passed'], [2, 'wait', 'skipped'], [3, 'set', 'not-run']]);
  expect(result.steps![2]).toMatchObject({ name: '3. never run', location: { file: 'suites/engine.yaml', line: 13, column: 9 }, checks: [], evidence: [] });
});
