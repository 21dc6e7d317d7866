/**
 * The loaded suite, handed from the CLI to Playwright as a JSON file. The CLI loads and validates
 * the YAML once (it must, to report a broken file before anything starts); without the hand-off,
 * Playwright's runner process and every worker would parse and validate it again — about 0.3 s of
 * CPU each, paid at start-up while workers compete for the same cores (BENCHMARKS.md §1).
 *
 * The file lives in a folder the CLI creates for the run and removes afterwards, so it is never
 * stale; a plain `npx playwright test` has no cache and loads the YAML itself.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessError } from '../errors.js';
import type { ScenarioFile } from '../scenario/model.js';

export const SUITE_CACHE_ENV = 'FWC_SUITE_CACHE';

export interface SuiteCache {
  file: string;
  remove(): void;
}

export function writeSuiteCache(files: readonly ScenarioFile[]): SuiteCache {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fwc-suite-'));
  const file = path.join(dir, 'suite.json');
  writeFileSync(file, JSON.stringify(files));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The cached suite named by the environment, or undefined when there is none (load the YAML). */
export function readSuiteCache(env: NodeJS.ProcessEnv = process.env): ScenarioFile[] | undefined {
  const file = env[SUITE_CACHE_ENV];
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ScenarioFile[];
  } catch (error) {
    // set by the CLI for one run only: a value left in a shell or a CI environment points nowhere
    throw harnessError('FWC_ERR_CONFIG', `${SUITE_CACHE_ENV} names ${file}, which cannot be read (${(error as Error).message}); unset ${SUITE_CACHE_ENV}: the CLI sets it itself`);
  }
}
