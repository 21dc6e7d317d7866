/**
 * The one uniform record every check produces. It feeds the assertion message, the step
 * attachment, results.json and the HTML report alike.
 */

import type { SourceLocation } from '../errors.js';

/** Conformance levels. DEF: follows from a cardinality, type or definition (weighed like SHALL). */
export type Level = 'SHALL' | 'SHALL NOT' | 'SHOULD' | 'MAY' | 'DEF';

export interface CheckRecord {
  /** Stable within a scenario, e.g. "step3.status" or "step5.parameters.expiration.type". */
  id: string;
  /** Human sentence: what is being checked. */
  label: string;
  /** What the spec (or scenario) expects, rendered for people. */
  expected: string;
  /** What came back, rendered for people (already redacted). */
  actual: string;
  passed: boolean;
  /** Requirement id from suites/requirements.csv, when the check verifies one. */
  requirement?: string;
  level: Level;
  /** 1-based index of the scenario step that produced it. */
  step?: number;
  /** ISO time the check was evaluated. */
  at?: string;
  /** Where the assertion is written (the YAML step, or the assertion inside it). */
  location?: SourceLocation;
  /** Set on a check of a scenario's prerequisite (a working invocation, a genuine bind giving a handshake,
   *  a fixture, a bind sent before the token's expiration): when it fails, the scenario is blocked, not failed. */
  prerequisite?: {
    /** id of the scenario that judges this prerequisite, e.g. 'binding.handshake.single' (absent: none does). */
    judgedBy?: string;
    /** true when the harness itself is to blame (it was late, or the setup cannot judge: tokens too short): the run cannot exit 0 unless a retry judges it. */
    harness?: boolean;
  };
  /**
   * A fact the reader needs beside expected and received to judge them: for a check on what followed
   * a bind, the bind's send time and the token's stated expiration, side by side.
   */
  note?: string;
  /** Raw values beside the prose (Hurl-style), for renderers and reproductions. */
  expectedValue?: unknown;
  actualValue?: unknown;
}

/** SHALL, SHALL NOT and DEF decide the verdict; SHOULD warns; MAY informs (the rules: runner/outcome/). */
export { isBlocking } from '../outcome/check-status.js';

/** "expected X, but received Y" — the message format used everywhere a check fails. */
export function describeFailure(check: CheckRecord): string {
  const where = check.requirement ? ` [${check.requirement} ${check.level}]` : ` [${check.level}]`;
  return `${check.label}${where}: expected ${check.expected}, but received ${check.actual}${check.note ? `; ${check.note}` : ''}`;
}
