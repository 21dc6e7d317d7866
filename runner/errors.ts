/**
 * Error codes separate "the harness or a scenario file is broken" (exit 2) from
 * "the server does not conform" (a failed check, exit 1). Only harness problems are thrown
 * as HarnessError; a misbehaving server never throws, it produces failed check records.
 */
export type HarnessErrorCode =
  | 'FWC_ERR_SCENARIO_SYNTAX' // YAML that does not parse
  | 'FWC_ERR_SCENARIO_SCHEMA' // unknown key, wrong type, missing field
  | 'FWC_ERR_SCENARIO_DUPLICATE_ID'
  | 'FWC_ERR_SCENARIO_UNDEFINED_VARIABLE'
  | 'FWC_ERR_SCENARIO_UNKNOWN_REQUIREMENT'
  | 'FWC_ERR_SCENARIO_UNKNOWN_PREREQUISITE' // a step's prerequisite: names no scenario of the suite
  | 'FWC_ERR_CONFIG' // bad config file or CLI flag
  | 'FWC_ERR_SERVER_UNREACHABLE'
  | 'FWC_ERR_TARGET' // the target answers, but not as the configured FHIR server: auth, base URL, version, scheme
  | 'FWC_ERR_INTERNAL';

/** Where in a user's file a problem is: printed as file:line:col. */
export interface SourceLocation {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  readonly location?: SourceLocation;

  constructor(code: HarnessErrorCode, message: string, location?: SourceLocation) {
    super(location ? `${formatLocation(location)} ${message}` : message);
    this.name = 'HarnessError';
    this.code = code;
    this.location = location;
  }
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

export function harnessError(code: HarnessErrorCode, message: string, location?: SourceLocation): HarnessError {
  return new HarnessError(code, message, location);
}

/**
 * Thrown inside a scenario to end it as skipped (precondition unmet, not applicable).
 * The reason is a sentence a user can act on.
 */
export class ScenarioSkip extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ScenarioSkip';
  }
}
