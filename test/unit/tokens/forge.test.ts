import { createHmac, randomUUID } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { describeToken, forgeToken, type ForgeResult } from '../../../runner/tokens/forge.js';
import { inferAlphabet } from '../../../runner/tokens/alphabet.js';
import { seededRandom } from '../../../runner/tokens/random.js';
import type { ForgeClass } from '../../../runner/scenario/model.js';
import { HarnessError } from '../../../runner/errors.js';

const SECRET = 'test-signing-key';
const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
function hs256(claims: object): string {
  const signingInput = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${signingInput}.${createHmac('sha256', SECRET).update(signingInput).digest('base64url')}`;
}
function verifies(token: string): boolean {
  const [header, payload, signature] = token.split('.');
  return createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url') === signature;
}
const decode = (segment: string): Record<string, unknown> => JSON.parse(Buffer.from(segment, 'base64url').toString());

const JWT = hs256({ sub: 'Practitioner/1', subscription_id: 'abc', exp: 1_900_000_000, iat: 1_899_996_400 });
const GUID = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
const HEX = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const BASE64URL = 'q1w2E3r4T5y6U7i8O9p0_a-sDfGhJkLz'; // 32 characters: length % 4 == 0
const BASE64 = 'YWJjZGVmZ2hpams='; // padded

function forged(result: ForgeResult): string {
  if (!('token' in result)) throw new Error(`not applicable: ${result.notApplicable}`);
  return result.token;
}

test('describeToken: kind, alphabet and length; JWT header and claims', () => {
  expect(describeToken(GUID)).toEqual({ kind: 'opaque', alphabet: 'guid', length: 36 });
  expect(describeToken(HEX)).toMatchObject({ kind: 'opaque', alphabet: 'hex-lower', length: 64 });
  expect(describeToken(BASE64URL).alphabet).toBe('base64url');
  expect(describeToken(BASE64).alphabet).toBe('base64');
  expect(describeToken('ABCxyz123').alphabet).toBe('base62');
  expect(describeToken('ABCdef123').alphabet).toBe('hex');
  expect(describeToken('12345').alphabet).toBe('digits');
  expect(describeToken('a b~c').alphabet).toBe('unicode');
  expect(describeToken('a!b~c').alphabet).toBe('printable-ascii');
  expect(describeToken(JWT)).toEqual({
    kind: 'jwt',
    alphabet: 'jwt',
    length: JWT.length,
    jwtHeader: { alg: 'HS256', typ: 'JWT' },
    jwtClaims: { sub: 'Practitioner/1', subscription_id: 'abc', exp: 1_900_000_000, iat: 1_899_996_400 },
  });
  expect(describeToken('abc.def.ghi').kind).toBe('opaque'); // three segments, but no JSON header
});

test('random-same-alphabet: same length and alphabet, different token; GUID keeps dashes, version and variant', () => {
  for (const issued of [HEX, BASE64URL, BASE64, 'ABCdef123xyz', '0123456789']) {
    const token = forged(forgeToken(issued, 'random-same-alphabet'));
    expect(token).not.toBe(issued);
    expect(token).toHaveLength(issued.length);
    const allowed = new Set([...inferAlphabet(issued).characters, '=']);
    expect([...token].filter((c) => !allowed.has(c))).toEqual([]);
  }
  const guid = forged(forgeToken(GUID, 'random-same-alphabet'));
  expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(guid).not.toBe(GUID);
  expect(forged(forgeToken(BASE64, 'random-same-alphabet')).endsWith('=')).toBe(true);
});

test('a seeded random gives the same forgeries every time; another seed gives others', () => {
  const classes: ForgeClass[] = ['random-same-alphabet', 'change-start', 'change-middle', 'change-end', 'extend'];
  const run = (seed: number): string[] => classes.map((c) => forged(forgeToken(HEX, c, { random: seededRandom(seed) })));
  expect(run(42)).toEqual(run(42));
  expect(run(42)[0]).not.toBe(run(43)[0]);
});

test('change-start / middle / end: exactly one character differs, at the named place, same alphabet', () => {
  const places: Array<[ForgeClass, number]> = [
    ['change-start', 0],
    ['change-middle', 32],
    ['change-end', 63],
  ];
  for (const [forgeClass, position] of places) {
    const token = forged(forgeToken(HEX, forgeClass, { random: seededRandom(1) }));
    const differing = [...token].map((c, i) => (c !== HEX[i] ? i : -1)).filter((i) => i >= 0);
    expect(differing).toEqual([position]);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  }
  const guidEnd = forged(forgeToken(GUID, 'change-middle'));
  expect(guidEnd).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(guidEnd[18]).toBe('-'); // the middle (18) is a dash: the nearest hex digit changed instead
});

test('base64 changes and extensions always decode to different bytes, even with lenient decoders', () => {
  for (const issued of ['QUJD', 'QUJDRA', 'QUJDREU', 'QUJDREVG', 'ZWY', 'ZWZm', 'ZmZmZg', BASE64URL, JWT.split('.')[2]]) {
    for (const forgeClass of ['change-end', 'change-start', 'change-middle', 'extend', 'flip-case'] as ForgeClass[]) {
      const result = forgeToken(issued, forgeClass, { random: seededRandom(7) });
      if (!('token' in result)) continue;
      expect(Buffer.from(result.token, 'base64url').equals(Buffer.from(issued, 'base64url')), `${forgeClass} of ${issued}`).toBe(false);
    }
  }
  const padded = forged(forgeToken(BASE64, 'extend', { random: seededRandom(3) }));
  expect(padded.length % 4).toBe(0);
  expect(Buffer.from(padded, 'base64').equals(Buffer.from(BASE64, 'base64'))).toBe(false);
});

test('property: for random base64url tokens of every length, no forgery decodes to the issued bytes', () => {
  const random = seededRandom(2024);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let length = 2; length <= 45; length++) {
    for (let sample = 0; sample < 8; sample++) {
      const issued = Array.from({ length }, () => alphabet[Math.floor(random() * 64)]).join('');
      if (length % 4 === 1) continue; // not a valid base64 length to begin with
      if (/^[0-9]+$/.test(issued)) continue; // all digits: indistinguishable from a decimal token
      for (const forgeClass of ['change-start', 'change-middle', 'change-end', 'flip-case', 'extend', 'random-same-alphabet'] as ForgeClass[]) {
        const result = forgeToken(issued, forgeClass, { random });
        if (!('token' in result)) continue;
        expect(Buffer.from(result.token, 'base64url').equals(Buffer.from(issued, 'base64url')), `${forgeClass} of ${issued}`).toBe(false);
      }
    }
  }
});

test('flip-case flips one letter near the middle; a token without letters is not applicable', () => {
  const token = forged(forgeToken(BASE64URL, 'flip-case'));
  const differing = [...token].map((c, i) => (c !== BASE64URL[i] ? i : -1)).filter((i) => i >= 0);
  expect(differing).toHaveLength(1);
  expect(token[differing[0]].toLowerCase()).toBe(BASE64URL[differing[0]].toLowerCase());
  // Hex and GUID tokens carry no information in letter case: comparing them case-insensitively is no weakness.
  expect(forgeToken(HEX, 'flip-case')).toHaveProperty('notApplicable', expect.stringContaining('hexadecimal'));
  expect(forgeToken(GUID, 'flip-case')).toHaveProperty('notApplicable', expect.stringContaining('a GUID'));
  expect(forgeToken('0123-4567', 'flip-case')).toEqual({ notApplicable: 'the token has no letter whose case could be flipped' });
});

test('truncate: half by default, 1 character, all but the last; impossible lengths are not applicable', () => {
  expect(forged(forgeToken(HEX, 'truncate'))).toBe(HEX.slice(0, 32));
  expect(forged(forgeToken(HEX, 'truncate', { length: 1 }))).toBe(HEX[0]);
  expect(forged(forgeToken(HEX, 'truncate', { length: -1 }))).toBe(HEX.slice(0, 63));
  expect(forged(forgeToken(HEX, 'truncate', { length: 63 }))).toBe(HEX.slice(0, 63));
  expect(forgeToken(HEX, 'truncate', { length: 64 })).toHaveProperty('notApplicable');
  expect(forgeToken(HEX, 'truncate', { length: 0 })).toHaveProperty('notApplicable');
  expect(forgeToken('x', 'truncate')).toEqual({
    notApplicable: 'a token of 1 characters cannot be truncated to 0 (keep between 1 and 0; the empty token is its own class)',
  });
});

test('extend appends characters of the alphabet (more than one when one would be dropped by decoders)', () => {
  const hex = forged(forgeToken(HEX, 'extend'));
  expect(hex.startsWith(HEX)).toBe(true);
  expect(hex).toMatch(/^[0-9a-f]{66}$/); // 65 would leave a lone hex digit, which decoders drop
  expect(Buffer.from(hex, 'hex').equals(Buffer.from(HEX, 'hex'))).toBe(false);
  expect(forged(forgeToken('a!b~c', 'extend'))).toHaveLength(6);
  const b64 = forged(forgeToken(BASE64URL, 'extend'));
  expect(b64.startsWith(BASE64URL)).toBe(true);
  expect(b64.length).toBe(BASE64URL.length + 2);
  expect(forged(forgeToken('QUJDRA', 'extend')).length).toBe(7);
});

test('empty gives the empty string; an empty issued token makes every class not applicable', () => {
  expect(forgeToken(HEX, 'empty')).toEqual({ token: '', description: 'the empty string' });
  expect(forgeToken('', 'empty')).toHaveProperty('notApplicable');
  expect(forgeToken('', 'random-same-alphabet')).toHaveProperty('notApplicable');
});

test('jwt-alg-none: header alg none, same claims segment, empty signature', () => {
  const token = forged(forgeToken(JWT, 'jwt-alg-none'));
  const [header, payload, signature] = token.split('.');
  expect(decode(header)).toEqual({ alg: 'none', typ: 'JWT' });
  expect(payload).toBe(JWT.split('.')[1]);
  expect(signature).toBe('');
});

test('jwt-claims-changed: a scope claim altered, original signature kept, so it no longer verifies', () => {
  expect(verifies(JWT)).toBe(true);
  const result = forgeToken(JWT, 'jwt-claims-changed');
  const token = forged(result);
  expect(token.split('.')[2]).toBe(JWT.split('.')[2]);
  expect(decode(token.split('.')[1])).toMatchObject({ sub: 'Practitioner/1', subscription_id: 'abc-forged' });
  expect(verifies(token)).toBe(false);
  expect(result).toMatchObject({ description: 'claim "subscription_id" altered; original signature kept' });
  const noScope = forged(forgeToken(hs256({ iss: 'x' }), 'jwt-claims-changed'));
  expect(decode(noScope.split('.')[1])).toEqual({ iss: 'x', subscription: 'Subscription/forged' });
});

test('jwt-signature-removed and jwt-exp-forward', () => {
  const removed = forged(forgeToken(JWT, 'jwt-signature-removed'));
  expect(removed).toBe(`${JWT.split('.')[0]}.${JWT.split('.')[1]}.`);
  const later = forged(forgeToken(JWT, 'jwt-exp-forward'));
  expect(decode(later.split('.')[1]).exp).toBe(1_900_000_000 + 3600);
  expect(later.split('.')[2]).toBe(JWT.split('.')[2]);
  expect(verifies(later)).toBe(false);
  expect(forgeToken(hs256({ sub: 'x' }), 'jwt-exp-forward')).toEqual({ notApplicable: 'the JWT has no numeric exp claim to move' });
});

test('JWT classes on a token that is not a JWT are not applicable, with the reason', () => {
  for (const forgeClass of ['jwt-alg-none', 'jwt-claims-changed', 'jwt-signature-removed', 'jwt-exp-forward'] as ForgeClass[]) {
    expect(forgeToken(randomUUID(), forgeClass)).toEqual({ notApplicable: 'the token is not a JWT (three base64url segments)' });
  }
  const unsigned = `${b64url({ alg: 'none' })}.${b64url({ sub: 'x' })}.`;
  expect(forgeToken(unsigned, 'jwt-alg-none')).toHaveProperty('notApplicable', 'the issued JWT is already unsigned (alg none)');
  expect(forgeToken(unsigned, 'jwt-signature-removed')).toHaveProperty('notApplicable', 'the issued JWT has no signature to remove');
});

test('the character classes keep a JWT-shaped token JWT-shaped (dots untouched)', () => {
  for (const forgeClass of ['random-same-alphabet', 'change-start', 'change-middle', 'change-end', 'flip-case'] as ForgeClass[]) {
    const token = forged(forgeToken(JWT, forgeClass, { random: seededRandom(9) }));
    expect(token.split('.').map((s) => s.length)).toEqual(JWT.split('.').map((s) => s.length));
    expect(verifies(token)).toBe(false);
  }
});

test('an unknown class is a scenario error, not a silent skip', () => {
  expect(() => forgeToken(HEX, 'rot13' as ForgeClass)).toThrow(HarnessError);
  expect(() => forgeToken(HEX, 'toString' as ForgeClass)).toThrow(/unknown forge class "toString"/);
});
