/**
 * `--label <text>`: a run's name for people ("staging, release 2.3"), kept in results.json `label`
 * and shown by compare and matrix. The CLI hands it to the reporter through the environment.
 */
import type { RunResults } from './results-types.js';

export const LABEL_ENV = 'FWC_LABEL';

/** The results with `label` set (placed after `tool`, where a reader of the file looks first); unchanged without one. */
export function withLabel(results: RunResults, label: string | undefined): RunResults {
  if (label === undefined || label === '') return results;
  const { tool, label: _previous, ...rest } = results;
  return { tool, label, ...rest };
}
