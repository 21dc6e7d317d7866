/**
 * Forged tokens: variants of an issued binding token that the server never issued. A server that
 * answers any of them with a handshake does not check its tokens (a failure). Each
 * variant keeps the issued token's alphabet and structure, so a refusal cannot be explained by
 * the shape alone. A class that cannot apply says why (the scenario is then skipped with that reason).
 */
import { harnessError } from '../errors.js';
import type { ForgeClass } from '../scenario/model.js';
import { fixedPositions, inferAlphabet, mayBeBase64, mayBeHex, randomCharacter, replacementFor, type Alphabet, type AlphabetName } from './alphabet.js';
import { encodeSegment, joinJwt, parseJwt, type JwtParts } from './jwt.js';
import { cryptoRandom, type RandomSource } from './random.js';

export interface ForgeOptions {
  /** truncate: characters kept; negative counts from the end (-1 → all but the last). Default: half. */
  length?: number;
  /** Default: cryptographic. Pass seededRandom(seed) for a reproducible run. */
  random?: RandomSource;
}

export type ForgeResult = { token: string; description: string } | { notApplicable: string };

export interface TokenDescription {
  kind: 'jwt' | 'opaque';
  alphabet: AlphabetName;
  length: number;
  jwtHeader?: Record<string, unknown>;
  /** The JWT's claims as issued (may hold personal data such as sub: keep out of reports). */
  jwtClaims?: Record<string, unknown>;
}

const NOT_A_JWT = 'the token is not a JWT (three base64url segments)';
const SECONDS_PER_HOUR = 3600;
/** Claims that scope a token to Subscriptions (Medplum: subscription_id), then the subject. */
const SCOPE_CLAIMS = ['subscription_id', 'subscription', 'subscriptions', 'sub'];

export function describeToken(token: string): TokenDescription {
  const jwt = parseJwt(token);
  return {
    kind: jwt ? 'jwt' : 'opaque',
    alphabet: inferAlphabet(token).name,
    length: Array.from(token).length,
    ...(jwt ? { jwtHeader: jwt.header } : {}),
    ...(jwt?.claims ? { jwtClaims: jwt.claims } : {}),
  };
}

export function forgeToken(issued: string, forgeClass: ForgeClass, options: ForgeOptions = {}): ForgeResult {
  if (typeof issued !== 'string') return { notApplicable: 'there is no issued token to forge from' };
  if (issued.length === 0) return { notApplicable: 'the issued token is empty, so there is nothing to vary' };
  const random = options.random ?? cryptoRandom;
  const forger = Object.hasOwn(FORGERS, forgeClass) ? FORGERS[forgeClass] : undefined;
  if (!forger) {
    throw harnessError('FWC_ERR_SCENARIO_SCHEMA', `unknown forge class "${String(forgeClass)}"; known: ${Object.keys(FORGERS).join(', ')}`);
  }
  const result = forger(issued, { random, length: options.length });
  if ('token' in result && !differsFrom(result.token, issued)) {
    return { notApplicable: `${forgeClass} gives back the issued token, or one that decodes to the same bytes` };
  }
  return result;
}

interface ForgeContext {
  random: RandomSource;
  length?: number;
}

type Forger = (issued: string, context: ForgeContext) => ForgeResult;

const FORGERS: Record<ForgeClass, Forger> = {
  'random-same-alphabet': randomSameAlphabet,
  'change-start': (issued, context) => changeAt(issued, 'start', context),
  'change-middle': (issued, context) => changeAt(issued, 'middle', context),
  'change-end': (issued, context) => changeAt(issued, 'end', context),
  'flip-case': flipCase,
  truncate,
  extend,
  empty: () => ({ token: '', description: 'the empty string' }),
  'jwt-alg-none': withJwt(algNone),
  'jwt-claims-changed': withJwt(claimsChanged),
  'jwt-signature-removed': withJwt(signatureRemoved),
  'jwt-exp-forward': withJwt(expForward),
};

