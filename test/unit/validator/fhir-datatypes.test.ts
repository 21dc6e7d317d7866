import { expect, test } from '@playwright/test';
import {
  MAX_STRING_BYTES,
  PRIMITIVE_TYPES,
  checkPrimitive,
  checkPrimitiveDetailed,
  describeSecret,
  isPrimitiveType,
  valueKeyForType,
} from '../../../runner/validator/index.js';

/** [type, value] pairs that must be valid, and pairs that must be invalid with a message fragment. */
const VALID: Array<[string, unknown]> = [
  ['id', 'a'],
  ['id', 'a'.repeat(64)],
  ['id', 'Sub-1.2'],
  ['string', 'x'],
  ['string', ' padded '],
  ['string', 'tab\tCR\rLF\n'],
  ['string', 'é'.repeat(MAX_STRING_BYTES / 2)], // 2 bytes each: exactly 1 MB
  ['markdown', '# title'],
  ['boolean', true],
  ['boolean', false],
  ['integer', 0],
  ['integer', -2_147_483_648],
  ['integer', 2_147_483_647],
  ['integer64', '0'],
  ['integer64', '310'],
  ['integer64', '-9223372036854775808'],
  ['integer64', '9223372036854775807'],
  ['unsignedInt', 0],
  ['unsignedInt', 2_147_483_647],
  ['positiveInt', 1],
  ['decimal', 1.5],
  ['decimal', -0.001],
  ['uri', 'urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7'],
  ['uri', 'relative/path'],
  ['uri', 'http://example.org/a?b=c#d'],
  ['url', 'wss://example.org/fhir/R5/subscription-websocket'],
  ['url', 'http://127.0.0.1:8080/ws'],
  ['url', 'mailto:someone@example.org'],
  ['canonical', 'http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token'],
  ['canonical', 'http://hl7.org/fhir/OperationDefinition/x|5.0.0'],
  ['canonical', '#local'],
  ['code', 'get-ws-binding-token'],
  ['code', 'two words'],
  ['dateTime', '2030'],
  ['dateTime', '2030-01'],
  ['dateTime', '2030-01-01'],
  ['dateTime', '2030-01-01T00:00:00Z'],
  ['dateTime', '2020-01-17T19:30:22-05:00'],
  ['dateTime', '2030-01-01T10:00:00.123456789+14:00'],
  ['dateTime', '2024-02-29'],
  ['dateTime', '2000-02-29T00:00:00Z'],
  ['dateTime', '2030-12-31T23:59:60Z'], // leap second: the published regex allows :60
  ['date', '2024-02-29'],
  ['date', '2030'],
  ['instant', '2030-01-01T00:00:00Z'],
  ['instant', '2030-01-01T00:00:00.5+01:00'],
  ['time', '23:59:59'],
  ['time', '00:00:00.1'],
  ['base64Binary', 'aGVsbG8='],
  ['base64Binary', 'aGVs bG8h'],
  ['uuid', 'urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7'],
  ['oid', 'urn:oid:2.16.840.1.113883.4.642.3.3206'],
];

const INVALID: Array<[string, unknown, string]> = [
  ['id', 'a'.repeat(65), '1 to 64 characters'],
  ['id', 'a_b', 'ASCII letters, digits'],
  ['id', 'Subscription/1', 'ASCII letters, digits'],
  ['id', 'a b', 'ASCII letters, digits'],
  ['id', '', 'not empty'],
  ['id', 7, 'JSON string'],
  ['string', '', 'not empty'],
  ['string', 'x'.repeat(MAX_STRING_BYTES + 1), `at most ${MAX_STRING_BYTES} bytes`],
  ['string', 'é'.repeat(MAX_STRING_BYTES / 2) + 'x', `at most ${MAX_STRING_BYTES} bytes`],
  ['string', 42, 'JSON string'],
  ['boolean', 'true', 'JSON boolean'],
  ['integer', 1.5, 'whole JSON number'],
  ['integer', 2_147_483_648, 'between'],
  ['integer', '1', 'whole JSON number'],
  ['integer64', 310, 'JSON string'],
  ['integer64', '007', 'no leading zeros'],
  ['integer64', '9223372036854775808', 'between'],
  ['unsignedInt', -1, 'between 0'],
  ['positiveInt', 0, 'between 1'],
  ['decimal', '1.5', 'finite JSON number'],
  ['uri', 'http://exa mple.org', 'without whitespace'],
  ['uri', 'http://example.org/\n', 'without whitespace'],
  ['uri', '1http://x', 'scheme'],
  ['url', '/subscription-websocket', 'absolute url'],
  ['url', 'example.org/ws', 'absolute url'],
  ['url', 'wss://host/ws path', 'without whitespace'],
  ['canonical', 'OperationDefinition/x', 'absolute URI'],
  ['canonical', 'http://x|', 'version after "|"'],
  ['code', ' leading', 'without leading'],
  ['code', 'double  space', 'without leading'],
  ['dateTime', '2030-01-01T10:00:00', 'with a timezone when a time is given'],
  ['dateTime', '2030-01-01T24:00:00Z', 'hours 00-23'],
  ['dateTime', '2030-01-01T10:00Z', 'seconds required'],
  ['dateTime', '2023-02-29', '2023-02 has 28 days'],
  ['dateTime', '1900-02-29T00:00:00Z', '1900-02 has 28 days'],
  ['dateTime', '2030-04-31', '2030-04 has 30 days'],
  ['dateTime', '2030-13-01', 'YYYY-MM-DD'],
  ['dateTime', '0000', 'YYYY'],
  ['dateTime', '2030-01-01T10:00:00+15:00', 'YYYY'],
  ['date', '2030-01-01T00:00:00Z', 'YYYY-MM-DD'],
  ['date', '2023-02-29', '28 days'],
  ['instant', '2030-01-01', 'instant'],
  ['instant', '2030-01-01T00:00:00', 'timezone'],
  ['time', '24:00:00', '23:59:59'],
  ['base64Binary', 'abc', 'multiple of 4'],
  ['uuid', 'urn:uuid:53FEFA32-FCBB-4FF8-8A92-55EE120877B7', 'lowercase'],
  ['oid', '2.16.840', 'urn:oid:'],
];

