/**
 * Lexical rules of the FHIR primitive datatypes (R5 datatypes.html), as they appear in
 * JSON. Each check returns errors (the value is invalid) and warnings (a SHOULD is not met), each an
 * expected/actual pair that renders as "expected X, but received Y". Never throws, whatever the value.
 */
import { describeValue } from './describe-value.js';

/** One broken rule: what the type requires, and what the value was. */
export interface Finding {
  expected: string;
  actual: string;
}

export interface PrimitiveFindings {
  errors: Finding[];
  warnings: Finding[];
}

/** The same findings as one-line sentences. */
export interface PrimitiveCheck {
  errors: string[];
  warnings: string[];
}

export interface PrimitiveCheckOptions {
  /** Renders the received value; pass describeSecret for tokens so no message leaks them. */
  describe?: (value: unknown) => string;
}

/** FHIR's limit on string size: 1 MB, measured in UTF-8 bytes. */
export const MAX_STRING_BYTES = 1_048_576;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// Anchored forms of the published R5 regexes.
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const CODE = /^[^\s]+( [^\s]+)*$/;
const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const TIME = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?';
const ZONE = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';
const DATE = new RegExp(`^${YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$`);
/** The dateTime forms the prose lists: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm:ss(.f)(zone). The
 * zone is optional here so that a missing zone gets its own message (the published regex is looser). */
