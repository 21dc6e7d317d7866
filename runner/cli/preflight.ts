/**
 * Before any scenario: is anything listening at the target, and is it the FHIR server the
 * configuration describes? Network failures (refused, unknown host, untrusted certificate) are
 * FWC_ERR_SERVER_UNREACHABLE; setup mistakes the answer to GET metadata reveals (credentials, base
 * URL, FHIR version, scheme) are FWC_ERR_TARGET (diagnose-target.ts). Both exit 2 with one line and a
 * hint. A server that answers badly — or hangs — is the suite's to judge.
 */
import type { RunConfig } from '../config/run-config.js';
import { resolveAuth } from '../engine/auth.js';
import { harnessError } from '../errors.js';
import { diagnoseMetadataAnswer, diagnoseNetworkFailure, fetchMetadata } from './diagnose-target.js';

const PREFLIGHT_TIMEOUT_MS = 4_000;

export async function checkTarget(config: RunConfig & { server: string }): Promise<void> {
  const { headers } = await resolveAuth(config);
  await checkReachable(config.server, headers, config);
}

export async function checkReachable(
  server: string,
  headers: Record<string, string>,
  config: Pick<RunConfig, 'fhirVersion' | 'auth'> = { fhirVersion: 'auto', auth: { headers: {} } },
): Promise<void> {
  const answer = await fetchMetadata(server, headers, PREFLIGHT_TIMEOUT_MS);
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

/** Node's certificate errors, by code: the fix is to trust the server's CA, not to turn checks off. */
const UNTRUSTED_CERTIFICATE = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_UNTRUSTED)$/;

function certificateHint(reason: string): string {
  return UNTRUSTED_CERTIFICATE.test(reason) ? ' (the server\'s certificate is not trusted here: give its CA with --ca-file <file.pem>)' : '';
}