function randomSameAlphabet(issued: string, { random }: ForgeContext): ForgeResult {
  const alphabet = inferAlphabet(issued);
  const characters = Array.from(issued);
  const fixed = fixedPositions(issued, alphabet, true);
  for (let attempt = 0; attempt < 100; attempt++) {
    const token = characters.map((character, index) => (fixed.has(index) ? character : randomCharacter(alphabet, random))).join('');
    if (differsFrom(token, issued)) return { token, description: `random ${characters.length} characters of the issued token's alphabet (${alphabet.name})` };
  }
  return { notApplicable: `no different token of the same length and alphabet (${alphabet.name}) could be drawn` };
}

function changeAt(issued: string, where: 'start' | 'middle' | 'end', { random }: ForgeContext): ForgeResult {
  const alphabet = inferAlphabet(issued);
  const characters = Array.from(issued);
  const changeable = changeablePositions(issued, alphabet);
  if (changeable.length === 0) return { notApplicable: 'the token has no character that can be changed' };
  const position = where === 'start' ? changeable[0] : where === 'end' ? changeable[changeable.length - 1] : nearest(changeable, Math.floor(characters.length / 2));
  const original = characters[position];
  characters[position] = replacementFor(original, alphabet, random);
  return { token: characters.join(''), description: `character ${position + 1} of ${characters.length} changed from its issued value to another ${alphabet.name} character` };
}

/** Alphabets in which letter case carries no information: a case-insensitive match there is no weakness. */
const CASELESS_ALPHABETS = new Set(['guid', 'hex-lower', 'hex-upper', 'hex']);

function flipCase(issued: string, _context: ForgeContext): ForgeResult {
  const alphabet = inferAlphabet(issued);
  if (CASELESS_ALPHABETS.has(alphabet.name)) {
    return { notApplicable: `the token is ${alphabet.name === 'guid' ? 'a GUID' : 'hexadecimal'}: its letter case carries no information, so a server may compare it case-insensitively` };
  }
  const characters = Array.from(issued);
  const letters = changeablePositions(issued, alphabet).filter((index) => characters[index].toLowerCase() !== characters[index].toUpperCase());
  if (letters.length === 0) return { notApplicable: 'the token has no letter whose case could be flipped' };
  const position = nearest(letters, Math.floor(characters.length / 2));
  const letter = characters[position];
  characters[position] = letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase();
  return { token: characters.join(''), description: `the case of character ${position + 1} of ${characters.length} flipped` };
}

function truncate(issued: string, { length }: ForgeContext): ForgeResult {
  const characters = Array.from(issued);
  const requested = length ?? Math.floor(characters.length / 2);
  if (!Number.isInteger(requested)) return { notApplicable: `truncate length must be a whole number, got ${requested}` };
  const kept = requested < 0 ? characters.length + requested : requested;
  if (kept < 1 || kept >= characters.length) {
    return { notApplicable: `a token of ${characters.length} characters cannot be truncated to ${kept} (keep between 1 and ${characters.length - 1}; the empty token is its own class)` };
  }
  return { token: characters.slice(0, kept).join(''), description: `the first ${kept} of ${characters.length} characters` };
}

/**
 * Append characters of the alphabet: as few as possible, yet enough that lenient decoders see a
 * difference. A lone trailing base64 character (length ≡ 1 mod 4) and a lone trailing hex digit
 * (odd length) carry no whole byte and are dropped, so such a length is skipped. Base64 padding
 * stays at the end and is recomputed.
 */
function extend(issued: string, { random }: ForgeContext): ForgeResult {
  const alphabet = inferAlphabet(issued);
  const padded = alphabet.name === 'base64' && issued.endsWith('=');
  const core = padded ? issued.replace(/=+$/, '') : issued;
  const lastSegment = Array.from(core.slice(core.lastIndexOf('.') + 1)).length;
  let added = 1;
  while (added < 4 && !decodesWhole(lastSegment + added, alphabet)) added++;
  let extended = core;
  for (let i = 0; i < added; i++) extended += randomCharacter(alphabet, random);
  if (padded) extended += '='.repeat((4 - (extended.length % 4)) % 4);
  return { token: extended, description: `${added === 1 ? 'one character' : `${added} characters`} appended` };
}

