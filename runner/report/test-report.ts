/**
 * testreport.json: the run as a FHIR R5 TestReport, for FHIR tooling (Touchstone, Inferno, servers
 * that store TestReports).
 *
 * Mapping: verdict conformant → result `pass`, non-conformant → `fail`, error → `pending` (no conclusion
 * could be reached; status stays `completed` because the run itself finished). score = percentage of the
 * scenarios that were judged (not skipped, not blocked) and passed. One `test` per scenario, one
 * `action.assert` per check (its status at the run's level, runner/outcome/check-status.ts: pass | fail |
 * warning; skip for a failed MAY check — the optional behaviour is not offered — and for a failed
 * prerequisite), and, when the scenario outcome is not already expressed by its checks, one more assert
 * for it (skip / error / fail / warning with the reason; a blocked scenario is a skip "blocked by …"),
 * so every test has at least one action (1..*). The suite is described by a contained TestScript that
 * `testScript` references as "#suite", unless the caller passes a real canonical.
 */
import { describeFailure, type CheckRecord } from '../checks/check-record.js';
import { checkStatus, type RunLevel } from '../outcome/check-status.js';
import type { RunResults, ScenarioResult } from './results-types.js';
import { summaryText } from './outcomes.js';
import { escapeXmlText } from './xml-escape.js';

export type AssertResult = 'pass' | 'skip' | 'fail' | 'warning' | 'error';

export interface TestReportAssert {
  result: AssertResult;
  message?: string;
  detail?: string;
  requirement?: { linkUri: string }[];
}

export interface TestReportTest {
  name: string;
  description?: string;
  action: { assert: TestReportAssert }[];
}

export interface FhirTestReport {
  resourceType: 'TestReport';
  id: string;
  text: { status: 'generated'; div: string };
  contained?: Record<string, unknown>[];
  name: string;
  status: 'completed';
  testScript: string;
  result: 'pass' | 'fail' | 'pending';
  score?: number;
  tester: string;
  issued: string;
  participant: { type: 'test-engine' | 'client' | 'server'; uri: string; display?: string }[];
  test: TestReportTest[];
}

export interface TestReportOptions {
  /** Canonical of a published TestScript for this suite; default: a contained TestScript ("#suite"). */
  testScript?: string;
}

const RESULT_BY_VERDICT = { conformant: 'pass', 'non-conformant': 'fail', error: 'pending' } as const;

export function renderFhirTestReport(results: RunResults, options: TestReportOptions = {}): FhirTestReport {
  const report: FhirTestReport = {
    resourceType: 'TestReport',
    id: reportId(results),
    text: { status: 'generated', div: narrative(results) },
    name: fhirString(`${results.tool.name} against ${results.server.url}`),
    status: 'completed',
    testScript: options.testScript ?? '#suite',
    result: RESULT_BY_VERDICT[results.verdict],
    ...scoreField(results.scenarios),
    tester: fhirString(`${results.tool.name} ${results.tool.version}`),
    issued: results.finishedAt,
    participant: [
      { type: 'test-engine', uri: `https://www.npmjs.com/package/${encodeURIComponent(results.tool.name)}`, display: fhirString(`${results.tool.name} ${results.tool.version}`) },
      { type: 'server', uri: results.server.url, display: fhirString(serverDisplay(results)) },
    ],
    test: results.scenarios.map((s) => renderTest(s, requirementUrls(results), results.level)),
  };
  if (!options.testScript) report.contained = [containedTestScript(results)];
  return orderKeys(report);
}

/** Percentage of the scenarios that were judged (not skipped, not blocked) that passed; none → no score. */
export function scorePercent(scenarios: readonly ScenarioResult[]): number | undefined {
  const ran = scenarios.filter((s) => s.outcome !== 'skipped' && s.outcome !== 'blocked');
  if (ran.length === 0) return undefined;
  return Math.round((ran.filter((s) => s.outcome === 'passed').length / ran.length) * 10_000) / 100;
}

function scoreField(scenarios: readonly ScenarioResult[]): { score?: number } {
  const score = scorePercent(scenarios);
  return score === undefined ? {} : { score };
}

