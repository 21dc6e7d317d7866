/**
 * Binding tokens: issue, resolve on bind, revoke.
 *
 * Default format: OPAQUE — 256 random bits (base64url), kept in a server-side map and found by exact
 * Map lookup. Why this and not a JWT:
 * - the token carries no information and cannot be forged or altered offline: there is no
 *   signature to get wrong, no algorithm to confuse (alg "none", HS/RS swaps), nothing to decode;
 * - revocation is immediate (delete the map entry) when a Subscription is deleted or set off,
 *   and the stated `expiration` is enforced exactly;
 * - the server already holds the Subscriptions in memory, so a stateless token buys nothing here.
 * JWT mode exists so the suite's JWT-tampering checks have a target: HS256 only (the algorithm is
 * pinned, never read from the token), a random per-process secret, signatures compared with
 * crypto.timingSafeEqual, claims { iss, jti, iat, exp, subscriptions } plus, for a token covering one
 * Subscription, Medplum's `subscription_id`. Revocation still goes
 * through the same registry (by jti), so both formats obey the same lifetime and scope rules.
 *
 * Lifetime: a token binds while now < expiration, never after. Tokens are reusable until then
 * (variant single-use-tokens makes the first successful bind consume them).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { randomTokenBytes } from './random-pool.js';
import type { ActiveFaults } from './faults.js';
import type { TokenFormat } from './options.js';

export interface IssuedToken {
  token: string;
  issuedAtMs: number;
  expiresAtMs: number;
}

interface Grant {
  key: string; // opaque: the token itself; jwt: the jti
  token: string;
  subscriptionIds: string[];
  issuedAtMs: number;
  expiresAtMs: number;
  used: boolean;
}

export type TokenResolution =
  | { ok: true; subscriptionIds: string[]; /** when the token stops binding (variant events-stop-at-expiry reads it) */ expiresAtMs?: number }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'used' | 'malformed'; message: string };

export interface TokenServiceOptions {
  format: TokenFormat;
  ttlSeconds: number;
  faults: ActiveFaults;
  /** Every websocket Subscription id (for the faults that bind everything). */
  allWebsocketSubscriptionIds: () => string[];
  now?: () => number;
}

/**
 * Grants are forgotten this long after they expire, so memory stays bounded. Until then a late bind
 * is refused as "expired" (code expired) rather than "unknown"; past it, as unknown.
 */
export const FORGET_AFTER_MS = 5 * 60 * 1000;
/** issuedTokens() keeps this many (the most recent), so a long-running server stays bounded. */
export const ISSUED_TOKEN_LOG_LIMIT = 10_000;
const ISSUER = 'fhir-ws-reference-server';

export class TokenService {
  /** key → grant, in issue order (so also in expiry order: one TTL for all). */
  private readonly grants = new Map<string, Grant>();
  /** Subscription id → keys of the grants covering it: revoking never scans every grant. */
  private readonly grantsBySubscription = new Map<string, Set<string>>();
  /** Fault token-case-insensitive only: lower-cased token → token. */
  private readonly lowerCased = new Map<string, string>();
  /** Every token issued, oldest first (bounded): tests check that none reaches a report. */
  private readonly issuedLog: string[] = [];
  private readonly secret = randomBytes(32);
  private readonly now: () => number;

