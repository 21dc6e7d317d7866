/**
 * junit.xml for CI test tabs: one <testsuite> per chapter, one <testcase> per scenario.
 *
 * Mapping (decided here, documented in docs and the tests):
 *  - a scenario that decides the verdict (failed; at level `should` also warning), not accepted → <failure>
 *  - error → <error>;  skipped → <skipped message="reason"/>;  blocked → <skipped message="blocked by …"/>
 *  - warning that does not decide the verdict → passes, with <system-out> and a `warning` property per check
 *  - failed or warning accepted by the baseline → passes, with `baseline` properties and <system-out>
 *    saying "ACCEPTED DEVIATION", so CI gates agree with the verdict and nothing is hidden.
 *  - passed only on a retry (--retries) → passes, with `attempts` and a `flaky` property per earlier failure.
 * A failure's message is its deciding check's one line (requirement, expected, received, note) and
 * where that check is written; its text is the step tree: each step with its status, the checks that
 * did not pass under it, and the request that failed.
 */
import { describeFailure } from '../checks/check-record.js';
import { checkStatus, isBlocking, type RunLevel } from '../outcome/check-status.js';
import { decisiveCheck } from '../outcome/decisive-check.js';
import { groupByChapter } from './chapters.js';
import { failedRequest, failureLocation } from './failure-line.js';
import { stepGroups } from './step-groups.js';
import type { RunResults, ScenarioResult } from './results-types.js';
import { countsAgainst, isAccepted } from './verdict.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-escape.js';

interface CaseCounts { tests: number; failures: number; errors: number; skipped: number; seconds: number }