function decodesWhole(length: number, alphabet: Alphabet): boolean {
  if (mayBeBase64(alphabet) && length % 4 === 1) return false;
  if (mayBeHex(alphabet) && length % 2 === 1) return false;
  return true;
}

function withJwt(forger: (jwt: JwtParts) => ForgeResult): Forger {
  return (issued) => {
    const jwt = parseJwt(issued);
    return jwt ? forger(jwt) : { notApplicable: NOT_A_JWT };
  };
}

function algNone(jwt: JwtParts): ForgeResult {
  if (jwt.header.alg === 'none' && jwt.segments[2] === '') return { notApplicable: 'the issued JWT is already unsigned (alg none)' };
  const header = encodeSegment({ ...jwt.header, alg: 'none' });
  return { token: joinJwt(header, jwt.segments[1], ''), description: `header alg changed from ${JSON.stringify(jwt.header.alg)} to "none", same claims, signature removed` };
}

function claimsChanged(jwt: JwtParts): ForgeResult {
  if (!jwt.claims) return { notApplicable: 'the JWT payload is not a JSON object, so it has no claims to change' };
  const claims = { ...jwt.claims };
  const name = SCOPE_CLAIMS.find((claim) => claim in claims);
  let description: string;
  if (name === undefined) {
    claims.subscription = 'Subscription/forged';
    description = 'claim "subscription" added; original signature kept';
  } else {
    claims[name] = alteredClaim(claims[name]);
    description = `claim "${name}" altered; original signature kept`;
  }
  return { token: joinJwt(jwt.segments[0], encodeSegment(claims), jwt.segments[2]), description };
}

function alteredClaim(value: unknown): unknown {
  if (typeof value === 'string') return `${value}-forged`;
  if (typeof value === 'number') return value + 1;
  if (Array.isArray(value)) return [...value, 'Subscription/forged'];
  return 'forged';
}

function signatureRemoved(jwt: JwtParts): ForgeResult {
  if (jwt.segments[2] === '') return { notApplicable: 'the issued JWT has no signature to remove' };
  return { token: joinJwt(jwt.segments[0], jwt.segments[1], ''), description: 'signature removed, header and claims as issued' };
}

function expForward(jwt: JwtParts): ForgeResult {
  const exp = jwt.claims?.exp;
  if (typeof exp !== 'number') return { notApplicable: 'the JWT has no numeric exp claim to move' };
  const claims = { ...jwt.claims, exp: exp + SECONDS_PER_HOUR };
  return { token: joinJwt(jwt.segments[0], encodeSegment(claims), jwt.segments[2]), description: 'exp moved 1 hour later; original signature kept' };
}

/**
 * Different as a string and, where the token may be base64 or hex, different once decoded: a server
 * comparing decoded bytes must not be handed the issued token in disguise. A hex token differing only
 * in letter case is kept as different here; flip-case itself declines hex and GUID tokens, whose
 * case carries no information (a case-insensitive comparison of those is no weakness).
 */
function differsFrom(token: string, issued: string): boolean {
  if (token === issued) return false;
  const alphabet = inferAlphabet(issued);
  const segments = (text: string): string[] => text.split('.');
  const sameDecoded = (encoding: 'base64' | 'hex'): boolean => {
    const a = segments(token);
    const b = segments(issued);
    return a.length === b.length && a.every((segment, i) => Buffer.from(segment, encoding).equals(Buffer.from(b[i], encoding)));
  };
  if (mayBeBase64(alphabet) && sameDecoded('base64')) return false;
  const onlyCaseDiffers = token.toLowerCase() === issued.toLowerCase();
  if (mayBeHex(alphabet) && !onlyCaseDiffers && sameDecoded('hex')) return false;
  return true;
}

function changeablePositions(token: string, alphabet: Alphabet): number[] {
  const fixed = fixedPositions(token, alphabet);
  return Array.from(token).map((_, index) => index).filter((index) => !fixed.has(index));
}

/** The candidate closest to target, the later one on a tie. */
function nearest(candidates: number[], target: number): number {
  return candidates.reduce((best, candidate) => (Math.abs(candidate - target) <= Math.abs(best - target) ? candidate : best));
}
