/**
 * Is anything listening at the target? Only network-level failures (refused, unknown host, TLS)
 * stop the run with exit 2 here; a server that answers badly — or hangs — is the suite's to judge.
 */
import { harnessError } from '../errors.js';

const PREFLIGHT_TIMEOUT_MS = 4_000;

export async function checkReachable(server: string, headers: Record<string, string>): Promise<void> {
  try {
    const response = await fetch(`${server}/metadata`, {
      headers: { accept: 'application/fhir+json', ...headers },
      signal: AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS),
    });
    await response.body?.cancel();
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
    if (e.name === 'TimeoutError') return; // a hanging server is a finding, not a reason to stop
    const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? 'network error';
    throw harnessError('FWC_ERR_SERVER_UNREACHABLE', `cannot reach ${server}: ${reason}${certificateHint(reason)}`);
  }
}

/** Node's certificate errors, by code: the fix is to trust the server's CA, not to turn checks off. */
const UNTRUSTED_CERTIFICATE = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_UNTRUSTED)$/;

function certificateHint(reason: string): string {
  return UNTRUSTED_CERTIFICATE.test(reason) ? ' (the server\'s certificate is not trusted here: give its CA with --ca-file <file.pem>)' : '';
}
