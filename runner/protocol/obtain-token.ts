/**
 * The token loop, once: ask by each invocation in the given order until one answers with a token
 * and a websocket-url. Never throws; every failed attempt is kept (invocation, status, reason).
 */
import type { HttpClient, HttpRequest, HttpResult } from '../net/http-client.js';
import { invocationRequest, operationRequest, type Invocation } from './invocation.js';
import { describeTokenFailure, readIssuedToken, type IssuedTokenAnswer } from './issued-token.js';

export interface TokenAttemptFailure {
  invocation: Invocation;
  /** HTTP status, when there was an answer. */
  status?: number;
  /** "405", "no response", "200 without a usable token and websocket-url". */
  reason: string;
}

export type ObtainedToken =
  | { ok: true; issued: IssuedTokenAnswer & { invocation: Invocation }; result: HttpResult; failures: TokenAttemptFailure[] }
  | { ok: false; failures: TokenAttemptFailure[] };

/** Extra request fields (e.g. another identity's headers) added to every attempt. */
export async function obtainToken(http: HttpClient, subscriptions: readonly string[], order: readonly Invocation[], extra: Partial<HttpRequest> = {}): Promise<ObtainedToken> {
  const failures: TokenAttemptFailure[] = [];
  for (const invocation of order) {
    const result = await http.request({ ...operationRequest(invocationRequest(invocation, subscriptions)), ...extra });
    const issued = readIssuedToken(result, invocation, subscriptions);
    if (issued) return { ok: true, issued: { ...issued, invocation }, result, failures };
    failures.push({ invocation, status: result.ok ? result.status : undefined, reason: describeTokenFailure(result) });
    // A server that does not answer is not asked again in the other forms: each would wait out the
    // HTTP timeout too, and a run against a silent operation would take forms × timeout per token.
    if (timedOut(result)) break;
  }
  return { ok: false, failures };
}

/** The HTTP client's words for "no (whole) answer within the timeout" (http-client.ts). */
function timedOut(result: HttpResult): boolean {
  return /^timed out after \d+ ms/.test(result.error ?? '');
}

export function describeFailures(failures: readonly TokenAttemptFailure[]): string {
  return failures.length === 0 ? 'no invocation tried' : failures.map((f) => `${f.invocation} → ${f.reason}`).join('; ');
}
