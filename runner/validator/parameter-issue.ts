/**
 * One problem validateParameters found. `message` is the full sentence ("… expected X, but received
 * Y"); `expected` and `actual` are its two halves, for reporters that lay them out separately.
 */

export type IssueSeverity = 'error' | 'warning';

export interface ParameterIssue {
  /** Which rule was broken: a stable code from PARAMETER_RULES. */
  rule: ParameterRule;
  severity: IssueSeverity;
  /** FHIRPath-like location, 0-based: Parameters.parameter[2].valueDateTime */
  path: string;
  /** What the issue is about: 'parameter "token" at Parameters.parameter[0]', or the path alone. */
  subject: string;
  message: string;
  expected: string;
  actual: string;
  /** The parameter name, when the issue concerns one. */
  parameter?: string;
  /** Requirement id (suites/requirements.csv) the rule verifies, when one applies. */
  requirement?: string;
}

/** Every rule validateParameters applies; the code is what tests and reporters match on. */
export const PARAMETER_RULES = {
  'body.resource-type': 'the body is a JSON object with resourceType "Parameters"',
  'body.element': 'the Parameters resource carries only the elements FHIR defines for it',
  'list.array': '`parameter` (and `part`) is a non-empty array when present',
  'entry.object': 'each parameter entry is a JSON object',
  'entry.name': 'each parameter entry has a non-empty string `name`',
  'entry.element': 'each parameter entry carries only name, value[x], resource, part, id and extensions',
  'inv-1': 'each parameter entry has exactly one of value[x], resource or part',
  'value.choice-key': 'the value is carried under the key the declared type dictates (valueString, valueUrl, …)',
  'value.datatype': "the value obeys its type's lexical rules",
  'value.resource': 'a resource value is a resource of the declared type',
  'cardinality.min': 'a declared parameter occurs at least `min` times',
  'cardinality.max': 'a declared parameter occurs at most `max` times',
  'name.unknown': 'every parameter name is declared for this use',
  'name.legacy': 'no parameter uses a name from an older draft of the operation',
  'limits.depth': 'parts nest no deeper than the validator follows',
  'limits.issues': 'the issue list stays readable',
  internal: 'the validator could read the input',
} as const;

export type ParameterRule = keyof typeof PARAMETER_RULES;

export interface IssueDetails {
  rule: ParameterRule;
  path: string;
  expected: string;
  actual: string;
  severity?: IssueSeverity;
  parameter?: string;
  requirement?: string;
}

export function makeIssue(details: IssueDetails): ParameterIssue {
  const subject = details.parameter === undefined ? details.path : `parameter "${details.parameter}" at ${details.path}`;
  const issue: ParameterIssue = {
    rule: details.rule,
    severity: details.severity ?? 'error',
    path: details.path,
    subject,
    message: `${subject}: expected ${details.expected}, but received ${details.actual}`,
    expected: details.expected,
    actual: details.actual,
  };
  if (details.parameter !== undefined) issue.parameter = details.parameter;
  if (details.requirement !== undefined) issue.requirement = details.requirement;
  return issue;
}
