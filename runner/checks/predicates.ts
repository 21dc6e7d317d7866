/**
 * The closed predicate set (model.ts `Predicate`), evaluated on the values a query selected.
 * A predicate object holds exactly one key. Semantics, with "matches" = the selected values:
 *
 *   exists: true       at least one match (a JSON null counts);  exists: false → no match at all
 *   count: n           exactly n matches;  count: {min, max} → min ≤ matches ≤ max (either bound optional)
 *
 * The value predicates need at least one match, and then hold only when EVERY match satisfies them
 * (zero matches fails: "the expiration is after now" must not pass because there is none):
 *
 *   equals: v          the match is structurally equal to v (types strict: "1" ≠ 1; key order ignored)
 *   oneOf: [a, b]      the match equals one of the listed values
 *   matches: re        the match, a string (numbers and booleans as written), contains a match of the
 *                      JavaScript regular expression re (unanchored: write ^…$ to anchor)
 *   contains: v        the match is an array with an element equal to v, or a string containing v
 *   type: t            the match's JSON type: string, number, boolean, object, array, null
 *   fhirType: t        the match passes the lexical rule of FHIR primitive t (validator/fhir-datatypes.ts)
 *   before: x          the match is a date/dateTime/instant earlier than x ("now" or an instant)
 *   after: x           … later than x. Times without a zone are read as UTC, dates as their midnight UTC.
 *
 *   not: p             holds exactly when p does not (so `not: {equals: 1}` passes on zero matches)
 *
 * "Some match equals v" is written with a filter: `$.a[?(@=='v')]` + `exists: true`.
 * Predicate values arrive already interpolated (the engine interpolates a step before it runs).
 * Bad server data never throws: it fails the check. A malformed predicate (a scenario bug) throws
 * HarnessError.
 */
import { HarnessError } from '../errors.js';
import type { Assertion, Predicate } from '../scenario/model.js';
import { checkPrimitiveFindings, isPrimitiveType } from '../validator/fhir-datatypes.js';
import { jsonEqual } from './json-equal.js';
import { renderMatches, renderValue, truncate } from './render.js';

export const PREDICATE_KEYS = [
  'equals',
  'matches',
  'exists',
  'count',
  'type',
  'fhirType',
  'before',
  'after',
  'oneOf',
  'contains',
  'mediaType',
  'not',
] as const satisfies readonly (keyof Predicate)[];
export type PredicateKey = (typeof PREDICATE_KEYS)[number];

export const JSON_TYPES = ['string', 'number', 'boolean', 'object', 'array', 'null'] as const;

export interface PredicateResult {
  passed: boolean;
  expected: string;
  actual: string;
}

/** The one predicate key a predicate object holds; throws HarnessError when it holds none or several. */
export function predicateKey(predicate: Predicate): PredicateKey {
  const keys = PREDICATE_KEYS.filter((key) => predicate[key] !== undefined);
  if (keys.length !== 1) {
    const found = keys.length === 0 ? 'none' : keys.join(', ');
    throw new HarnessError('FWC_ERR_SCENARIO_SCHEMA', `a predicate needs exactly one of ${PREDICATE_KEYS.join(', ')}; found ${found}`);
  }
  return keys[0];
}

export function evaluatePredicate(predicate: Predicate, matches: unknown[], now: Date = new Date()): PredicateResult {
  const key = predicateKey(predicate);
  switch (key) {
    case 'not':
      return negate(evaluatePredicate(predicate.not as Predicate, matches, now));
    case 'exists':
      return existence(predicate.exists as boolean, matches);
    case 'count':
      return counting(predicate.count as NonNullable<Predicate['count']>, matches);
    default:
      return everyMatch(valueTest(key, predicate, now), matches);
  }
}

/** What the predicate expects, in words ("after now (2025-…)", "equal to \"a\""). */
export function describePredicate(predicate: Predicate, now: Date = new Date()): string {
  return evaluatePredicate(predicate, [], now).expected;
}

