/** Where the suite lives (the bundled suites/, or --suite), and loading it with its requirements. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { harnessError } from '../errors.js';
import { loadSuite } from '../scenario/load.js';
import type { ScenarioFile } from '../scenario/model.js';
import { readRequirements } from './requirements.js';

export { PROJECT_ROOT };
export const SUITE_DIR = path.join(PROJECT_ROOT, 'suites');
export const REQUIREMENTS_FILE = path.join(SUITE_DIR, 'requirements.csv');
export const SUITE_DIR_ENV = 'FWC_SUITE_DIR';

/** The suite folder for this run: --suite (through the environment for Playwright workers) or the bundled one. */
export function suiteDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[SUITE_DIR_ENV] ? path.resolve(env[SUITE_DIR_ENV]!) : SUITE_DIR;
}

export function requirementsFile(dir: string = suiteDir()): string {
  const own = path.join(dir, 'requirements.csv');
  return existsSync(own) ? own : REQUIREMENTS_FILE;
}

export function loadProjectSuite(dir: string = suiteDir()): ScenarioFile[] {
  if (!existsSync(dir)) throw harnessError('FWC_ERR_CONFIG', `--suite: no folder ${dir}`);
  const requirements = new Set(readRequirements(requirementsFile(dir)).map((r) => r.id));
  return loadSuite(dir, { requirements });
}
