/**
 * Writes every report of a run into one directory: results.json, index.html, junit.xml and
 * testreport.json (Playwright's own HTML report is produced separately by Playwright). Rendering is
 * pure (renderReports); a secret guard runs over all outputs before anything touches the disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderHtmlReport } from './html-report.js';
import { renderJunitXml } from './junit.js';
import type { RunResults } from './results-types.js';
import { describeLeaks, guardSecrets, type SecretLeak } from './secret-guard.js';
import type { RunConfig } from '../config/run-config.js';
import { renderReplayFiles } from './replay-files.js';
import { renderFhirTestReport, type TestReportOptions } from './test-report.js';

export const REPORT_FILES = {
  results: 'results.json',
  html: 'index.html',
  junit: 'junit.xml',
  testReport: 'testreport.json',
} as const;

/** Written next to the reports when the guard had to mask something: impossible to miss in an artifact. */
export const LEAK_NOTICE_FILE = 'SECRET-LEAK-DETECTED.txt';

export interface WriteReportsOptions {
  /** The run's raw secrets (bearer token, client secret, …): none may appear in any report. */
  secrets?: readonly string[];
  /** Where a leak is announced; default: standard error. */
  warn?: (message: string) => void;
  testReport?: TestReportOptions;
  /** The run's configuration: with it, a replay script is written for each failed or warned scenario (repro/). */
  runConfig?: RunConfig;
}

export interface WrittenReports {
  /** Absolute paths of the files written. */
  files: string[];
  /** Secrets found (and masked) by the guard; empty in a correct run. */
  leaks: SecretLeak[];
}

/** Every report as text, keyed by file name. */
export function renderReports(results: RunResults, options: Pick<WriteReportsOptions, 'testReport' | 'runConfig'> = {}): Record<string, string> {
  return {
    ...(options.runConfig ? renderReplayFiles(results, options.runConfig) : {}),
    [REPORT_FILES.results]: `${JSON.stringify(results, null, 2)}\n`,
    [REPORT_FILES.html]: renderHtmlReport(results),
    [REPORT_FILES.junit]: renderJunitXml(results),
    [REPORT_FILES.testReport]: `${JSON.stringify(renderFhirTestReport(results, options.testReport), null, 2)}\n`,
  };
}

export function writeReports(results: RunResults, dir: string, options: WriteReportsOptions = {}): WrittenReports {
  const { outputs, leaks } = guardSecrets(renderReports(results, options), options.secrets ?? []);
  if (leaks.length > 0) {
    const notice = describeLeaks(leaks);
    (options.warn ?? ((message: string) => process.stderr.write(`${message}\n`)))(notice);
    outputs[LEAK_NOTICE_FILE] = `${notice}\n`;
  }
  mkdirSync(dir, { recursive: true });
  const files = Object.entries(outputs).map(([name, text]) => {
    const file = path.resolve(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, 'utf8');
    return file;
  });
  return { files, leaks };
}
