/**
 * The `status:` expectation of a step: one code (200 or "200"), a class ("2xx", "4XX"), or a list
 * of either ([400, 404, "422"]) meaning "any of these".
 */
import { HarnessError } from '../errors.js';
import type { Expectation } from '../scenario/model.js';

export type StatusExpectation = NonNullable<Expectation['status']>;

const CODE = /^[1-5][0-9][0-9]$/;
const CLASS = /^[1-5]xx$/i;

/** Why a written status expectation is not valid, or null when it is. */
export function statusExpectationProblem(expectation: unknown): string | null {
  const items = Array.isArray(expectation) ? expectation : [expectation];
  if (items.length === 0) return 'bad status: the list is empty';
  for (const item of items) {
    const text = typeof item === 'number' || typeof item === 'string' ? String(item) : undefined;
    if (text === undefined || !(CODE.test(text) || CLASS.test(text))) {
      return `bad status ${JSON.stringify(item)}: expected a code from 100 to 599 (200), a class ("2xx") or a list of them`;
    }
  }
  return null;
}

export function matchesStatus(expectation: StatusExpectation, status: number): boolean {
  assertValid(expectation);
  const items = Array.isArray(expectation) ? expectation : [expectation];
  return items.some((item) => matchesOne(String(item), status));
}

/** "200", "2xx", "one of 400, 404, 422" — for the check record's `expected`. */
export function describeStatusExpectation(expectation: StatusExpectation): string {
  const items = (Array.isArray(expectation) ? expectation : [expectation]).map((item) => String(item).toLowerCase());
  return items.length === 1 ? `status ${items[0]}` : `status one of ${items.join(', ')}`;
}

function matchesOne(pattern: string, status: number): boolean {
  if (CLASS.test(pattern)) return Math.floor(status / 100) === Number(pattern[0]);
  return Number(pattern) === status;
}

function assertValid(expectation: StatusExpectation): void {
  const problem = statusExpectationProblem(expectation);
  if (problem) throw new HarnessError('FWC_ERR_SCENARIO_SCHEMA', problem);
}
