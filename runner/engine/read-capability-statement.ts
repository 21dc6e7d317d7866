/**
 * Discovery's read of the CapabilityStatement, through the project's bounded HTTP client: decoded
 * bytes capped (a 100 MB statement, or a gzip bomb that inflates 4 MB into 4 GB, stops at the cap),
 * the whole exchange within the HTTP timeout, no redirect followed. fhir-kit-client read whole
 * bodies. A statement over the cap is not used; discovery.metadata.available reads it again and
 * reports the cut body as its finding.
 */
import type { RunConfig } from '../config/run-config.js';
import { harnessError } from '../errors.js';
import { HttpClient } from '../net/http-client.js';
import { isRedirectStatus, leavesOrigin, redirectOf, redirectRefused } from '../net/redirect-policy.js';

/** Nothing listening: a harness problem (exit 2). A server that accepts and then breaks off is a finding. */
const UNREACHABLE = /\((ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\)/;

export interface CapabilityStatementRead {
  capabilityStatement?: Record<string, unknown>;
  /** Set when no (whole) answer came (timeout, reset): scenarios that need a working server end as errors. */
  unresponsive?: string;
}

export async function fetchCapabilityStatement(
  config: RunConfig & { server: string },
  headers: Record<string, string>,
): Promise<CapabilityStatementRead> {
  const http = new HttpClient({ baseUrl: config.server, headers, timeoutMs: config.timeouts.httpMs });
  const result = await http.request({ method: 'GET', path: 'metadata' });
  const where = `GET ${config.server}/metadata`;
  if (!result.ok || result.error !== undefined) {
    const reason = result.error ?? 'network error';
    if (UNREACHABLE.test(reason)) throw harnessError('FWC_ERR_SERVER_UNREACHABLE', `cannot reach ${config.server}: ${reason}`);
    if (reason.startsWith('timed out')) return { unresponsive: `${where} got no answer within ${config.timeouts.httpMs} ms` };
    return { unresponsive: `${where} failed: ${reason}` };
  }
  // A 3xx to another origin stops the run (redirect-policy.ts); within the origin, discovery.metadata.available judges it.
  if (result.status !== undefined && isRedirectStatus(result.status)) {
    const redirect = redirectOf(result.status, result.headers.location, `${config.server}/metadata`);
    if (leavesOrigin(redirect, config.server)) throw redirectRefused(config.server, redirect, 'GET /metadata');
  }
  // Over the cap, an HTTP error, not JSON: not used; discovery.metadata.available reports it.
  const statement = result.json as Record<string, unknown> | undefined;
  const success = result.status !== undefined && result.status >= 200 && result.status < 300;
  return success && statement?.resourceType === 'CapabilityStatement' ? { capabilityStatement: statement } : {};
}
