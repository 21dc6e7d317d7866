/**
 * The second identity (auth.otherIdentity) for scope.other-identity-refused (OP-18). Before a
 * scenario relies on it, discovery checks that the server accepts its credentials at all: a
 * mistyped token would otherwise be refused everywhere, and "no token for another identity's
 * Subscription" would pass for the wrong reason. Only 401 counts as not accepted — a 403 or an
 * empty search is exactly what a restricted identity may get.
 */
import type { RunConfig } from '../config/run-config.js';
import { credentialsOf } from '../net/credential-headers.js';
import { HttpClient } from '../net/http-client.js';
import { resolveOtherIdentity } from './auth.js';

export type OtherIdentity =
  | { available: true; headers: Record<string, string>; secrets: string[] }
  | { available: false; reason: string; secrets: string[] };

export const NO_OTHER_IDENTITY =
  'no second identity configured: set auth.otherIdentity in the config file to credentials that must not reach the Subscriptions the main identity creates';

export async function probeOtherIdentity(config: RunConfig & { server: string }, mainHeaders: Record<string, string>): Promise<OtherIdentity> {
  const other = resolveOtherIdentity(config);
  if (!other) return { available: false, reason: NO_OTHER_IDENTITY, secrets: [] };
  if (sameCredentials(other.headers, mainHeaders)) {
    return { available: false, reason: 'auth.otherIdentity sends the same credentials as the main identity: give it credentials of another identity', secrets: other.secrets };
  }
  const http = new HttpClient({ baseUrl: config.server, headers: other.headers, timeoutMs: config.timeouts.httpMs });
  const result = await http.request({ method: 'GET', path: 'Subscription', query: { _count: '1' } });
  if (!result.ok) return { available: false, reason: `the check of auth.otherIdentity (GET Subscription?_count=1) got no answer: ${result.error ?? 'no response'}`, secrets: other.secrets };
  if (result.status === 401) {
    return { available: false, reason: 'the server does not accept auth.otherIdentity: GET Subscription?_count=1 with its credentials answered 401', secrets: other.secrets };
  }
  return { available: true, headers: other.headers, secrets: other.secrets };
}

/** Both send the same credentials (credential-headers.ts: Authorization, cookies, API keys, …). */
function sameCredentials(a: Record<string, string>, b: Record<string, string>): boolean {
  const credentials = (headers: Record<string, string>) => JSON.stringify(Object.entries(credentialsOf(headers)).sort());
  return credentials(a) === credentials(b) && credentials(a) !== '[]';
}
