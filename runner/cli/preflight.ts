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
    throw harnessError('FWC_ERR_SERVER_UNREACHABLE', `cannot reach ${server}: ${reason}`);
  }
}
