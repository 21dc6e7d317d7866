/**
 * Credentials go only to the origin they were configured for: the FHIR server's (--server), or the
 * OAuth token endpoint's own. Never on a request or redirect to another origin, never on a websocket
 * upgrade to another origin. ws:// and wss:// URLs count as the origin of http:// and https:// on the
 * same host and port (the upgrade is an HTTP request to that origin).
 */
import { withoutCredentials } from './credential-headers.js';

const SCHEME_OF_UPGRADE: Record<string, string> = { 'ws:': 'http:', 'wss:': 'https:' };
const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** scheme://host:port with ws → http, wss → https and the default port written out; undefined when not a URL. */
export function originOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const scheme = SCHEME_OF_UPGRADE[parsed.protocol] ?? parsed.protocol;
  return `${scheme}//${parsed.hostname.toLowerCase()}:${parsed.port || DEFAULT_PORT[scheme] || ''}`;
}

export function sameOrigin(a: string, b: string): boolean {
  const origin = originOf(a);
  return origin !== undefined && origin === originOf(b);
}

/** The headers to send to `url`: all of them within the credentials' origin, none of the credentials elsewhere. */
export function headersForOrigin(url: string, credentialOrigin: string, headers: Record<string, string>): Record<string, string> {
  return sameOrigin(url, credentialOrigin) ? headers : withoutCredentials(headers);
}

/** For messages: the origin as a person writes it (http://example.org, http://127.0.0.1:8080). */
export function displayOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}
