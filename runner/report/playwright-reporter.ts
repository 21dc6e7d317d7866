/**
 * The Playwright reporter that turns test results into RunResults and writes every report
 * (results.json, index.html, junit.xml, testreport.json). Scenario data arrives as the attachment
 * the generator spec adds; a test that died before attaching becomes an `error` with its message.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { runConfigFromEnv, reportDirFromEnv } from '../config/from-env.js';
import { loadProjectSuite, requirementsFile } from '../suite/project-suite.js';
import { readSuiteCache } from '../suite/suite-cache.js';
import type { FhirVersion } from '../scenario/model.js';
import { FHIR_VERSIONS } from '../scenario/vocabulary.js';
import { buildProvenance } from './provenance.js';
import { readRequirements } from '../suite/requirements.js';
import { toolInfo } from '../tool-info.js';
import { attemptOf, withAttempts, type Attempt } from './attempts.js';
import { buildResults } from './build-results.js';
import type { ScenarioResult } from './results-types.js';
import { announceFolderGuard, guardReportFolders } from './report-folder-guard.js';
import { runSecrets } from './run-secrets.js';
import { writeReports } from './write-reports.js';
import { replayFileOf } from './replay-files.js';
import { applyBaseline, loadBaseline } from './baseline.js';
import { LABEL_ENV, withLabel } from './label.js';

const RESULT_ATTACHMENT = 'fwc-scenario-result';
const TARGET_ATTACHMENT = 'fwc-target';

interface TargetSummary { url: string; fhirVersion: string; software?: string; softwareVersion?: string; learned?: Record<string, unknown> }

export default class ConformanceReporter implements Reporter {
  private readonly results = new Map<string, ScenarioResult>();
  private readonly profiles: Array<Record<string, unknown>> = [];
  private readonly attempts = new Map<string, Attempt[]>();
  private target?: TargetSummary;
  private startedAt = new Date().toISOString();
  private suite?: Suite;
  private secrets?: string[];

  onBegin(_config: FullConfig, suite: Suite): void {
    this.startedAt = new Date().toISOString();
    this.suite = suite;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // read while the tests run: the global teardown removes the target hand-off (and the OAuth token it names) before onEnd
    this.secrets ??= runSecrets(runConfigFromEnv());
    const scenarioId = test.annotations.find((a) => a.type === 'scenario')?.description ?? test.title;
    const run = readAttachment<{ result: ScenarioResult; profile: Record<string, unknown> }>(result, RESULT_ATTACHMENT);
    const target = readAttachment<TargetSummary>(result, TARGET_ATTACHMENT);
    // every worker holds the same frozen target (learned once in discovery): the first copy is the run's
    if (target) this.target ??= target;
    if (run) this.profiles.push(run.profile);
    // with --retries this is called once per attempt: the last decides, the earlier ones are kept
    const latest = run?.result ?? diedBeforeReporting(test, result, scenarioId);
    const earlier = this.attempts.get(scenarioId) ?? [];
    this.results.set(scenarioId, withAttempts(latest, earlier));
    this.attempts.set(scenarioId, [...earlier, attemptOf(latest)]);
  }

  async onEnd(): Promise<void> {
    const config = runConfigFromEnv();
    const reportDir = path.resolve(reportDirFromEnv());
    const fhirVersion = this.target?.fhirVersion;
    const built = buildResults({
      tool: toolInfo(),
      provenance: buildProvenance({
        suite: readSuiteCache() ?? loadProjectSuite(),
        requirementsFile: requirementsFile(),
        fhirVersion: (FHIR_VERSIONS as readonly string[]).includes(fhirVersion ?? '') ? (fhirVersion as FhirVersion) : undefined,
      }),
      server: {
        url: this.target?.url ?? config.server ?? process.env.FHIR_SERVER ?? 'unknown',
        fhirVersion: this.target?.fhirVersion ?? 'unknown',
        software: this.target?.software,
        softwareVersion: this.target?.softwareVersion,
        ...(config.reference.embedded ? { embedded: { faults: config.reference.faults } } : {}),
      },
      invocation: process.env.FWC_INVOCATION,
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      level: config.level,
      scenarios: [...this.results.values()],
      profiles: this.profiles,
      learned: this.target?.learned,
      requirements: readRequirements(requirementsFile()),
    });
    const baselined = process.env.FWC_BASELINE ? applyBaseline(built, loadBaseline(process.env.FWC_BASELINE), new Date()) : built;
    const results = withLabel(baselined, process.env[LABEL_ENV]);
    mkdirSync(reportDir, { recursive: true });
    const withReplays = { ...results, scenarios: results.scenarios.map((scenario) => ({ ...scenario, reproductionScript: replayFileOf(scenario) })) };
    await writeReports(withReplays, reportDir, { secrets: this.knownSecrets(), runConfig: config });
  }

  /** Playwright's own report (playwright/, test-output/) is complete only now: the last secret scan. */
  async onExit(): Promise<void> {
    const reportDir = path.resolve(reportDirFromEnv());
    announceFolderGuard(reportDir, guardReportFolders(reportDir, this.knownSecrets()));
  }

  private knownSecrets(): string[] {
    return [...new Set([...(this.secrets ?? []), ...runSecrets(runConfigFromEnv())])];
  }

  printsToStdio(): boolean {
    return false;
  }
}

function readAttachment<T>(result: TestResult, name: string): T | undefined {
  const attachment = result.attachments.find((a) => a.name === name);
  if (!attachment?.body) return undefined;
  try {
    return JSON.parse(attachment.body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function diedBeforeReporting(test: TestCase, result: TestResult, id: string): ScenarioResult {
  const message = result.error?.message?.split('\n')[0] ?? `test ended with status ${result.status}`;
  const skipped = result.status === 'skipped';
  return {
    id,
    title: test.title.replace(`${id} `, ''),
    file: test.location.file,
    line: test.location.line,
    chapter: test.annotations.find((a) => a.type === 'chapter')?.description,
    requirements: (test.annotations.find((a) => a.type === 'requirements')?.description ?? '').split(', ').filter(Boolean),
    level: (test.annotations.find((a) => a.type === 'level')?.description ?? 'DEF') as ScenarioResult['level'],
    outcome: skipped ? 'skipped' : 'error',
    reason: skipped ? 'not run' : `the scenario did not finish: ${message}`,
    durationMs: result.duration,
    checks: [],
    transcript: [],
  };
}
