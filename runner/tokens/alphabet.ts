/**
 * Which characters a token is made of, so a forged token looks like the issued one: same alphabet,
 * same fixed characters (GUID dashes, JWT dots, base64 padding). A forgery that a server could reject
 * merely for its shape would prove nothing about the server's token check.
 */
import { pick, type RandomSource } from './random.js';

export type AlphabetName =
  | 'guid'
  | 'digits'
  | 'hex-lower'
  | 'hex-upper'
  | 'hex'
  | 'base62'
  | 'base64url'
  | 'base64'
  | 'jwt'
  | 'printable-ascii'
  | 'unicode';

export interface Alphabet {
  name: AlphabetName;
  /** The characters a replacement may use. */
  characters: readonly string[];
}

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const BASE64_CORE = UPPER + LOWER + DIGITS;
const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('');

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

interface Candidate {
  name: AlphabetName;
  test: RegExp;
  characters: string;
}

/** Smallest first: a token is given the first alphabet that contains all its characters. */
const CANDIDATES: Candidate[] = [
  { name: 'digits', test: /^[0-9]+$/, characters: DIGITS },
  { name: 'hex-lower', test: /^[0-9a-f]+$/, characters: DIGITS + 'abcdef' },
  { name: 'hex-upper', test: /^[0-9A-F]+$/, characters: DIGITS + 'ABCDEF' },
  { name: 'hex', test: /^[0-9a-fA-F]+$/, characters: DIGITS + 'abcdefABCDEF' },
  { name: 'base62', test: /^[A-Za-z0-9]+$/, characters: BASE64_CORE },
  { name: 'base64url', test: /^[A-Za-z0-9_-]+$/, characters: `${BASE64_CORE}-_` },
  { name: 'base64', test: /^[A-Za-z0-9+/]+={0,2}$/, characters: `${BASE64_CORE}+/` },
  { name: 'printable-ascii', test: /^[\x21-\x7e]+$/, characters: PRINTABLE },
];

export function inferAlphabet(token: string): Alphabet {
  if (GUID_PATTERN.test(token)) {
    const characters = /[A-F]/.test(token) && !/[a-f]/.test(token) ? DIGITS + 'ABCDEF' : DIGITS + 'abcdef';
    return { name: 'guid', characters: [...characters] };
  }
  if (JWT_PATTERN.test(token)) return { name: 'jwt', characters: [...`${BASE64_CORE}-_`] };
  const found = CANDIDATES.find((candidate) => candidate.test.test(token));
  if (found) return { name: found.name, characters: [...found.characters] };
  return { name: 'unicode', characters: [...new Set([...PRINTABLE, ...Array.from(token)])] };
}

/**
 * Positions a forgery keeps as issued: GUID dashes (and, for random GUIDs, the version and variant
 * digits), JWT dots, base64 padding.
 */
export function fixedPositions(token: string, alphabet: Alphabet, forRandom = false): Set<number> {
  const characters = Array.from(token);
  const fixed = new Set<number>();
  characters.forEach((character, index) => {
    if (alphabet.name === 'guid' && character === '-') fixed.add(index);
    if (alphabet.name === 'jwt' && character === '.') fixed.add(index);
    if (alphabet.name === 'base64' && character === '=') fixed.add(index);
  });
  if (alphabet.name === 'guid' && forRandom) {
    fixed.add(14); // version digit
    fixed.add(19); // variant digit
  }
  return fixed;
}

/**
 * Whether the token could be base64 (or hex) in disguise: short base64 tokens often contain only
 * base62 or even hex characters, so the alphabet name alone cannot rule it out.
 */
export function mayBeBase64(alphabet: Alphabet): boolean {
  return ['digits', 'hex-lower', 'hex-upper', 'hex', 'base62', 'base64url', 'base64', 'jwt'].includes(alphabet.name);
}

export function mayBeHex(alphabet: Alphabet): boolean {
  return ['digits', 'hex-lower', 'hex-upper', 'hex'].includes(alphabet.name);
}

/**
 * A different character of the same alphabet, chosen to differ in the top two bits of its base64
 * value where the alphabet allows: a final base64 character's low bits may be padding that lenient
 * decoders ignore, and a change there could decode to the very same bytes as the issued token.
 * (Hex digits are whole nibbles, so any different hex digit already changes the bytes.)
 */
export function replacementFor(character: string, alphabet: Alphabet, random: RandomSource): string {
  // Not the same letter in the other case either: that is forged.flip-case's question, and a
  // server comparing tokens case-insensitively must fail there, not here by chance.
  const others = alphabet.characters.filter((candidate) => candidate.toLowerCase() !== character.toLowerCase());
  const value = base64Value(character);
  if (value === undefined) return pick(others, random);
  const safe = others.filter((candidate) => {
    const candidateValue = base64Value(candidate);
    return candidateValue !== undefined && candidateValue >> 4 !== value >> 4;
  });
  return pick(safe.length > 0 ? safe : others, random);
}

/** The 6-bit value of a base64 or base64url character. */
function base64Value(character: string): number | undefined {
  const index = BASE64_CORE.indexOf(character);
  if (index >= 0 && character.length === 1) return index;
  if (character === '-' || character === '+') return 62;
  if (character === '_' || character === '/') return 63;
  return undefined;
}

export function randomCharacter(alphabet: Alphabet, random: RandomSource): string {
  return pick(alphabet.characters, random);
}
