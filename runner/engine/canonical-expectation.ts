/**
 * `expect: { matchesCanonical: R5 | backport }`: the response body is the canonical
 * OperationDefinition of that family. The comparison itself (flags, resource, every parameter's
 * name, use, min, max, type and scope, missing and extra parameters) is the validator's
 * compareOperationDefinitions; this turns each difference into its own failed check, so the
 * report lists every one instead of the first.
 */
import type { CheckRecord, Level } from '../checks/check-record.js';
import type { HttpResult } from '../net/http-client.js';
import type { Expectation } from '../scenario/model.js';
import { compareOperationDefinitions } from '../validator/compare-operation-definitions.js';
import { canonicalOperationDefinition } from '../validator/definitions.js';
import type { ScenarioContext } from './scenario-context.js';

type NewCheck = Omit<CheckRecord, 'step' | 'at'>;
type Family = NonNullable<Expectation['matchesCanonical']>;

/** A version of each family, to look its canonical up by. */
const FAMILY_VERSION = { R5: 'R5', backport: 'R4' } as const;

export function canonicalChecks(
  family: Family,
  result: HttpResult,
  ctx: ScenarioContext,
  idPrefix: string,
  base: { level: Level; requirement?: string },
): NewCheck[] {
  const canonical = canonicalOperationDefinition(FAMILY_VERSION[family]);
  const differences = compareOperationDefinitions(canonical, result.json);
  if (differences.length === 0) {
    return [{
      id: `${idPrefix}.canonical`,
      label: `the body is the ${family} canonical OperationDefinition (flags and every parameter)`,
      expected: `no difference from ${canonical.url}`,
      actual: 'no difference',
      passed: true,
      ...base,
    }];
  }
  return differences.map((difference, i) => ({
    id: `${idPrefix}.canonical.${i + 1}`,
    label: `${difference.path} (canonical: ${difference.shown.expected})`,
    expected: difference.shown.expected,
    actual: ctx.redact(difference.shown.actual),
    passed: false,
    ...base,
  }));
}
