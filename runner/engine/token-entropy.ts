/**
 * An estimate of a binding token's randomness from the tokens a run saw: alphabet × length, minus
 * the characters every sample shares at the start (a repeated prefix is not random). It is an upper
 * bound — a weak generator behind a wide alphabet looks strong here — and it says so. JWTs are not
 * estimated: their strength is the signing key, not the characters.
 */
const ALPHABETS: Array<{ name: string; size: number; pattern: RegExp }> = [
  { name: 'decimal digits', size: 10, pattern: /^[0-9]+$/ },
  { name: 'hexadecimal', size: 16, pattern: /^[0-9a-f]+$|^[0-9A-F]+$/ },
  { name: 'letters and digits', size: 62, pattern: /^[A-Za-z0-9]+$/ },
  { name: 'base64url', size: 64, pattern: /^[A-Za-z0-9_-]+$/ },
  { name: 'base64', size: 64, pattern: /^[A-Za-z0-9+/]+=*$/ },
  { name: 'printable ASCII', size: 95, pattern: /^[\x20-\x7e]+$/ },
];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export interface EntropyEstimate {
  /** Upper bound in bits; undefined when not estimated (JWT, or unknown characters). */
  bits?: number;
  /** One sentence: how the number was reached, or why there is none. */
  description: string;
}

export function estimateTokenEntropy(tokens: readonly string[]): EntropyEstimate {
  const seen = `${tokens.length} token${tokens.length === 1 ? '' : 's'} seen`;
  if (tokens.length === 0) return { description: 'not estimated: no token was obtained' };
  if (tokens.every(isJwt)) return { description: `not estimated: a signed JWT (its strength is the signing key, not its characters); ${seen}` };
  if (tokens.every((t) => UUID_V4.test(t))) return { bits: 122, description: `≈ 122 bits: UUID v4 (32 hexadecimal digits, 6 of them fixed); ${seen}` };
  const alphabet = ALPHABETS.find((a) => tokens.every((t) => a.pattern.test(t)));
  if (!alphabet) return { description: `not estimated: characters outside printable ASCII; ${seen}` };
  const length = Math.min(...tokens.map((t) => t.length));
  const prefix = tokens.length > 1 ? commonPrefixLength(tokens) : 0;
  const bits = Math.floor(Math.max(0, length - prefix) * Math.log2(alphabet.size));
  const repeated = prefix > 0 ? `, of which the first ${prefix} are the same in every token seen` : '';
  return { bits, description: `≈ ${bits} bits at most: ${alphabet.size} symbols (${alphabet.name}) × ${length} characters${repeated}; ${seen}` };
}

function isJwt(token: string): boolean {
  const [header, claims, signature, ...more] = token.split('.');
  if (more.length > 0 || signature === undefined || !header || !claims) return false;
  try {
    const decoded = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof decoded?.alg === 'string';
  } catch {
    return false;
  }
}

function commonPrefixLength(tokens: readonly string[]): number {
  const [first, ...rest] = tokens as [string, ...string[]];
  let length = 0;
  while (length < first.length && rest.every((t) => t[length] === first[length])) length++;
  return length;
}
