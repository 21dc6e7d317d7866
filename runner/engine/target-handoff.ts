/**
 * The discovered target, handed from Playwright's global setup to its workers through a file whose
 * path is in the environment. Not the JSON itself: the target carries server-controlled strings
 * (software.name, the topic URL) and an environment is limited (128 KiB a variable on Linux), so a
 * server with a 200 KB software name made every worker spawn fail with E2BIG.
 *
 * The file holds the run's credentials (authHeaders), so it lives in a private folder (0700, file
 * 0600) that is removed when the run ends, by global teardown or, failing that, at process exit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessError } from '../errors.js';
import { hydrateTarget, serializeTarget, type Target } from './target.js';

export const TARGET_FILE_ENV = 'FWC_TARGET_FILE';

/** Write the target for the workers and name it in process.env; returns the clean-up. */
export function handTargetToWorkers(target: Target, env: NodeJS.ProcessEnv = process.env): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fwc-target-'));
  const file = path.join(dir, 'target.json');
  writeFileSync(file, serializeTarget(target), { mode: 0o600 });
  env[TARGET_FILE_ENV] = file;
  const remove = (): void => {
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', remove);
  };
  process.on('exit', remove);
  return remove;
}

/** The target the global setup handed over, or undefined when there is none (discover it here). */
export function targetFromHandoff(env: NodeJS.ProcessEnv = process.env): Target | undefined {
  const file = env[TARGET_FILE_ENV];
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw harnessError('FWC_ERR_CONFIG', `${TARGET_FILE_ENV} names ${file}, which cannot be read (${(error as Error).message}); unset ${TARGET_FILE_ENV}: the global setup sets it itself`);
  }
  return hydrateTarget(text);
}