  constructor(private readonly options: TokenServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  issue(subscriptionIds: string[]): IssuedToken {
    this.forgetOldGrants();
    const issuedAtMs = this.now();
    // Whole seconds, rounded up: the stated expiration is never earlier than the true end of life.
    const expiresAtMs = Math.ceil((issuedAtMs + this.options.ttlSeconds * 1000) / 1000) * 1000;
    const key = this.options.format === 'jwt' || this.options.faults.has('uuid-tokens') ? randomUUID() : randomTokenBytes(32).toString('base64url');
    const token = this.options.format === 'jwt' ? this.signJwt(key, subscriptionIds, issuedAtMs, expiresAtMs) : key;
    this.remember({ key, token, subscriptionIds: [...subscriptionIds], issuedAtMs, expiresAtMs, used: false });
    this.logIssued(token);
    return { token, issuedAtMs, expiresAtMs };
  }

  /** The tokens issued so far (the most recent ISSUED_TOKEN_LOG_LIMIT), whatever became of them. */
  issuedTokens(): string[] {
    return [...this.issuedLog];
  }

  /** Grants held (live, or expired less than FORGET_AFTER_MS ago): for tests and benchmarks. */
  get grantCount(): number {
    return this.grants.size;
  }

  /** O(1) in the number of grants: one Map lookup (the lenient comparison faults aside). */
  resolve(presented: string): TokenResolution {
    const { faults } = this.options;
    this.forgetOldGrants();
    const candidate = this.lenientMatch(presented) ?? presented;
    const resolution = this.options.format === 'jwt' ? this.resolveJwt(candidate) : this.resolveOpaque(candidate);
    if (!resolution.ok && faults.has('any-token-accepted')) return { ok: true, subscriptionIds: this.options.allWebsocketSubscriptionIds() };
    if (resolution.ok && faults.has('token-binds-all')) return { ok: true, subscriptionIds: this.options.allWebsocketSubscriptionIds() };
    return resolution;
  }

  /** Deleting a Subscription, or setting it off, revokes every token that covers it. */
  revokeSubscription(subscriptionId: string): void {
    if (this.options.faults.has('tokens-survive-delete')) return;
    for (const key of [...(this.grantsBySubscription.get(subscriptionId) ?? [])]) this.forget(key);
  }

  private remember(grant: Grant): void {
    this.grants.set(grant.key, grant);
    for (const id of new Set(grant.subscriptionIds)) {
      let keys = this.grantsBySubscription.get(id);
      if (!keys) this.grantsBySubscription.set(id, (keys = new Set()));
      keys.add(grant.key);
    }
    if (this.options.faults.has('token-case-insensitive')) this.lowerCased.set(grant.token.toLowerCase(), grant.token);
  }

  private forget(key: string): void {
    const grant = this.grants.get(key);
    if (!grant) return;
    this.grants.delete(key);
    for (const id of grant.subscriptionIds) {
      const keys = this.grantsBySubscription.get(id);
      keys?.delete(key);
      if (keys?.size === 0) this.grantsBySubscription.delete(id);
    }
    if (this.lowerCased.get(grant.token.toLowerCase()) === grant.token) this.lowerCased.delete(grant.token.toLowerCase());
  }

  private resolveOpaque(presented: string): TokenResolution {
    const grant = this.grants.get(presented);
    if (!grant) return refused('unknown', 'token unknown or revoked');
    return this.admit(grant, grant.subscriptionIds, grant.issuedAtMs, grant.expiresAtMs);
  }

  private resolveJwt(presented: string): TokenResolution {
    const verified = this.verifyJwt(presented);
    if (!verified.ok) return verified;
    const { claims } = verified;
    const grant = typeof claims.jti === 'string' ? this.grants.get(claims.jti) : undefined;
    if (!grant) return refused('revoked', 'token revoked or not issued by this server');
    const subscriptionIds = Array.isArray(claims.subscriptions) ? claims.subscriptions.map(String) : [];
    const issuedAtMs = typeof claims.iat === 'number' ? claims.iat * 1000 : grant.issuedAtMs;
    const expiresAtMs = this.options.faults.has('jwt-exp-ignored') ? Number.POSITIVE_INFINITY : Number(claims.exp) * 1000;
    return this.admit(grant, subscriptionIds, issuedAtMs, expiresAtMs);
  }

  /** Lifetime and single-use rules, shared by both formats. */
  private admit(grant: Grant, subscriptionIds: string[], issuedAtMs: number, expiresAtMs: number): TokenResolution {
    const { faults } = this.options;
    const now = this.now();
    const endMs = faults.has('tokens-expire-early') ? issuedAtMs + (expiresAtMs - issuedAtMs) / 2 : expiresAtMs;
    if (!(now < endMs) && !faults.has('expired-tokens-accepted')) return refused('expired', 'token expired');
    if (grant.used) return refused('used', 'token already used (tokens are single-use)');
    if (faults.has('single-use-tokens')) grant.used = true;
    return { ok: true, subscriptionIds, expiresAtMs: endMs };
  }

  /**
   * The comparison faults: find an issued token that "matches" more loosely than exactly. Without
   * them (and for an exact match) the presented token is looked up as is; only the prefix fault
   * scans the grants, which is the defect it imitates.
   */
  private lenientMatch(presented: string): string | undefined {
    const { faults } = this.options;
    if (faults.has('token-case-insensitive')) {
      const match = this.lowerCased.get(presented.toLowerCase());
      if (match) return match;
    }
    if (faults.has('token-prefix-match') && presented !== '') {
      for (const { token } of this.grants.values()) {
        if (token === presented) return presented;
      }
      for (const { token } of this.grants.values()) {
        if (token.startsWith(presented) || presented.startsWith(token)) return token;
      }
    }
    return undefined;
  }

  private logIssued(token: string): void {
    this.issuedLog.push(token);
    if (this.issuedLog.length > ISSUED_TOKEN_LOG_LIMIT) this.issuedLog.shift();
  }

  private signJwt(jti: string, subscriptionIds: string[], issuedAtMs: number, expiresAtMs: number): string {
    const header = base64urlJson({ alg: 'HS256', typ: 'JWT' });
    const claims = base64urlJson({
      iss: ISSUER,
      jti,
      iat: Math.floor(issuedAtMs / 1000),
      // variant jwt-exp-before-expiration, as Medplum: exp counts from the issuing second (floored),
      // the stated expiration from the issuing instant, so exp is up to 1 s before it
      exp: this.options.faults.has('jwt-exp-before-expiration') ? Math.floor(issuedAtMs / 1000) + this.options.ttlSeconds : expiresAtMs / 1000,
      subscriptions: subscriptionIds,
      // Medplum's name for the one Subscription its tokens cover; clients written for it read this claim.
      ...(subscriptionIds.length === 1 ? { subscription_id: subscriptionIds[0] } : {}),
    });
    return `${header}.${claims}.${this.hmac(`${header}.${claims}`).toString('base64url')}`;
  }

  private verifyJwt(presented: string): { ok: true; claims: Record<string, unknown> } | Extract<TokenResolution, { ok: false }> {
    const { faults } = this.options;
    const parts = presented.split('.');
    if (parts.length !== 3 || !parts.slice(0, 2).every((part) => /^[A-Za-z0-9_-]+$/.test(part))) {
      return refused('malformed', 'token is not a JWT issued by this server');
    }
    const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
    const header = decodeJsonPart(headerPart);
    const claims = decodeJsonPart(claimsPart);
    if (!header || !claims) return refused('malformed', 'token is not a JWT issued by this server');
    if (!faults.has('jwt-signature-ignored')) {
      const unsignedAllowed = faults.has('jwt-alg-none-accepted') && header.alg === 'none' && signaturePart === '';
      if (!unsignedAllowed && !this.signatureMatches(header, `${headerPart}.${claimsPart}`, signaturePart)) {
        return refused('unknown', 'token signature invalid');
      }
    }
    return { ok: true, claims };
  }

  /** The algorithm is pinned to HS256: whatever the header claims, only that signature is accepted. */
  private signatureMatches(header: Record<string, unknown>, signingInput: string, signaturePart: string): boolean {
    if (header.alg !== 'HS256' || !/^[A-Za-z0-9_-]*$/.test(signaturePart)) return false;
    const expected = this.hmac(signingInput);
    const given = Buffer.from(signaturePart, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private hmac(input: string): Buffer {
    return createHmac('sha256', this.secret).update(input).digest();
  }

  /**
   * Grants are kept in issue order and share one TTL, so they expire in that order too: stop at
   * the first one still young (amortised O(1): each grant is forgotten once). (Scanning every grant on every issue made issuing O(tokens ever
   * issued) — half the server's CPU under load, see BENCHMARKS.md.)
   */
  private forgetOldGrants(): void {
    const cutoff = this.now() - FORGET_AFTER_MS;
    for (const [key, grant] of this.grants) {
      if (grant.expiresAtMs >= cutoff) break;
      this.forget(key);
    }
  }
}

function refused(reason: Extract<TokenResolution, { ok: false }>['reason'], message: string): Extract<TokenResolution, { ok: false }> {
  return { ok: false, reason, message };
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
