/**
 * The report directory is the tool's to write only when it is empty, new, or marked by an earlier
 * run: Playwright empties `<dir>/playwright/` and `<dir>/test-output/`, and the reports overwrite
 * `index.html`, so `--report-dir .` in a repository would otherwise destroy files. A directory the
 * tool has written holds a marker file; one with other content and no marker stops the run (exit 2)
 * before anything is started or written.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { harnessError } from '../errors.js';
import { PROJECT_ROOT } from '../project-root.js';

export const REPORT_DIR_MARKER = '.fhir-ws-conformance';

/** The bundled reports/ folder (it ships with a README only): the default target, ours by definition. */
const BUNDLED_REPORT_DIR = path.join(PROJECT_ROOT, 'reports');

const MARKER_TEXT = 'This directory holds fhir-ws-conformance reports; each run may replace its contents.\n';

/** Makes `dir` ours (creating it and the marker) or throws FWC_ERR_CONFIG naming it. */
export function claimReportDir(dir: string): void {
  const absolute = path.resolve(dir);
  if (existsSync(absolute) && !statSync(absolute).isDirectory()) {
    throw harnessError('FWC_ERR_CONFIG', `--report-dir: ${absolute} exists and is not a directory`);
  }
  if (!isClaimable(absolute)) {
    throw harnessError(
      'FWC_ERR_CONFIG',
      `--report-dir: ${absolute} is not empty and was not written by fhir-ws-conformance (no ${REPORT_DIR_MARKER} file), ` +
        'so its contents are left alone: choose a new or empty directory (an earlier report folder: delete it, or create the marker file in it)',
    );
  }
  mkdirSync(absolute, { recursive: true });
  writeFileSync(path.join(absolute, REPORT_DIR_MARKER), MARKER_TEXT);
}

function isClaimable(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (existsSync(path.join(dir, REPORT_DIR_MARKER))) return true;
  if (dir === BUNDLED_REPORT_DIR) return true;
  return readdirSync(dir).length === 0;
}
