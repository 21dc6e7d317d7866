import { expect, test } from '@playwright/test';
import type { Predicate } from '../../../runner/scenario/model.js';
import { HarnessError } from '../../../runner/errors.js';
import { PREDICATE_KEYS, evaluatePredicate } from '../../../runner/checks/predicates.js';

const NOW = new Date('2026-01-01T12:00:00Z');

interface Case {
  predicate: Predicate;
  matches: unknown[];
  passed: boolean;
  expected: string;
  actual: string;
}

// One passing and at least one failing case per predicate; each is also run wrapped in `not`.
const cases: Case[] = [
  { predicate: { equals: 'a' }, matches: ['a', 'a'], passed: true, expected: 'equal to "a"', actual: '2 values: ["a","a"]' },
  { predicate: { equals: 'a' }, matches: ['a', 'b'], passed: false, expected: 'equal to "a"', actual: '"b", among 2 values: ["a","b"]' },
  { predicate: { equals: 1 }, matches: ['1'], passed: false, expected: 'equal to 1', actual: '"1"' },
  { predicate: { equals: { a: [1, 2] } }, matches: [{ a: [1, 2] }], passed: true, expected: 'equal to {"a":[1,2]}', actual: '{"a":[1,2]}' },
  { predicate: { equals: 'a' }, matches: [], passed: false, expected: 'equal to "a"', actual: 'no value (the query matched nothing)' },
  { predicate: { matches: '^wss?://' }, matches: ['wss://x'], passed: true, expected: 'matching /^wss?://', actual: '"wss://x"' },
  { predicate: { matches: '^wss?://' }, matches: ['http://x'], passed: false, expected: 'matching /^wss?:///', actual: '"http://x"' },
  { predicate: { matches: '^[0-9]+$' }, matches: [42], passed: true, expected: 'matching /^[0-9]+$/', actual: '42' },
  { predicate: { matches: 'x' }, matches: [{ x: 1 }], passed: false, expected: 'matching /x/', actual: '{"x":1} (an object is not text)' },
  { predicate: { exists: true }, matches: [null], passed: true, expected: 'at least one value', actual: 'null' },
  { predicate: { exists: true }, matches: [], passed: false, expected: 'at least one value', actual: 'no value (the query matched nothing)' },
  { predicate: { exists: false }, matches: [], passed: true, expected: 'no value', actual: 'no value (the query matched nothing)' },
  { predicate: { exists: false }, matches: ['x'], passed: false, expected: 'no value', actual: '"x"' },
  { predicate: { count: 2 }, matches: [1, 2], passed: true, expected: 'exactly 2 values', actual: '2 values' },
  { predicate: { count: 2 }, matches: [1], passed: false, expected: 'exactly 2 values', actual: '1 value' },
  { predicate: { count: { min: 1 } }, matches: [1, 2, 3], passed: true, expected: 'at least 1 value', actual: '3 values' },
  { predicate: { count: { max: 1 } }, matches: [1, 2], passed: false, expected: 'at most 1 value', actual: '2 values' },
  { predicate: { count: { min: 1, max: 2 } }, matches: [], passed: false, expected: 'between 1 and 2 values', actual: '0 values' },
  { predicate: { type: 'string' }, matches: ['x'], passed: true, expected: 'a JSON string', actual: '"x"' },
  { predicate: { type: 'array' }, matches: [{}], passed: false, expected: 'a JSON array', actual: '{} (an object)' },
  { predicate: { type: 'null' }, matches: [null], passed: true, expected: 'a JSON null', actual: 'null' },
  { predicate: { fhirType: 'id' }, matches: ['abc-1.2'], passed: true, expected: 'a valid FHIR id', actual: '"abc-1.2"' },
  { predicate: { fhirType: 'id' }, matches: ['has_underscore'], passed: false, expected: 'a valid FHIR id', actual: '"has_underscore" (not an id of ASCII letters' },
  { predicate: { fhirType: 'dateTime' }, matches: ['2026-01-01T10:00:00'], passed: false, expected: 'a valid FHIR dateTime', actual: '"2026-01-01T10:00:00" (not a dateTime with a timezone' },
  { predicate: { after: 'now' }, matches: ['2026-01-01T12:00:01Z'], passed: true, expected: 'a date/time after now (2026-01-01T12:00:00.000Z)', actual: '"2026-01-01T12:00:01Z"' },
  { predicate: { after: 'now' }, matches: ['2026-01-01T13:00:00+02:00'], passed: false, expected: 'after now', actual: '"2026-01-01T13:00:00+02:00"' },
  { predicate: { after: 'now' }, matches: ['tomorrow'], passed: false, expected: 'after now', actual: '"tomorrow" (not a date/time)' },
  { predicate: { before: '2026-06-01' }, matches: ['2026-05-31T23:59:59Z', '2026'], passed: true, expected: 'a date/time before "2026-06-01"', actual: '2 values' },
  { predicate: { before: '2026-06-01' }, matches: ['2026-06-01T00:00:00Z'], passed: false, expected: 'before "2026-06-01"', actual: '"2026-06-01T00:00:00Z"' },
  { predicate: { before: 'garbage' }, matches: ['2026-06-01T00:00:00Z'], passed: false, expected: 'before "garbage"', actual: '(the reference "garbage" is not a date/time)' },
  { predicate: { oneOf: [400, 404] }, matches: [404], passed: true, expected: 'one of 400, 404', actual: '404' },
  { predicate: { oneOf: [400, 404] }, matches: [404, 500], passed: false, expected: 'one of 400, 404', actual: '500, among 2 values: [404,500]' },
  { predicate: { contains: 'a1' }, matches: [['a1', 'b2']], passed: true, expected: 'containing "a1"', actual: '["a1","b2"]' },
  { predicate: { contains: 'json' }, matches: ['application/fhir+json'], passed: true, expected: 'containing "json"', actual: '"application/fhir+json"' },
  { predicate: { contains: 'xml' }, matches: ['application/fhir+json'], passed: false, expected: 'containing "xml"', actual: '"application/fhir+json"' },
  { predicate: { contains: 'a' }, matches: [7], passed: false, expected: 'containing "a"', actual: '7 (a number is neither an array nor a string)' },
  { predicate: { mediaType: 'application/fhir+json' }, matches: ['Application/FHIR+JSON; charset=UTF-8'], passed: true, expected: 'application/fhir+json (any case; parameters allowed; a charset, if any, UTF-8)', actual: '"Application/FHIR+JSON; charset=UTF-8"' },
  { predicate: { mediaType: 'application/fhir+json' }, matches: ['application/json'], passed: false, expected: 'application/fhir+json (any case', actual: 'the media type is \"application/json\"' },
  { predicate: { mediaType: 'application/fhir+json' }, matches: ['application/fhir+json;charset=iso-8859-1'], passed: false, expected: 'application/fhir+json', actual: 'not UTF-8' },
];

