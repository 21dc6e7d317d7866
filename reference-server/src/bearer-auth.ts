/**
 * Bearer authentication of REST requests (option bearerToken). Each configured token is one
 * identity. Without one of them in `Authorization: Bearer <token>` a request is answered 401 with an
 * OperationOutcome (code login) and a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3). The
 * websocket upgrade is not checked: there the binding token is the credential, and browsers cannot
 * set headers on a websocket.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { outcomeReply, type Reply } from './fhir-responses.js';
import type { IdentityName } from './ownership.js';

const REALM = 'Bearer realm="fhir-ws-reference-server"';

/** The label of the identity holding the token at `index` of the bearerToken list. */
export function identityName(index: number): IdentityName {
  return `identity-${index + 1}`;
}

/**
 * Who sent the request: `identity` (undefined when no tokens are configured, so anyone may pass),
 * or the 401 to send.
 */
export function authenticate(headers: IncomingHttpHeaders, tokens: readonly string[]): { identity: IdentityName | undefined } | { reply: Reply } {
  if (tokens.length === 0) return { identity: undefined };
  const presented = /^\s*Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (presented === undefined) {
    return { reply: outcomeReply(401, 'login', 'authentication required: send Authorization: Bearer <token>', { 'WWW-Authenticate': REALM }) };
  }
  const index = matchingIndex(presented, tokens);
  if (index === -1) {
    return { reply: outcomeReply(401, 'login', 'the bearer token is not valid', { 'WWW-Authenticate': `${REALM}, error="invalid_token"` }) };
  }
  return { identity: identityName(index) };
}

/**
 * Compared as SHA-256 digests, so neither the content nor the length leaks through timing; every
 * token is compared (no early exit), so neither does which identity matched. The tokens are
 * distinct (options.ts), so at most one matches.
 */
function matchingIndex(presented: string, tokens: readonly string[]): number {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  const presentedDigest = digest(presented);
  let found = -1;
  tokens.forEach((token, index) => {
    if (timingSafeEqual(presentedDigest, digest(token))) found = index;
  });
  return found;
}
