/**
 * The one list of credential-bearing request headers. Everything that decides what a credential is
 * asks here: who may receive it (origin-policy.ts), what the second identity must not inherit
 * (auth.ts, other-identity.ts), what the redactor masks whatever its length (redact.ts), what a
 * reproduction turns into a shell variable (reproduce.ts), and what the closing secret scan looks
 * for. A header is a credential when its name is one of the standard ones, or when it reads like one
 * (X-Api-Key, Api-Key,
 * Ocp-Apim-Subscription-Key, X-Auth-Token, X-Access-Token, X-Session-Id, X-Client-Secret, …); a bare "key"
 * is not enough (Sec-WebSocket-Key is no credential), nor is "authenticate" (WWW-Authenticate is a challenge).
 */

/** Always credentials, whatever the server or the configuration say. */
export const STANDARD_CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie'];

/** Custom names that carry who is calling: one of these words as a dash/underscore-separated part. */
const CREDENTIAL_NAME_PART = /(?:^|[-_])(?:(?:api|access|client|subscription|functions)[-_]?key|token|secret|password|passwd|auth|authorization|authn|authtoken|session|sessionid|credentials?|signature)(?:[-_]|$)/i;

export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return STANDARD_CREDENTIAL_HEADERS.includes(lower) || CREDENTIAL_NAME_PART.test(lower);
}

/** Cookie holds name=value pairs: only the values are secret (the redactor masks them one by one). */
export function isCookieHeader(name: string): boolean {
  return name.toLowerCase() === 'cookie';
}

/** The headers minus every credential (the shared part: a tenant, a content type). */
export function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isCredentialHeader(name)));
}

/** Only the credentials, names lower-cased (to compare two identities). */
export function credentialsOf(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => isCredentialHeader(name))
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
}