const DATE_TIME = new RegExp(
  `^${YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T${TIME}(?<zone>${ZONE})?)?)?)?$`,
);
const INSTANT = new RegExp(`^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T${TIME}${ZONE}$`);
const TIME_OF_DAY = new RegExp(`^${TIME}$`);
const INTEGER64 = /^(0|[-+]?[1-9][0-9]*)$/;
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.\-]*:/;
const URI_CHARACTERS = /^([A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OID = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Code points below U+0020 other than tab, LF and CR: strings SHOULD NOT contain them.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

type Describe = (value: unknown) => string;
type Rule = (value: unknown, describe: Describe) => PrimitiveFindings;

const RULES: Record<string, Rule> = {
  boolean: (value, describe) =>
    typeof value === 'boolean' ? ok() : error(`a JSON boolean (true or false)`, describe(value)),
  integer: (value, describe) => checkWholeNumber(value, describe, INT32_MIN, 'an integer'),
  unsignedInt: (value, describe) => checkWholeNumber(value, describe, 0, 'an unsignedInt (0 or more)'),
  positiveInt: (value, describe) => checkWholeNumber(value, describe, 1, 'a positiveInt (1 or more)'),
  integer64: checkInteger64,
  decimal: (value, describe) =>
    typeof value === 'number' && Number.isFinite(value)
      ? ok()
      : error(`a decimal as a finite JSON number`, describe(value)),
  string: (value, describe) => checkStringLike(value, describe, 'a string'),
  markdown: (value, describe) => checkStringLike(value, describe, 'a markdown string'),
  id: (value, describe) => onString(value, describe, 'an id', (text) => checkId(text, describe)),
  code: (value, describe) =>
    onString(value, describe, 'a code', (text) =>
      CODE.test(text) ? ok() : error(`a code without leading, trailing or repeated whitespace`, describe(text)),
    ),
  uri: (value, describe) => onString(value, describe, 'a uri', (text) => checkUri(text, describe)),
  url: (value, describe) => onString(value, describe, 'a url', (text) => checkUrl(text, describe)),
  canonical: (value, describe) => onString(value, describe, 'a canonical', (text) => checkCanonical(text, describe)),
  uuid: (value, describe) =>
    onString(value, describe, 'a uuid', (text) =>
      UUID.test(text) ? ok() : error(`a uuid like "urn:uuid:" + 36 lowercase hex characters`, describe(text)),
    ),
  oid: (value, describe) =>
    onString(value, describe, 'an oid', (text) =>
      OID.test(text) ? ok() : error(`an oid like "urn:oid:1.2.3"`, describe(text)),
    ),
  base64Binary: (value, describe) => onString(value, describe, 'base64Binary', (text) => checkBase64(text, describe)),
  date: (value, describe) => onString(value, describe, 'a date', (text) => checkDate(text, describe)),
  dateTime: (value, describe) => onString(value, describe, 'a dateTime', (text) => checkDateTime(text, describe)),
  instant: (value, describe) => onString(value, describe, 'an instant', (text) => checkInstant(text, describe)),
  time: (value, describe) =>
    onString(value, describe, 'a time', (text) =>
      TIME_OF_DAY.test(text) ? ok() : error(`a time as hh:mm:ss (00:00:00 to 23:59:59)`, describe(text)),
    ),
};

export const PRIMITIVE_TYPES: readonly string[] = Object.freeze(Object.keys(RULES));

export function isPrimitiveType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(RULES, type);
}

/** Errors and warnings for one JSON value of a FHIR primitive type, as sentences. */
export function checkPrimitiveDetailed(type: string, value: unknown, options: PrimitiveCheckOptions = {}): PrimitiveCheck {
  const findings = checkPrimitiveFindings(type, value, options);
  return { errors: findings.errors.map(formatFinding), warnings: findings.warnings.map(formatFinding) };
}

export function formatFinding(finding: Finding): string {
  return `expected ${finding.expected}, but received ${finding.actual}`;
}

/** Errors and warnings for one JSON value of a FHIR primitive type, as expected/actual pairs. */
export function checkPrimitiveFindings(type: string, value: unknown, options: PrimitiveCheckOptions = {}): PrimitiveFindings {
  const describe = safeDescribe(options.describe ?? describeValue);
  const rule = isPrimitiveType(type) ? RULES[type] : undefined;
  if (!rule) return error(`a FHIR primitive type (${PRIMITIVE_TYPES.join(', ')})`, `type ${JSON.stringify(String(type))}`);
  try {
    return rule(value, describe);
  } catch {
    return error(`a readable ${type} value`, describe(value));
  }
}

/** The first error, or null when the value is valid (warnings do not make it invalid). */
export function checkPrimitive(type: string, value: unknown): string | null {
  return checkPrimitiveDetailed(type, value).errors[0] ?? null;
}

/** The JSON choice key for a type: 'dateTime' → 'valueDateTime', 'Coding' → 'valueCoding'. */
export function valueKeyForType(type: string): string {
  return `value${type.charAt(0).toUpperCase()}${type.slice(1)}`;
}

// --- helpers -----------------------------------------------------------------------------------

function ok(): PrimitiveFindings {
  return { errors: [], warnings: [] };
}

function error(expected: string, actual: string): PrimitiveFindings {
  return { errors: [{ expected, actual }], warnings: [] };
}

function merge(...checks: PrimitiveFindings[]): PrimitiveFindings {
  return { errors: checks.flatMap((c) => c.errors), warnings: checks.flatMap((c) => c.warnings) };
}

function safeDescribe(describe: Describe): Describe {
  return (value) => {
    try {
      return describe(value);
    } catch {
      return 'an undescribable value';
    }
  };
}

/** Every string-based primitive is a non-empty JSON string (FHIR JSON has no empty primitives). */
function onString(value: unknown, describe: Describe, what: string, check: (text: string) => PrimitiveFindings): PrimitiveFindings {
  if (typeof value !== 'string') return error(`${what} as a JSON string`, describe(value));
  if (value.length === 0) return error(`${what} that is not empty`, `""`);
  return check(value);
}

function checkWholeNumber(value: unknown, describe: Describe, min: number, what: string): PrimitiveFindings {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return error(`${what} as a whole JSON number`, describe(value));
  }
  if (value < min || value > INT32_MAX) {
    return error(`${what} between ${min} and ${INT32_MAX}`, describe(value));
  }
  return ok();
}

function checkInteger64(value: unknown, describe: Describe): PrimitiveFindings {
  if (typeof value !== 'string') {
    return error(`an integer64 written as a JSON string (e.g. "310")`, describe(value));
  }
  if (!INTEGER64.test(value)) return error(`an integer64 (digits, optional sign, no leading zeros)`, describe(value));
  const number = BigInt(value);
  if (number < INT64_MIN || number > INT64_MAX) {
    return error(`an integer64 between ${INT64_MIN} and ${INT64_MAX}`, describe(value));
  }
  return ok();
}

function checkStringLike(value: unknown, describe: Describe, what: string): PrimitiveFindings {
  return onString(value, describe, what, (text) => {
    const checks: PrimitiveFindings[] = [];
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_STRING_BYTES) {
      checks.push(error(`${what} of at most ${MAX_STRING_BYTES} bytes (1 MB) in UTF-8`, `${bytes} bytes`));
    }
    const control = CONTROL_CHARACTER.exec(text);
    if (control) {
      const codePoint = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      checks.push({
        errors: [],
        warnings: [{ expected: `${what} without control characters other than tab, CR and LF`, actual: `${codePoint} at position ${control.index}` }],
      });
    }
    return merge(ok(), ...checks);
  });
}

