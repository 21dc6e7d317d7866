/** Reading a file the user named (config, baseline, results): unreadable → FWC_ERR_CONFIG saying which and why. */
import { readFileSync } from 'node:fs';
import { harnessError } from './errors.js';

/** `what` names the file's role in the message: "cannot read baseline file b.yaml: ENOENT: …". */
export function readInputFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw harnessError('FWC_ERR_CONFIG', `cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}
