/**
 * How server-profile facts read, in index.html and matrix.html alike: one label per fact and one
 * way to print a value. The facts split into the server's choices where the spec leaves one
 * (the "Server profile") and what a binding token grants ("Security observations"); the token's
 * lifetime and reuse are both, so both sections show them, under the same label.
 */
import type { ServerProfile } from './results-types.js';

type Field = [keyof ServerProfile & string, string];

const LIFETIME: Field = ['tokenLifetimeSeconds', 'Token lifetime'];
const REUSE: Field = ['tokenReuse', 'Token reuse'];

export const PROFILE_FIELDS: Field[] = [
  ['bindForms', 'Bind message forms accepted'],
  ['tokenKind', 'Token kind'],
  LIFETIME,
  REUSE,
  ['getSupported', 'GET invocation supported'],
  ['noIdsBehaviour', 'Type-level call without ids'],
  ['invocation', 'Invocation used for tokens'],
  ['badTokenReaction', 'Reaction to a refused token'],
  ['legacyProtocol', 'Pre-R5 websocket protocol'],
];

/** The facts of the "Security observations" sections, in their order (security-observations.ts records most). */
export const SECURITY_FIELDS: Field[] = [
  ['bindingTokenRestBearer', 'Binding token accepted as a REST bearer'],
  ['bindingTokenSelfRenewal', 'Binding token obtains a new binding token'],
  ['tokenInUrl', 'Token in a URL (query string of websocket-url)'],
  LIFETIME,
  ['tokenEntropy', 'Randomness of opaque tokens (estimate)'],
  REUSE,
];

/** Every fact with a label; any other key is printed in words (inWords). */
export const LABELLED_KEYS: ReadonlySet<string> = new Set([...PROFILE_FIELDS, ...SECURITY_FIELDS].map(([key]) => key));

export function profileValue(key: string, value: unknown): string {
  if (value === undefined || value === null) return 'not observed';
  if (key === 'tokenLifetimeSeconds' && typeof value === 'number') return `${value} s`;
  if (key === 'getSupported' && typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length > 0 ? value.map(String).join(', ') : 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