test.describe('checkPrimitive: valid values', () => {
  for (const [type, value] of VALID) {
    const shown = typeof value === 'string' && value.length > 40 ? `${value.slice(0, 10)}… (${value.length})` : JSON.stringify(value);
    test(`${type} ${shown}`, () => {
      expect(checkPrimitive(type, value)).toBeNull();
    });
  }
});

test.describe('checkPrimitive: invalid values', () => {
  for (const [type, value, fragment] of INVALID) {
    const shown = typeof value === 'string' && value.length > 40 ? `${value.slice(0, 10)}… (${value.length})` : JSON.stringify(value);
    test(`${type} ${shown}`, () => {
      const reason = checkPrimitive(type, value);
      expect(reason).toContain(fragment);
      expect(reason).toMatch(/^expected .+, but received .+$/);
      expect(reason).not.toContain('\n');
    });
  }
});

test('the message for a dateTime without a timezone is the documented sentence', () => {
  expect(checkPrimitive('dateTime', '2030-01-01T10:00:00')).toBe(
    'expected a dateTime with a timezone when a time is given, but received "2030-01-01T10:00:00"',
  );
});

test('control characters in a string are a warning, not an error', () => {
  const result = checkPrimitiveDetailed('string', 'a\u0001b');
  expect(result.errors).toEqual([]);
  expect(result.warnings).toHaveLength(1);
  expect(result.warnings[0]).toContain('U+0001 at position 1');
  expect(checkPrimitive('string', 'a\u0001b')).toBeNull();
  expect(checkPrimitiveDetailed('string', 'a\u007fb').warnings).toEqual([]); // DEL is not below U+0020
});

test('a string over 1 MB with control characters reports both', () => {
  const result = checkPrimitiveDetailed('string', `\u0000${'x'.repeat(MAX_STRING_BYTES)}`);
  expect(result.errors).toHaveLength(1);
  expect(result.warnings).toHaveLength(1);
});

test('non-RFC 3986 characters in a uri are a warning', () => {
  const result = checkPrimitiveDetailed('uri', 'http://example.org/ü');
  expect(result.errors).toEqual([]);
  expect(result.warnings[0]).toContain('RFC 3986');
});

test('a custom describe keeps secrets out of messages', () => {
  const secret = `secret-token-\u0001`;
  const result = checkPrimitiveDetailed('string', secret, { describe: describeSecret });
  expect(JSON.stringify(result)).not.toContain('secret-token');
  const wrongType = checkPrimitiveDetailed('id', 'secret_token', { describe: describeSecret });
  expect(wrongType.errors[0]).toContain('a redacted string of 12 characters');
});

test('unknown types and hostile values give an error, never a throw', () => {
  expect(checkPrimitive('Coding', 'x')).toContain('FHIR primitive type');
  const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
  for (const type of PRIMITIVE_TYPES) {
    expect(() => checkPrimitiveDetailed(type, hostile)).not.toThrow();
    expect(checkPrimitive(type, hostile)).not.toBeNull();
    expect(checkPrimitive(type, undefined)).not.toBeNull();
    expect(checkPrimitive(type, null)).not.toBeNull();
  }
});

test('valueKeyForType capitalises the type name', () => {
  expect(valueKeyForType('dateTime')).toBe('valueDateTime');
  expect(valueKeyForType('string')).toBe('valueString');
  expect(valueKeyForType('url')).toBe('valueUrl');
  expect(valueKeyForType('id')).toBe('valueId');
  expect(valueKeyForType('base64Binary')).toBe('valueBase64Binary');
  expect(valueKeyForType('Coding')).toBe('valueCoding');
});

test('isPrimitiveType knows the primitives and nothing else', () => {
  expect(isPrimitiveType('dateTime')).toBe(true);
  expect(isPrimitiveType('Coding')).toBe(false);
  expect(isPrimitiveType('toString')).toBe(false);
});
