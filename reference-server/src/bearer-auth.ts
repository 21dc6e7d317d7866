/**
 * Bearer authentication of REST requests (option bearerToken). Without the right
 * `Authorization: Bearer <token>` a request is answered 401 with an OperationOutcome (code login)
 * and a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3). The websocket upgrade is not checked:
 * there the binding token is the credential, and browsers cannot set headers on a websocket.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { outcomeReply, type Reply } from './fhir-responses.js';

const REALM = 'Bearer realm="fhir-ws-reference-server"';

/** undefined when the request may pass; otherwise the 401 to send. */
export function bearerChallenge(headers: IncomingHttpHeaders, expected: string | undefined): Reply | undefined {
  if (expected === undefined) return undefined;
  const presented = /^\s*Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (presented === undefined) {
    return outcomeReply(401, 'login', 'authentication required: send Authorization: Bearer <token>', { 'WWW-Authenticate': REALM });
  }
  if (!sameSecret(presented, expected)) {
    return outcomeReply(401, 'login', 'the bearer token is not valid', { 'WWW-Authenticate': `${REALM}, error="invalid_token"` });
  }
  return undefined;
}

/** Compared as SHA-256 digests, so neither the content nor the length leaks through timing. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
