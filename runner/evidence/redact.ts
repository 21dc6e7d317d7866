/**
 * Secrets (bearer tokens, binding tokens and their forged variants) are replaced by a mask before
 * any text is stored: first 4 characters + "…" + first 8 hex digits of the secret's SHA-256
 * ("eyJh…1a2b3c4d"); a secret shorter than 16 characters shows no prefix ("…1a2b3c4d"). The prefix lets a reader tell tokens apart; the hash lets two masks be compared
 * without revealing the secret.
 */
import { createHash } from 'node:crypto';
import { isCredentialHeader } from '../net/credential-headers.js';
import { replaceCutSecrets, replaceSecrets, SHORT_SECRET_LENGTH } from './find-secrets.js';

/** Below this length a secret is matched only as a whole word (find-secrets.ts). */
export { SHORT_SECRET_LENGTH };

/**
 * Below this length a mask shows no prefix: 4 known characters of a 7-character API key leave 3 to
 * guess, and the 8 hex digits of the hash then confirm the guess at once. From 16 characters on,
 * 12 or more stay hidden.
 */
export const MASK_PREFIX_MIN_LENGTH = 16;

export interface RedactorOptions {
  /** false only for local debugging (`--no-redact`): every method then returns its input unchanged. */
  enabled?: boolean;
}

export function mask(secret: string): string {
  const hash = createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8);
  const characters = Array.from(secret);
  if (characters.length < MASK_PREFIX_MIN_LENGTH) return `…${hash}`;
  return `${characters.slice(0, 4).join('')}…${hash}`;
}

/**
 * An Authorization-style value as scheme and credential ("Bearer abc" → "Bearer ", "abc"); a value
 * without a scheme is all credential. The one reading of it: the redactor masks the credential, and
 * whoever names a credential by its mask (reproductions, credential-names.ts) must split it alike.
 */
export function splitCredential(value: string): { scheme: string; credential: string } {
  const match = /^(\s*[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+)(\S[\s\S]*)$/.exec(value);
  return match ? { scheme: match[1]!, credential: match[2]!.trim() } : { scheme: '', credential: value.trim() };
}

export class Redactor {
  readonly enabled: boolean;
  /** Every text form a secret can take in a transcript → the mask that replaces it. */
  private readonly replacements = new Map<string, string>();

  constructor(options: RedactorOptions = {}) {
    this.enabled = options.enabled ?? true;
  }

  /** Register a secret. Empty strings are ignored (there is nothing to hide). */
  add(secret: string): void {
    if (typeof secret !== 'string' || secret.length === 0) return;
    const masked = mask(secret);
    for (const form of encodedForms(secret)) this.register(form, masked);
    for (const part of jwtSecretParts(secret)) this.register(part, mask(part));
  }

  /** The masks this redactor produces, so reproductions can turn them into placeholders. */
  masks(): string[] {
    return [...new Set(this.replacements.values())];
  }

  redactText(text: string): string {
    if (!this.enabled || typeof text !== 'string' || this.replacements.size === 0) return text;
    const replace = (found: string): string => this.replacements.get(found) ?? mask(found);
    return replaceCutSecrets(replaceSecrets(text, this.replacements.keys(), replace), this.replacements.keys(), replace);
  }

  /**
   * Credential headers (credential-headers.ts: Authorization, X-Api-Key, …) are masked even when the
   * secret was never registered and whatever its length, keeping a scheme visible ("Bearer
   * eyJh…1a2b3c4d"); the credential is then registered so it is caught wherever else it appears.
   * Cookie values are masked, names kept.
   */
  redactHeaders(headers: Record<string, string>): Record<string, string> {
    if (!this.enabled) return { ...headers };
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (lower === 'cookie') result[name] = this.maskCookies(String(value), false);
      else if (isCredentialHeader(lower)) result[name] = this.maskCredential(String(value));
      else if (lower === 'set-cookie') result[name] = this.maskSetCookies(String(value));
      else result[name] = this.redactText(String(value));
    }
    return result;
  }

  private maskCredential(value: string): string {
    const { scheme, credential } = splitCredential(value);
    if (credential.length === 0) return value;
    this.add(credential);
    return `${scheme}${mask(credential)}`;
  }

  /** Cookie: every pair is a cookie. Set-Cookie: only the first pair is; the rest are attributes. */
  private maskCookies(value: string, onlyFirstPair: boolean): string {
    return value
      .split(';')
      .map((pair, position) => {
        const equals = pair.indexOf('=');
        if (equals < 0 || (onlyFirstPair && position > 0)) return pair;
        const cookieValue = pair.slice(equals + 1).trim();
        if (cookieValue.length === 0) return pair;
        this.add(cookieValue);
        return `${pair.slice(0, equals + 1)}${mask(cookieValue)}`;
      })
      .join(';');
  }

  /** Several Set-Cookie headers are kept one per line (commas cannot separate them: Expires has one). */
  private maskSetCookies(value: string): string {
    return value
      .split('\n')
      .map((line) => this.maskCookies(line, true))
      .join('\n');
  }

  private register(form: string, masked: string): void {
    if (form.length === 0 || this.replacements.has(form)) return;
    this.replacements.set(form, masked);
  }
}

/** The ways a secret is written inside JSON strings and URL query strings. */
function encodedForms(secret: string): string[] {
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  const percentEncoded = encodeURIComponent(secret);
  return [
    secret,
    jsonEscaped,
    jsonEscaped.replace(/\//g, '\\/'), // some serializers escape "/" (common in base64 tokens)
    percentEncoded,
    percentEncoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    new URLSearchParams({ t: secret }).toString().slice(2), // form encoding: space as "+"
  ];
}

/**
 * A JWT's payload and signature are secret on their own: a forged variant (alg none, changed
 * claims) re-uses them next to a different header. The header is shared by many tokens and reveals
 * nothing, so it stays readable.
 */
function jwtSecretParts(secret: string): string[] {
  const parts = secret.split('.');
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]*$/.test(part))) return [];
  return parts.slice(1).filter((part) => part.length >= SHORT_SECRET_LENGTH);
}
