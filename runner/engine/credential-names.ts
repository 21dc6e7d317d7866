/**
 * Names for the run's own credentials in reproduction commands: a replayed request must carry the
 * credential of the identity that sent it, so the second identity's token is $OTHER_IDENTITY_TOKEN,
 * never the same $TOKEN as the main one (replaying it with the main token would "reproduce" a 200).
 */
import { mask, splitCredential } from '../evidence/redact.js';
import type { NamedSecret } from '../evidence/reproduce.js';
import type { Target } from './target.js';

export function namedCredentials(target: Target): Map<string, NamedSecret> {
  const named = new Map<string, NamedSecret>();
  const add = (headers: Record<string, string> | undefined, secret: NamedSecret) => {
    const credential = credentialOf(headers);
    if (credential) named.set(mask(credential), secret);
  };
  add(target.authHeaders, { variable: 'FHIR_TOKEN', description: "the run's credential (auth)" });
  add(target.otherAuthHeaders, { variable: 'OTHER_IDENTITY_TOKEN', description: "the second identity's credential (auth.otherIdentity)" });
  return named;
}

/** The Authorization value after its scheme ("Bearer abc" → "abc"), split as the redactor splits it. */
function credentialOf(headers: Record<string, string> | undefined): string | undefined {
  const value = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  return value ? splitCredential(value).credential || undefined : undefined;
}