/** The predicate part of an assertion (without query, label, level, requirement, location). */
export function predicateOf(assertion: Assertion): Predicate {
  const predicate: Predicate = {};
  for (const key of PREDICATE_KEYS) {
    if (assertion[key] !== undefined) (predicate as Record<string, unknown>)[key] = assertion[key];
  }
  return predicate;
}

// --- the predicates ----------------------------------------------------------------------------

/** One value predicate: what it expects, and for one match, why it fails (undefined: it holds). */
interface ValueTest {
  expected: string;
  failure(match: unknown): string | undefined;
}

function everyMatch(test: ValueTest, matches: unknown[]): PredicateResult {
  const actual = renderMatches(matches);
  if (matches.length === 0) return { passed: false, expected: test.expected, actual };
  for (const match of matches) {
    const failure = test.failure(match);
    if (failure !== undefined) return { passed: false, expected: test.expected, actual: describeFailingMatch(matches, match, failure) };
  }
  return { passed: true, expected: test.expected, actual };
}

/** The failing value (and, among several matches, which one), with the reason when there is one. */
function describeFailingMatch(matches: unknown[], failing: unknown, reason: string): string {
  const because = reason ? ` (${reason})` : '';
  if (matches.length === 1) return truncate(`${renderValue(failing, 150)}${because}`);
  return truncate(`${renderValue(failing, 80)}${because}, among ${renderMatches(matches, 100)}`);
}

function valueTest(key: Exclude<PredicateKey, 'not' | 'exists' | 'count'>, predicate: Predicate, now: Date): ValueTest {
  switch (key) {
    case 'equals':
      return equalsTest(predicate.equals);
    case 'oneOf':
      return oneOfTest(predicate.oneOf);
    case 'matches':
      return matchesTest(predicate.matches);
    case 'contains':
      return containsTest(predicate.contains);
    case 'mediaType':
      return mediaTypeTest(predicate.mediaType as string);
    case 'type':
      return typeTest(predicate.type);
    case 'fhirType':
      return fhirTypeTest(predicate.fhirType);
    case 'before':
    case 'after':
      return timeTest(key, predicate[key], now);
  }
}

/**
 * A Content-Type naming this media type: type and subtype in any case, parameters allowed, and a
 * charset, when given, naming UTF-8 (FHIR's rule). Said in words, not as the regex it takes.
 */
function mediaTypeTest(mediaType: string): ValueTest {
  return {
    expected: `${mediaType} (any case; parameters allowed; a charset, if any, UTF-8)`,
    failure(match) {
      if (typeof match !== 'string') return 'not text';
      const [type = '', ...parameters] = match.split(';');
      if (type.trim().toLowerCase() !== mediaType.toLowerCase()) return `the media type is ${JSON.stringify(type.trim())}`;
      const charset = parameters.map((p) => p.split('=')).find(([name]) => name?.trim().toLowerCase() === 'charset');
      const value = charset?.[1]?.trim().replace(/^"|"$/g, '').toLowerCase();
      if (charset && value !== 'utf-8' && value !== 'utf8') return `the charset is ${JSON.stringify(charset[1]?.trim() ?? '')}, not UTF-8`;
      return undefined;
    },
  };
}

function equalsTest(value: unknown): ValueTest {
  return { expected: `equal to ${renderValue(value)}`, failure: (match) => (jsonEqual(match, value) ? undefined : '') };
}

function oneOfTest(values: unknown): ValueTest {
  if (!Array.isArray(values)) throw malformed('oneOf needs a list of values');
  return {
    expected: `one of ${values.map((value) => renderValue(value, 60)).join(', ')}`,
    failure: (match) => (values.some((value) => jsonEqual(match, value)) ? undefined : ''),
  };
}

function matchesTest(pattern: unknown): ValueTest {
  const regex = compileRegex(pattern);
  return {
    expected: `matching /${String(pattern)}/`,
    failure: (match) => {
      const text = asText(match);
      if (text === undefined) return `${aJsonType(match)} is not text`;
      return regex.test(text) ? undefined : '';
    },
  };
}