test.describe('evaluatePredicate', () => {
  for (const c of cases) {
    const name = `${JSON.stringify(c.predicate)} on ${JSON.stringify(c.matches)}`;
    test(`${name} → ${c.passed ? 'pass' : 'fail'}`, () => {
      const result = evaluatePredicate(c.predicate, c.matches, NOW);
      expect(result.passed).toBe(c.passed);
      expect(result.expected).toContain(c.expected);
      expect(result.actual).toContain(c.actual);
    });
    test(`not ${name} → ${c.passed ? 'fail' : 'pass'}`, () => {
      const result = evaluatePredicate({ not: c.predicate }, c.matches, NOW);
      expect(result.passed).toBe(!c.passed);
      expect(result.expected).toMatch(/^not /);
      expect(result.expected).toContain(c.expected);
      expect(result.actual).toContain(c.actual);
    });
  }

  test('every predicate key has cases', () => {
    const covered = new Set(cases.flatMap((c) => Object.keys(c.predicate)));
    expect(PREDICATE_KEYS.filter((key) => key !== 'not' && !covered.has(key))).toEqual([]);
  });

  test('double negation', () => {
    expect(evaluatePredicate({ not: { not: { equals: 1 } } }, [1], NOW).passed).toBe(true);
  });

  test('a predicate with no key or two keys is a HarnessError', () => {
    expect(() => evaluatePredicate({}, [], NOW)).toThrow(HarnessError);
    expect(() => evaluatePredicate({ equals: 1, exists: true }, [], NOW)).toThrow('found equals, exists');
  });

  test('a bad regular expression is a HarnessError, not a crash', () => {
    expect(() => evaluatePredicate({ matches: '(' }, ['x'], NOW)).toThrow('bad regular expression /(/');
  });

  test('assertion fields beside the predicate are ignored', () => {
    const assertion = { query: '$.a', label: 'x', equals: 1 };
    expect(evaluatePredicate(assertion, [1], NOW).passed).toBe(true);
  });

  test('actual values are truncated to 200 characters', () => {
    const long = 'x'.repeat(1000);
    const result = evaluatePredicate({ equals: 'y' }, [long, long], NOW);
    expect(result.actual.length).toBeLessThanOrEqual(200);
    expect(result.actual.endsWith('…')).toBe(true);
  });
});