function renderTest(scenario: ScenarioResult, urls: Map<string, string>, level: RunLevel): TestReportTest {
  const asserts = scenario.checks.map((c) => checkAssert(c, urls, level));
  const outcomeAssert = scenarioOutcomeAssert(scenario, asserts);
  if (outcomeAssert) asserts.push(outcomeAssert);
  const description = [scenario.title, scenario.description, scenario.accepted ? `Accepted deviation (baseline): ${scenario.accepted.reason}` : undefined]
    .filter(Boolean)
    .join(' — ');
  return { name: fhirString(scenario.id), description: fhirString(description), action: asserts.map((assert) => ({ assert })) };
}

function checkAssert(check: CheckRecord, urls: Map<string, string>, level: RunLevel): TestReportAssert {
  const result = RESULT_FOR_OUTCOME[checkStatus(check, level)];
  const where = check.requirement ? `${check.requirement} ${check.level}` : check.level;
  const assert: TestReportAssert = {
    result,
    message: fhirString(check.passed ? `${check.label} [${where}]` : describeFailure(check)),
    detail: fhirString(check.id),
  };
  const url = check.requirement ? urls.get(check.requirement) : undefined;
  if (url) assert.requirement = [{ linkUri: url }];
  return assert;
}

const RESULT_FOR_OUTCOME: Record<ScenarioResult['outcome'], AssertResult> = {
  passed: 'pass', failed: 'fail', blocked: 'skip', warning: 'warning', skipped: 'skip', error: 'error',
};

/** An assert for the scenario outcome itself, unless a check assert already says it. */
function scenarioOutcomeAssert(scenario: ScenarioResult, asserts: readonly TestReportAssert[]): TestReportAssert | undefined {
  const result = RESULT_FOR_OUTCOME[scenario.outcome];
  if (scenario.outcome !== 'blocked' && asserts.some((a) => a.result === result)) return undefined;
  const message = scenario.reason ?? (scenario.outcome === 'passed' ? 'passed without checks' : `scenario ${scenario.outcome}`);
  return { result, message: fhirString(message), detail: 'scenario outcome' };
}

function requirementUrls(results: RunResults): Map<string, string> {
  return new Map((results.requirements ?? []).filter((r) => /^https?:\/\//.test(r.url)).map((r) => [r.id, r.url]));
}

function containedTestScript(results: RunResults): Record<string, unknown> {
  return {
    resourceType: 'TestScript',
    id: 'suite',
    version: fhirString(results.tool.version),
    name: 'FhirWsConformance',
    title: 'Conformance of Subscription/$get-ws-binding-token and the websocket notification channel',
    status: 'active',
    description: fhirString(`Scenarios run by ${results.tool.name} ${results.tool.version}; one TestReport.test per scenario, named by its id.`),
  };
}

function narrative(results: RunResults): string {
  const s = results.summary;
  const line = `${results.verdict} at level ${results.level}: ${results.server.url} (FHIR ${results.server.fhirVersion}), ${summaryText(s)}.`;
  return `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escapeXmlText(line)}</p></div>`;
}

function serverDisplay(results: RunResults): string {
  const { software, softwareVersion, fhirVersion } = results.server;
  return [software, softwareVersion, `FHIR ${fhirVersion}`].filter(Boolean).join(' ');
}

/** FHIR id: [A-Za-z0-9\-.]{1,64}, derived from the start time so reruns do not collide. */
function reportId(results: RunResults): string {
  const stamp = results.startedAt.replace(/[^0-9TZ]/g, '');
  return `fwc-${stamp}`.slice(0, 64);
}

/**
 * FHIR strings are non-empty and hold no control characters below U+0020 other than tab, CR and LF;
 * evidence can carry them, so they are shown as \uXXXX.
 */
export function fhirString(value: string): string {
  const cleaned = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return cleaned.length > 0 ? cleaned : '(empty)';
}

/** resourceType, id, text, contained first, as FHIR JSON is conventionally written. */
function orderKeys(report: FhirTestReport): FhirTestReport {
  const { resourceType, id, text, contained, ...rest } = report;
  return { resourceType, id, text, ...(contained ? { contained } : {}), ...rest };
}
