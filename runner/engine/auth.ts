/**
 * Request headers for the target: a bearer token, extra headers, or an OAuth2 client-credentials
 * grant. Every credential is returned as a secret too, so it is masked in all evidence.
 */
import { checkCredentials, checkCredentialValue } from '../config/check-credentials.js';
import type { RunConfig } from '../config/run-config.js';
import { harnessError } from '../errors.js';
import { splitCredential } from '../evidence/redact.js';
import { isCookieHeader, isCredentialHeader, withoutCredentials } from '../net/credential-headers.js';
import { displayOrigin } from '../net/origin-policy.js';

export interface ResolvedAuth {
  headers: Record<string, string>;
  secrets: string[];
}

/** A header value that is not a credential is still masked when it is long enough to be one. */
const SECRET_LOOKING_LENGTH = 8;

export async function resolveAuth(config: RunConfig): Promise<ResolvedAuth> {
  checkCredentials(config);
  const headers: Record<string, string> = { ...config.auth.headers };
  const secrets = headerSecrets(config.auth.headers);
  let bearer = config.auth.bearerToken;
  if (!bearer && config.auth.oauth2) {
    secrets.push(config.auth.oauth2.clientSecret);
    bearer = await clientCredentials(config.auth.oauth2, config.timeouts.httpMs);
  }
  if (bearer) {
    headers.authorization = `Bearer ${bearer}`;
    secrets.push(bearer);
  }
  return { headers, secrets };
}

/**
 * The secrets a set of headers holds: every credential header's value whatever its length (a
 * 7-character API key is as secret as a long one), its credential part ("Basic abc" → "abc"), each
 * cookie value; other values (a tenant) only when they are long enough to be a key.
 */
export function headerSecrets(headers: Record<string, string>): string[] {
  const secrets = Object.entries(headers).flatMap(([name, raw]) => {
    const value = String(raw); // a config file may give a number (X-Api-Key: 1234567)
    if (isCookieHeader(name)) return [value, ...cookieValues(value)];
    if (isCredentialHeader(name)) return [value, splitCredential(value).credential].filter((v) => v.length > 0);
    return value.length >= SECRET_LOOKING_LENGTH ? [value] : [];
  });
  return [...new Set(secrets)];
}

function cookieValues(cookie: string): string[] {
  return cookie
    .split(';')
    .map((pair) => pair.slice(pair.indexOf('=') + 1).trim())
    .filter((value) => value.length > 0);
}

/**
 * The second identity's headers (auth.otherIdentity): the run's shared headers (a tenant, say) minus
 * every credential (credential-headers.ts: Authorization, Cookie, X-Api-Key, …), its own headers over
 * them, and its bearer token — or undefined when none is configured. Inheriting any of the main
 * identity's credentials would make "another identity" the same one.
 */
export function resolveOtherIdentity(config: RunConfig): ResolvedAuth | undefined {
  const other = config.auth.otherIdentity;
  if (!other || (!other.bearerToken && Object.keys(other.headers ?? {}).length === 0)) return undefined;
  const headers: Record<string, string> = { ...withoutCredentials(config.auth.headers), ...(other.headers ?? {}) };
  const secrets = headerSecrets(other.headers ?? {});
  if (other.bearerToken) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    headers.authorization = `Bearer ${other.bearerToken}`;
    secrets.push(other.bearerToken);
  }
  return { headers, secrets };
}

/**
 * The client-credentials grant. The client secret goes to the token endpoint's origin and nowhere
 * else: a redirect is never followed (a 307 would re-POST the secret to wherever it points).
 */
async function clientCredentials(oauth2: NonNullable<RunConfig['auth']['oauth2']>, timeoutMs: number): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: oauth2.clientId, client_secret: oauth2.clientSecret });
  if (oauth2.scope) form.set('scope', oauth2.scope);
  const endpoint = displayOrigin(oauth2.tokenUrl);
  let response: Response;
  try {
    response = await fetch(oauth2.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw harnessError('FWC_ERR_CONFIG', `auth.oauth2: cannot reach the token endpoint at ${endpoint}: ${(error as Error).message}`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    const location = response.headers.get('location');
    const to = location ? displayOrigin(URL.parse(location, oauth2.tokenUrl)?.href ?? '') : 'nowhere (no Location header)';
    throw harnessError(
      'FWC_ERR_CONFIG',
      `auth.oauth2: the token endpoint at ${endpoint} answered ${response.status}, redirecting to ${to}: not followed (the client secret is sent only to the configured tokenUrl); set auth.oauth2.tokenUrl to the endpoint itself`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as { access_token?: unknown } | undefined;
  if (!response.ok || typeof body?.access_token !== 'string') {
    throw harnessError('FWC_ERR_CONFIG', `auth.oauth2: the token endpoint answered ${response.status} without an access_token`);
  }
  checkCredentialValue('the access_token from auth.oauth2.tokenUrl', body.access_token);
  return body.access_token;
}
