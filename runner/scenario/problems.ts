/**
 * Problems found in a scenario file, and the one error that lists them all. The loader collects
 * every problem of a file (and of a whole suite) before throwing, so a suite writer fixes them in
 * one pass instead of one per run.
 */
import { HarnessError, formatLocation, type HarnessErrorCode, type SourceLocation } from '../errors.js';

/** A path into the parsed YAML value: keys and list indexes, as Ajv's instancePath splits it. */
export type ValuePath = Array<string | number>;

/** A problem before it is located: where in the value (the key itself, or its value). */
export interface PathProblem {
  code: HarnessErrorCode;
  message: string;
  path: ValuePath;
  at?: 'key' | 'value';
  /** Index of the offending part inside a string value (a `${` for instance), to point at it. */
  offset?: number;
}

export interface Problem {
  code: HarnessErrorCode;
  message: string;
  location: SourceLocation;
}

/**
 * Thrown by the loader. Its message lists every problem as "file:line:col message", one per
 * line; `code` and `location` are those of the first problem; `problems` holds them all.
 */
export class ScenarioLoadError extends HarnessError {
  readonly problems: readonly Problem[];

  constructor(problems: Problem[]) {
    const sorted = [...problems].sort(compareProblems);
    const [first, ...rest] = sorted;
    const more = rest.map((problem) => `\n${formatLocation(problem.location)} ${problem.message}`).join('');
    super(first.code, `${first.message}${more}`, first.location);
    this.name = 'ScenarioLoadError';
    this.problems = sorted;
  }
}

export function compareProblems(a: Problem, b: Problem): number {
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column
  );
}