function checkId(text: string, describe: Describe): PrimitiveFindings {
  if (text.length > 64) return error(`an id of 1 to 64 characters`, `${text.length} characters: ${describe(text)}`);
  if (!ID.test(text)) return error(`an id of ASCII letters, digits, "-" and "." only`, describe(text));
  return ok();
}

function checkUri(text: string, describe: Describe): PrimitiveFindings {
  if (/\s/.test(text)) return error(`a uri without whitespace`, describe(text));
  const colon = text.indexOf(':');
  const firstDelimiter = text.search(/[/?#]/);
  const hasScheme = colon >= 0 && (firstDelimiter < 0 || colon < firstDelimiter);
  if (hasScheme && !URI_SCHEME.test(text)) {
    return error(`a uri whose scheme starts with a letter and holds only letters, digits, "+", "-" and "."`, describe(text));
  }
  // RFC 3986 allows only a fixed ASCII set; servers do emit IRIs, so this is advice, not a failure.
  if (!URI_CHARACTERS.test(text)) {
    return { errors: [], warnings: [{ expected: `a uri of RFC 3986 characters (others percent-encoded)`, actual: describe(text) }] };
  }
  return ok();
}

function checkUrl(text: string, describe: Describe): PrimitiveFindings {
  const asUri = checkUri(text, describe);
  if (asUri.errors.length > 0) return asUri;
  if (!URI_SCHEME.test(text) || !URL.canParse(text)) {
    return error(`an absolute url (with a scheme, e.g. wss://host/path)`, describe(text));
  }
  return asUri;
}

function checkCanonical(text: string, describe: Describe): PrimitiveFindings {
  if (/\s/.test(text)) return error(`a canonical without whitespace`, describe(text));
  const bar = text.indexOf('|');
  const reference = bar < 0 ? text : text.slice(0, bar);
  if (bar >= 0 && bar === text.length - 1) {
    return error(`a version after "|" in a canonical`, describe(text));
  }
  if (reference.startsWith('#') && reference.length > 1) return ok();
  if (!URI_SCHEME.test(reference)) {
    return error(`a canonical that is an absolute URI or a "#fragment", optionally with "|version"`, describe(text));
  }
  return checkUri(reference, describe);
}

function checkBase64(text: string, describe: Describe): PrimitiveFindings {
  // Whitespace is tolerated inside base64Binary (the published regex allows \s).
  return BASE64.test(text.replace(/\s+/g, ''))
    ? ok()
    : error(`base64Binary (A-Z, a-z, 0-9, "+", "/", "=" padding, length a multiple of 4)`, describe(text));
}

function checkDate(text: string, describe: Describe): PrimitiveFindings {
  if (!DATE.test(text)) return error(`a date as YYYY, YYYY-MM or YYYY-MM-DD`, describe(text));
  return checkCalendarDate(text, describe, 'a date');
}

function checkDateTime(text: string, describe: Describe): PrimitiveFindings {
  const match = DATE_TIME.exec(text);
  if (!match) {
    return error(`a dateTime as YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a timezone (hours 00-23, seconds required)`, describe(text));
  }
  if (text.includes('T') && !match.groups?.zone) {
    return error(`a dateTime with a timezone when a time is given`, describe(text));
  }
  return checkCalendarDate(text, describe, 'a dateTime');
}

function checkInstant(text: string, describe: Describe): PrimitiveFindings {
  if (!INSTANT.test(text)) {
    return error(`an instant as YYYY-MM-DDThh:mm:ss(.sss) with a timezone (Z or ±hh:mm)`, describe(text));
  }
  return checkCalendarDate(text, describe, 'an instant');
}

/** The regexes allow day 31 in every month; the calendar does not. */
function checkCalendarDate(text: string, describe: Describe, what: string): PrimitiveFindings {
  const parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!parts) return ok();
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (day > daysInMonth(year, month)) {
    return error(`${what} on a real calendar date (${year}-${parts[2]} has ${daysInMonth(year, month)} days)`, describe(text));
  }
  return ok();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