function containsTest(value: unknown): ValueTest {
  return {
    expected: `containing ${renderValue(value)}`,
    failure: (match) => {
      if (Array.isArray(match)) return match.some((item) => jsonEqual(item, value)) ? undefined : '';
      if (typeof match === 'string') {
        if (typeof value !== 'string') return `a string cannot contain ${aJsonType(value)}`;
        return match.includes(value) ? undefined : '';
      }
      return `${aJsonType(match)} is neither an array nor a string`;
    },
  };
}

function typeTest(type: unknown): ValueTest {
  if (!JSON_TYPES.includes(type as (typeof JSON_TYPES)[number])) throw malformed(`type must be one of ${JSON_TYPES.join(', ')}`);
  return {
    expected: `a JSON ${String(type)}`,
    failure: (match) => (jsonType(match) === type ? undefined : aJsonType(match)),
  };
}

function fhirTypeTest(type: unknown): ValueTest {
  if (typeof type !== 'string' || !isPrimitiveType(type)) throw malformed(`fhirType ${JSON.stringify(type)} is not a FHIR primitive type`);
  return {
    expected: `a valid FHIR ${type}`,
    failure: (match) => {
      const [error] = checkPrimitiveFindings(type, match).errors;
      return error ? `not ${error.expected}` : undefined;
    },
  };
}

function timeTest(key: 'before' | 'after', reference: unknown, now: Date): ValueTest {
  const referenceTime = reference === 'now' ? now.getTime() : parseInstant(reference);
  const shown = reference === 'now' ? `now (${now.toISOString()})` : renderValue(reference, 60);
  const expected = `a date/time ${key} ${shown}`;
  if (referenceTime === undefined) {
    return { expected, failure: () => `the reference ${renderValue(reference, 60)} is not a date/time` };
  }
  return {
    expected,
    failure: (match) => {
      const time = parseInstant(match);
      if (time === undefined) return 'not a date/time';
      const holds = key === 'before' ? time < referenceTime : time > referenceTime;
      return holds ? undefined : '';
    },
  };
}

function existence(expected: boolean, matches: unknown[]): PredicateResult {
  return {
    passed: expected ? matches.length > 0 : matches.length === 0,
    expected: expected ? 'at least one value' : 'no value',
    actual: renderMatches(matches),
  };
}

function counting(count: NonNullable<Predicate['count']>, matches: unknown[]): PredicateResult {
  const { min, max } = typeof count === 'number' ? { min: count, max: count } : count;
  const passed = (min === undefined || matches.length >= min) && (max === undefined || matches.length <= max);
  return { passed, expected: describeCount(min, max), actual: `${matches.length} value${matches.length === 1 ? '' : 's'}` };
}

function describeCount(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && min === max) return `exactly ${min} value${min === 1 ? '' : 's'}`;
  if (min !== undefined && max !== undefined) return `between ${min} and ${max} values`;
  if (min !== undefined) return `at least ${min} value${min === 1 ? '' : 's'}`;
  if (max !== undefined) return `at most ${max} value${max === 1 ? '' : 's'}`;
  throw malformed('count needs a number, or min and/or max');
}

function negate(result: PredicateResult): PredicateResult {
  return { passed: !result.passed, expected: `not ${result.expected}`, actual: result.actual };
}

// --- helpers -----------------------------------------------------------------------------------

// ISO-8601 forms FHIR uses: date, dateTime, instant. Anything else (say "March 7") is not a time.
const ISO_TIME =
  /^(\d{4})(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(?<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** Milliseconds since the epoch, or undefined when the value is not an ISO date/time. */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_TIME.exec(value);
  if (!match) return undefined;
  const hasTime = value.includes('T');
  const text = hasTime && !match.groups?.zone ? `${value}Z` : value;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** "an object", "a string", "null": for sentences. */
function aJsonType(value: unknown): string {
  const type = jsonType(value);
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function compileRegex(pattern: unknown): RegExp {
  if (typeof pattern !== 'string') throw malformed('matches needs a regular expression written as a string');
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw malformed(`bad regular expression /${pattern}/: ${(error as Error).message}`);
  }
}

function malformed(message: string): HarnessError {
  return new HarnessError('FWC_ERR_SCENARIO_SCHEMA', message);
}
