/**
 * Is anything listening at the target? Only network-level failures (refused, unknown host, TLS)
 * stop the run with exit 2 here; a server that answers badly — or hangs — is the suite's to judge.
 * Redirects are not left to fetch (which would carry custom credential headers such as X-Api-Key
 * to any origin): one within the origin of --server is followed and reported, one to another origin
 * stops the run (redirect-policy.ts).
 */
import { harnessError } from '../errors.js';
import { describeRedirect, isRedirectStatus, leavesOrigin, MAX_SAME_ORIGIN_REDIRECTS, redirectOf, redirectRefused, staysWithinOrigin, type Redirect } from '../net/redirect-policy.js';

const PREFLIGHT_TIMEOUT_MS = 4_000;

export async function checkReachable(server: string, headers: Record<string, string>, report: (line: string) => void = stderrLine): Promise<void> {
  const followed: Redirect[] = [];
  let url = `${server}/metadata`;
  for (let hop = 0; hop <= MAX_SAME_ORIGIN_REDIRECTS; hop++) {
    const response = await reach(server, url, headers);
    if (!response || !isRedirectStatus(response.status)) break;
    const redirect = redirectOf(response.status, response.headers.get('location'), url);
    if (leavesOrigin(redirect, server)) throw redirectRefused(server, redirect, 'GET /metadata');
    if (!staysWithinOrigin(redirect, server)) break; // no usable Location: discovery.metadata.available judges it
    followed.push(redirect);
    url = redirect.to;
  }
  if (followed.length > 0) report(`GET ${server}/metadata was redirected within the server's origin (${followed.map(describeRedirect).join(', ')}); the run still uses --server as given, and discovery.metadata.available judges the redirect`);
}

/** One request, redirects not followed; undefined when the server hangs (a finding, not a reason to stop). */
async function reach(server: string, url: string, headers: Record<string, string>): Promise<Response | undefined> {
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/fhir+json', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response;
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
    if (e.name === 'TimeoutError') return undefined;
    const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? 'network error';
    throw harnessError('FWC_ERR_SERVER_UNREACHABLE', `cannot reach ${server}: ${reason}${certificateHint(reason)}`);
  }
}

function stderrLine(line: string): void {
  process.stderr.write(`fhir-ws-conformance: note: ${line}\n`);
}

/** Node's certificate errors, by code: the fix is to trust the server's CA, not to turn checks off. */
const UNTRUSTED_CERTIFICATE = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_UNTRUSTED)$/;

function certificateHint(reason: string): string {
  return UNTRUSTED_CERTIFICATE.test(reason) ? ' (the server\'s certificate is not trusted here: give its CA with --ca-file <file.pem>)' : '';
}
