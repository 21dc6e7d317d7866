/**
 * Before any scenario: is anything listening at the target, and is it the FHIR server the
 * configuration describes? Network failures (refused, unknown host, untrusted certificate) are
 * FWC_ERR_SERVER_UNREACHABLE; setup mistakes the answer to GET metadata reveals (credentials, base
 * URL, FHIR version, scheme) are FWC_ERR_TARGET (diagnose-target.ts). Both exit 2 with one line and a
 * hint. A server that answers badly — or hangs — is the suite's to judge.
 * Redirects are not left to fetch (which would carry custom credential headers such as X-Api-Key to
 * any origin): one within the origin of --server is followed and reported, one to another origin stops
 * the run naming both origins (redirect-policy.ts).
 */
import type { RunConfig } from '../config/run-config.js';
import { resolveAuth } from '../engine/auth.js';
import { harnessError } from '../errors.js';
import { describeRedirect, isRedirectStatus, leavesOrigin, MAX_SAME_ORIGIN_REDIRECTS, redirectOf, redirectRefused, staysWithinOrigin, type Redirect } from '../net/redirect-policy.js';
import { diagnoseMetadataAnswer, diagnoseNetworkFailure, fetchMetadata, type MetadataAnswer } from './diagnose-target.js';

const PREFLIGHT_TIMEOUT_MS = 4_000;
const NO_CONFIG: Pick<RunConfig, 'fhirVersion' | 'auth'> = { fhirVersion: 'auto', auth: { headers: {} } };

export async function checkTarget(config: RunConfig & { server: string }): Promise<void> {
  const { headers } = await resolveAuth(config);
  await checkReachable(config.server, headers, config);
}

export async function checkReachable(
  server: string,
  headers: Record<string, string>,
  config: Pick<RunConfig, 'fhirVersion' | 'auth'> = NO_CONFIG,
  report: (line: string) => void = stderrLine,
): Promise<void> {
  const answer = await followWithinOrigin(server, headers, report);
  if (answer.kind === 'response') {
    const diagnosis = await diagnoseMetadataAnswer(server, answer, config, headers);
    if (diagnosis) throw diagnosis;
    return;
  }
  if (answer.code === 'TimeoutError') return; // a hanging server is a finding, not a reason to stop
  const mismatch = await diagnoseNetworkFailure(server, answer.code);
  if (mismatch) throw mismatch;
  throw harnessError('FWC_ERR_SERVER_UNREACHABLE', `cannot reach ${server}: ${answer.code}${certificateHint(answer.code)}`);
}

/** GET metadata; a redirect within the origin is followed (and reported), one to another origin stops the run. */
async function followWithinOrigin(server: string, headers: Record<string, string>, report: (line: string) => void): Promise<MetadataAnswer> {
  const followed: Redirect[] = [];
  let url = `${server}/metadata`;
  let answer = await fetchMetadata(server, headers, PREFLIGHT_TIMEOUT_MS);
  while (answer.kind === 'response' && isRedirectStatus(answer.status) && followed.length < MAX_SAME_ORIGIN_REDIRECTS) {
    const redirect = redirectOf(answer.status, answer.location, url);
    if (leavesOrigin(redirect, server)) throw redirectRefused(server, redirect, 'GET /metadata');
    if (!staysWithinOrigin(redirect, server)) break; // no usable Location: the diagnosis names it
    followed.push(redirect);
    url = redirect.to;
    answer = await fetchMetadata(server, headers, PREFLIGHT_TIMEOUT_MS, url);
  }
  if (followed.length > 0) {
    report(`GET ${server}/metadata was redirected within the server's origin (${followed.map(describeRedirect).join(', ')}); the run still uses --server as given, and discovery.metadata.available judges the redirect`);
  }
  return answer;
}

function stderrLine(line: string): void {
  process.stderr.write(`fhir-ws-conformance: note: ${line}\n`);
}

/** Node's certificate errors, by code: the fix is to trust the server's CA, not to turn checks off. */
const UNTRUSTED_CERTIFICATE = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_UNTRUSTED)$/;

function certificateHint(reason: string): string {
  return UNTRUSTED_CERTIFICATE.test(reason) ? ' (the server\'s certificate is not trusted here: give its CA with --ca-file <file.pem>)' : '';
}
