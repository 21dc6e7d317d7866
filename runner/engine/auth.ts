/**
 * Request headers for the target: a bearer token, extra headers, or an OAuth2 client-credentials
 * grant. Every credential is returned as a secret too, so it is masked in all evidence.
 */
import type { RunConfig } from '../config/run-config.js';
import { harnessError } from '../errors.js';

export interface ResolvedAuth {
  headers: Record<string, string>;
  secrets: string[];
}

export async function resolveAuth(config: RunConfig): Promise<ResolvedAuth> {
  const headers: Record<string, string> = { ...config.auth.headers };
  const secrets = Object.values(config.auth.headers).filter((v) => v.length >= 8);
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

/** Headers that carry an identity: the second identity never inherits these from auth.headers. */
export const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * The second identity's headers (auth.otherIdentity): the run's shared headers (a tenant, say) minus
 * its credentials, its own headers over them, and its bearer token — or undefined when none is
 * configured. Inheriting the main identity's Authorization would make "another identity" the same one.
 */
export function resolveOtherIdentity(config: RunConfig): ResolvedAuth | undefined {
  const other = config.auth.otherIdentity;
  if (!other || (!other.bearerToken && Object.keys(other.headers ?? {}).length === 0)) return undefined;
  const shared = Object.entries(config.auth.headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase()));
  const headers: Record<string, string> = { ...Object.fromEntries(shared), ...(other.headers ?? {}) };
  const secrets = Object.values(other.headers ?? {}).filter((v) => v.length >= 8);
  if (other.bearerToken) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    headers.authorization = `Bearer ${other.bearerToken}`;
    secrets.push(other.bearerToken);
  }
  return { headers, secrets };
}

async function clientCredentials(oauth2: NonNullable<RunConfig['auth']['oauth2']>, timeoutMs: number): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: oauth2.clientId, client_secret: oauth2.clientSecret });
  if (oauth2.scope) form.set('scope', oauth2.scope);
  let response: Response;
  try {
    response = await fetch(oauth2.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw harnessError('FWC_ERR_CONFIG', `auth.oauth2: cannot reach ${oauth2.tokenUrl}: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => undefined)) as { access_token?: unknown } | undefined;
  if (!response.ok || typeof body?.access_token !== 'string') {
    throw harnessError('FWC_ERR_CONFIG', `auth.oauth2: the token endpoint answered ${response.status} without an access_token`);
  }
  return body.access_token;
}
