/**
 * Turns a parsed file that passed every check into the typed model (model.ts): step kinds made
 * explicit, durations converted to milliseconds, defaults filled in, and every scenario, fixture,
 * step and assertion given its YAML location.
 */
import type { SourceLocation } from '../errors.js';
import { parseDuration } from './duration.js';
import type { Assertion, Expectation, Fixture, MessageMatcher, Scenario, ScenarioFile, Step } from './model.js';
import type { ValuePath } from './problems.js';
import { isRecord, type RecordValue } from './scenario-walk.js';
import { STEP_BASE_KEYS, isStepKind } from './vocabulary.js';

type Locate = (path: ValuePath) => SourceLocation;

/** Duration fields per step kind; `offset` may be negative. */
const DURATION_FIELDS: Record<string, string[]> = {
  'ws.connect': ['timeout'],
  'ws.expect': ['within'],
  'ws.expectNone': ['for'],
  'ws.expectClose': ['within'],
  'ws.observe': ['within'],
  'ws.events': ['within'],
  'ws.soak': ['tolerance'],
  bindForms: ['within'],
  wait: ['duration', 'offset'],
};

export function buildScenarioFile(value: RecordValue, file: string, locate: Locate): ScenarioFile {
  const scenarios = (value.scenarios as RecordValue[]).map((scenario, index) =>
    buildScenario(scenario, ['scenarios', index], file, value.chapter as string, locate),
  );
  return { file, chapter: value.chapter as string, title: value.title as string, scenarios };
}

function buildScenario(raw: RecordValue, path: ValuePath, file: string, chapter: string, locate: Locate): Scenario {
  const fixtures = ((raw.fixtures as RecordValue[] | undefined) ?? []).map(
    (fixture, index) => ({ ...fixture, location: locate([...path, 'fixtures', index]) }) as Fixture,
  );
  const steps = (raw.steps as RecordValue[]).map((step, index) => buildStep(step, [...path, 'steps', index], locate));
  const scenario: Scenario = {
    id: raw.id as string,
    title: raw.title as string,
    requirements: raw.requirements as string[],
    level: raw.level as Scenario['level'],
    preconditions: (raw.preconditions as Scenario['preconditions'] | undefined) ?? [],
    fixtures,
    steps,
    location: locate(path),
    file,
    chapter,
  };
  if (raw.description !== undefined) scenario.description = raw.description as string;
  if (raw.fhirVersions !== undefined) scenario.fhirVersions = raw.fhirVersions as Scenario['fhirVersions'];
  if (raw.runsLast === true) scenario.runsLast = true;
  return scenario;
}

function buildStep(raw: RecordValue, path: ValuePath, locate: Locate): Step {
  const kind = Object.keys(raw).find(isStepKind) as Step['kind'];
  const step: RecordValue = { kind, [kind]: convertDurations(kind, raw[kind]) };
  for (const key of STEP_BASE_KEYS) if (raw[key] !== undefined) step[key] = raw[key];
  if (isRecord(raw.expect)) step.expect = locateExpectation(raw.expect, [...path, 'expect'], locate);
  const body = step[kind];
  if (isRecord(body) && isRecord(body.match)) body.match = locateMatcher(body.match, [...path, kind, 'match'], locate);
  step.location = locate(path);
  return step as unknown as Step;
}

function convertDurations(kind: string, body: unknown): unknown {
  const fields = DURATION_FIELDS[kind];
  if (!fields || !isRecord(body)) return body;
  const converted = { ...body };
  for (const field of fields) {
    if (converted[field] !== undefined) converted[field] = parseDuration(converted[field], field === 'offset');
  }
  return converted;
}

function locateExpectation(raw: RecordValue, path: ValuePath, locate: Locate): Expectation {
  const expectation: RecordValue = { ...raw };
  if (Array.isArray(raw.body)) expectation.body = locateAssertions(raw.body, [...path, 'body'], locate);
  if (Array.isArray(raw.anyOf)) {
    expectation.anyOf = raw.anyOf.map((branch: RecordValue, index: number) => locateExpectation(branch, [...path, 'anyOf', index], locate));
  }
  return expectation as Expectation;
}

function locateMatcher(raw: RecordValue, path: ValuePath, locate: Locate): MessageMatcher {
  const matcher: RecordValue = { ...raw };
  if (Array.isArray(raw.json)) matcher.json = locateAssertions(raw.json, [...path, 'json'], locate);
  return matcher as MessageMatcher;
}

function locateAssertions(raw: RecordValue[], path: ValuePath, locate: Locate): Assertion[] {
  return raw.map((assertion, index) => ({ ...assertion, location: locate([...path, index]) }) as Assertion);
}
