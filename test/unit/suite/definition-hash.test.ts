/**
 * Definition hashes (runner/suite/definition-hash.ts): what a scenario does changes its hash; where
 * it is written does not; the suite hash covers every scenario and the requirements text.
 */
import { test, expect } from '@playwright/test';
import { loadProjectSuite } from '../../../runner/suite/project-suite.js';
import { scenarioDefinitionHash, suiteDefinitionHash } from '../../../runner/suite/definition-hash.js';
import type { Scenario } from '../../../runner/scenario/model.js';

const suite = loadProjectSuite();
const scenario = suite[0]!.scenarios[0]!;

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

test('16 hex digits, the same for the same definition every time', () => {
  expect(scenarioDefinitionHash(scenario)).toMatch(/^[0-9a-f]{16}$/);
  expect(scenarioDefinitionHash(clone(scenario))).toBe(scenarioDefinitionHash(scenario));
});

test('moving a scenario (other file, other lines, keys in another order) keeps its hash', () => {
  const moved = clone(scenario) as Scenario;
  moved.file = 'suites/99-elsewhere.yaml';
  moved.location = { ...moved.location, line: moved.location.line + 40, column: 7 };
  for (const step of moved.steps) step.location = { ...step.location, line: step.location.line + 40 };
  const reordered = Object.fromEntries(Object.entries(moved).reverse()) as unknown as Scenario;
  expect(scenarioDefinitionHash(reordered)).toBe(scenarioDefinitionHash(scenario));
});

test('changing what it checks changes its hash: a step, a level, a requirement', () => {
  const base = scenarioDefinitionHash(scenario);
  const withLevel = { ...clone(scenario), level: 'SHOULD' } as Scenario;
  const withRequirement = { ...clone(scenario), requirements: [...scenario.requirements, 'WS-01'] } as Scenario;
  const withoutStep = { ...clone(scenario), steps: scenario.steps.slice(1) } as Scenario;
  const hashes = [withLevel, withRequirement, withoutStep].map(scenarioDefinitionHash);
  for (const hash of hashes) expect(hash).not.toBe(base);
  expect(new Set(hashes).size).toBe(3);
});

test('a `location` or `file` the scenario checks is content, not a position', () => {
  const withHeader = (value: string) => {
    const copy = clone(scenario) as Scenario & { steps: Array<Record<string, unknown>> };
    (copy.steps[0] as Record<string, unknown>).expect = { headers: { location: { matches: value } }, body: [{ query: '$.file', equals: value }] };
    return scenarioDefinitionHash(copy);
  };
  expect(withHeader('^/a$')).not.toBe(withHeader('^/b$'));
});

test('every scenario of the bundled suite has its own hash', () => {
  const all = suite.flatMap((f) => f.scenarios).map(scenarioDefinitionHash);
  expect(new Set(all).size).toBe(all.length);
});

test('the suite hash changes with any scenario and with the requirements text, not with line endings', () => {
  const base = suiteDefinitionHash(suite, 'id,level\nOP-01,SHALL\n');
  expect(suiteDefinitionHash(suite, 'id,level\r\nOP-01,SHALL\r\n')).toBe(base);
  expect(suiteDefinitionHash(suite, 'id,level\nOP-01,SHOULD\n')).not.toBe(base);
  const changed = clone(suite);
  changed[0]!.scenarios[0]!.title = 'another title';
  expect(suiteDefinitionHash(changed, 'id,level\nOP-01,SHALL\n')).not.toBe(base);
});