export function renderJunitXml(results: RunResults): string {
  const chapters = groupByChapter(results.scenarios);
  const suites = [...chapters].map(([chapter, scenarios]) => renderSuite(results, chapter, scenarios));
  const total = countCases(results, results.scenarios);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${attr(`${results.tool.name} ${results.server.url}`)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${seconds(total.seconds)}" timestamp="${attr(results.startedAt)}">
${suites.join('\n')}
</testsuites>
`;
}

function renderSuite(results: RunResults, chapter: string, scenarios: ScenarioResult[]): string {
  const counts = countCases(results, scenarios);
  const properties = [
    ['server', results.server.url],
    ['fhirVersion', String(results.server.fhirVersion)],
    ['level', results.level],
    ['verdict', results.verdict],
    ['tool', `${results.tool.name} ${results.tool.version}`],
    ...(results.provenance ? [['suite', results.provenance.suite.hash]] : []),
  ];
  return `  <testsuite name="${attr(chapter)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(counts.seconds)}" timestamp="${attr(results.startedAt)}">
    <properties>
${properties.map(([name, value]) => `      <property name="${attr(name!)}" value="${attr(value!)}"/>`).join('\n')}
    </properties>
${scenarios.map((s) => renderCase(results, chapter, s)).join('\n')}
  </testsuite>`;
}

function renderCase(results: RunResults, chapter: string, scenario: ScenarioResult): string {
  const open = `    <testcase name="${attr(scenario.id)}" classname="${attr(chapter)}" time="${seconds(scenario.durationMs / 1000)}" file="${attr(scenario.file)}">`;
  const body = [caseProperties(scenario), caseVerdict(results, scenario), caseOutput(results, scenario)].filter(Boolean);
  return body.length === 0 ? open.replace(/>$/, '/>') : `${open}\n${body.join('\n')}\n    </testcase>`;
}

function caseProperties(scenario: ScenarioResult): string {
  const properties: [string, string][] = [
    ['title', scenario.title],
    ['level', scenario.level],
    ['requirements', scenario.requirements.join(' ')],
    ['outcome', scenario.outcome],
    ...(scenario.definitionHash ? [['definition', scenario.definitionHash] as [string, string]] : []),
  ];
  if (scenario.attempts) properties.push(['attempts', String(scenario.attempts)]);
  for (const earlier of scenario.flaky?.earlier ?? []) properties.push(['flaky', `${earlier.outcome} on an earlier attempt${earlier.reason ? `: ${earlier.reason}` : ''}`]);
  for (const check of scenario.checks) {
    if (checkStatus(check, 'shall') === 'warning') properties.push(['warning', describeFailure(check)]);
  }
  if (scenario.blockedBy) properties.push(['blockedBy', scenario.blockedBy]);
  if (scenario.accepted) {
    properties.push(['baseline', isAccepted(scenario) ? 'accepted' : 'listed']);
    properties.push(['baseline.reason', scenario.accepted.reason]);
    if (scenario.accepted.owner) properties.push(['baseline.owner', scenario.accepted.owner]);
    if (scenario.accepted.expires) properties.push(['baseline.expires', scenario.accepted.expires]);
  }
  return `      <properties>
${properties.map(([name, value]) => `        <property name="${attr(name)}" value="${attr(value)}"/>`).join('\n')}
      </properties>`;
}

function caseVerdict(results: RunResults, scenario: ScenarioResult): string {
  if (countsAgainst(scenario, results.level)) {
    const check = decisiveCheck(scenario.checks, scenario.outcome);
    const message = check ? `${describeFailure(check)} (at ${failureLocation(scenario, check)})` : (scenario.reason ?? `scenario ${scenario.outcome}`);
    const type = scenario.outcome === 'failed' ? worstFailedLevel(scenario) : 'SHOULD';
    const request = check ? failedRequest(scenario, check) : undefined;
    const body = [...stepTreeText(scenario, results.level), ...(request ? [`Request: ${request}`] : [])];
    return `      <failure message="${attr(message)}" type="${attr(type)}">${text(body.join('\n'))}</failure>`;
  }
  if (scenario.outcome === 'error') {
    const message = scenario.reason ?? 'the harness could not run this scenario';
    return `      <error message="${attr(message)}" type="harness">${text([message, ...stepTreeText(scenario, results.level)].join('\n'))}</error>`;
  }
  if (scenario.outcome === 'skipped' || scenario.outcome === 'blocked') return `      <skipped message="${attr(scenario.reason ?? scenario.outcome)}"/>`;
  return '';
}

/** "2. bind the token (suites/05-expiry.yaml:45): failed", then each check of it that did not pass. */
function stepTreeText(scenario: ScenarioResult, level: RunLevel): string[] {
  return stepGroups(scenario, level).flatMap((group) => [
    `${group.name}${group.where ? ` (${group.where})` : ''}: ${group.status}`,
    ...group.checks.filter((c) => !c.passed).map((c) => `    ${checkStatus(c, level)}: ${describeFailure(c)}`),
  ]);
}

function worstFailedLevel(scenario: ScenarioResult): string {
  return scenario.checks.find((c) => checkStatus(c, 'shall') === 'failed' && isBlocking(c.level))?.level ?? scenario.level;
}

/** Warnings, accepted deviations and reproduction lines: what a CI reader needs next to the failure. */
function caseOutput(results: RunResults, scenario: ScenarioResult): string {
  const lines: string[] = [];
  if (isAccepted(scenario)) {
    lines.push(`ACCEPTED DEVIATION (baseline${results.baseline ? ` ${results.baseline.file}` : ''}): ${scenario.accepted!.reason}`);
  }
  const failedChecks = scenario.checks.filter((c) => !c.passed);
  if (scenario.outcome === 'warning' || isAccepted(scenario)) {
    for (const check of failedChecks) lines.push(`${checkStatus(check, results.level).toUpperCase()}: ${describeFailure(check)}`);
  }
  const needsAttention = scenario.outcome === 'failed' || scenario.outcome === 'warning' || scenario.outcome === 'error';
  if (needsAttention && scenario.reproduction && scenario.reproduction.length > 0) {
    lines.push('Reproduce (secrets masked):', ...scenario.reproduction);
  }
  return lines.length === 0 ? '' : `      <system-out>${text(lines.join('\n'))}</system-out>`;
}

function countCases(results: RunResults, scenarios: readonly ScenarioResult[]): CaseCounts {
  const counts: CaseCounts = { tests: scenarios.length, failures: 0, errors: 0, skipped: 0, seconds: 0 };
  for (const scenario of scenarios) {
    counts.seconds += scenario.durationMs / 1000;
    if (countsAgainst(scenario, results.level)) counts.failures++;
    else if (scenario.outcome === 'error') counts.errors++;
    else if (scenario.outcome === 'skipped' || scenario.outcome === 'blocked') counts.skipped++;
  }
  return counts;
}

function seconds(value: number): string {
  return Number.isFinite(value) ? Math.max(0, value).toFixed(3) : '0.000';
}
