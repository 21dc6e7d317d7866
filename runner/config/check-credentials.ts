/**
 * Load-time checks of the run's credentials, before any request: a broken credential is the
 * configuration's problem (FWC_ERR_CONFIG, exit 2), never a finding against the server. Messages
 * name which credential is wrong, never its value.
 */
import { harnessError } from '../errors.js';
import type { RunConfig } from './run-config.js';

/** C0 controls and DEL: an HTTP header value cannot carry them (a newline would end the header). */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const CONTROL_NAMES: Record<string, string> = { '\n': 'a newline', '\r': 'a carriage return', '\t': 'a tab', '\u0000': 'a NUL' };

export function checkCredentials(config: RunConfig): void {
  for (const [where, value] of credentialsOf(config)) checkCredentialValue(where, value);
  if (config.auth.oauth2) checkTokenUrl(config.auth.oauth2.tokenUrl);
}

/** Throws FWC_ERR_CONFIG when a credential (named by `where`) holds a control character. */
export function checkCredentialValue(where: string, value: string): void {
  const found = CONTROL_CHARACTER.exec(value);
  if (!found) return;
  const what = CONTROL_NAMES[found[0]] ?? `the control character U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  throw harnessError(
    'FWC_ERR_CONFIG',
    `${where} contains ${what} at position ${found.index + 1}: credentials are sent as HTTP header values, which cannot hold control characters (a trailing newline from a file or an environment variable is the usual cause)`,
  );
}

/** Every configured credential with the config path that names it. */
function credentialsOf(config: RunConfig): Array<[string, string]> {
  const { auth } = config;
  const found: Array<[string, string | undefined]> = [
    ['auth.bearerToken', auth.bearerToken],
    ...Object.entries(auth.headers).map(([name, value]): [string, string] => [`auth.headers.${name}`, String(value)]),
    ['auth.oauth2.clientId', auth.oauth2?.clientId],
    ['auth.oauth2.clientSecret', auth.oauth2?.clientSecret],
    ['auth.oauth2.scope', auth.oauth2?.scope],
    ['auth.otherIdentity.bearerToken', auth.otherIdentity?.bearerToken],
    ...Object.entries(auth.otherIdentity?.headers ?? {}).map(([name, value]): [string, string] => [`auth.otherIdentity.headers.${name}`, String(value)]),
  ];
  return found.filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

/**
 * The client secret is POSTed to tokenUrl: only over https, or plain http to this machine (a local
 * test identity provider). Anything else would send it readable to every hop on the way.
 */
export function checkTokenUrl(tokenUrl: string): void {
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    throw harnessError('FWC_ERR_CONFIG', 'auth.oauth2.tokenUrl is not an absolute URL');
  }
  if (url.username || url.password) throw harnessError('FWC_ERR_CONFIG', 'auth.oauth2.tokenUrl must not carry a user name or password: give clientId and clientSecret');
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return;
  if (url.protocol === 'http:') {
    throw harnessError('FWC_ERR_CONFIG', `auth.oauth2.tokenUrl ${url.origin} is plain http:// to a host that is not this machine: the client secret would travel unencrypted; use https://`);
  }
  throw harnessError('FWC_ERR_CONFIG', `auth.oauth2.tokenUrl must be https:// (or http:// to a loopback address), not ${url.protocol}`);
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * A user name and password in the FHIR base URL would be echoed in messages, the reports and the
 * recorded invocation, and fetch refuses such URLs anyway: refuse them with the password hidden.
 */
export function checkServerUrl(server: string | undefined, where: string): void {
  if (server === undefined) return;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return; // not a URL: reported where the URL is used, with its own message
  }
  if (!url.username && !url.password) return;
  throw harnessError(
    'FWC_ERR_CONFIG',
    `${where} ${withoutPassword(server)} carries a user name and password: they would be echoed in logs and reports; give them as a header instead (auth.headers: { Authorization: "Basic …" } in the config file)`,
  );
}

/** The URL with its password (and user name) replaced by "***", for messages. */
export function withoutPassword(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]*@/gi, '$1***@');
}
