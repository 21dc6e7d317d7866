/**
 * Names for the run's own credentials in reproduction commands: a replayed request must carry the
 * credential of the identity that sent it, so the second identity's token is $OTHER_IDENTITY_TOKEN,
 * never the same $TOKEN as the main one (replaying it with the main token would "reproduce" a 200).
 * Every credential header (credential-headers.ts) gets its own name: X-Api-Key → $FHIR_X_API_KEY.
 */
import { mask, splitCredential } from '../evidence/redact.js';
import type { NamedSecret } from '../evidence/reproduce.js';
import { isCookieHeader, isCredentialHeader } from '../net/credential-headers.js';
import type { Target } from './target.js';

export function namedCredentials(target: Target): Map<string, NamedSecret> {
  const named = new Map<string, NamedSecret>();
  nameAll(named, target.authHeaders, { prefix: 'FHIR', whose: "the run's", where: 'auth' });
  nameAll(named, target.otherAuthHeaders, { prefix: 'OTHER_IDENTITY', whose: "the second identity's", where: 'auth.otherIdentity' });
  return named;
}

interface Identity { prefix: string; whose: string; where: string }

function nameAll(named: Map<string, NamedSecret>, headers: Record<string, string> | undefined, identity: Identity): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!isCredentialHeader(name) || isCookieHeader(name)) continue; // a cookie's values are masked one by one
    const credential = splitCredential(value).credential;
    if (credential) named.set(mask(credential), nameFor(name, identity));
  }
}

/** Authorization keeps the historic names ($FHIR_TOKEN, $OTHER_IDENTITY_TOKEN); others are named after the header. */
function nameFor(header: string, { prefix, whose, where }: Identity): NamedSecret {
  if (header.toLowerCase() === 'authorization') return { variable: prefix === 'FHIR' ? 'FHIR_TOKEN' : `${prefix}_TOKEN`, description: `${whose} credential (${where})` };
  return { variable: `${prefix}_${header.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`, description: `${whose} ${header} header (${where})` };
}
