/**
 * Getting a binding token for one load client, by the invocation that worked before (learned by the
 * pilot) and then the others, the same five forms the engine's getToken step knows. Never throws:
 * a failure comes back as a short reason that is the same for every client that hits it, so the
 * error table stays small.
 */
import type { HttpClient, HttpResult } from '../net/http-client.js';
import { operationRequest } from '../engine/steps/http-steps.js';
import { invocationRequest, readIssuedToken, SINGLE_ORDER, type Invocation } from '../engine/steps/token-steps.js';

export type { Invocation };

/** Instance POST with a Parameters body first (the SHALL form), then the other ways to ask. */
export const INVOCATION_ORDER: readonly Invocation[] = SINGLE_ORDER;

export interface LoadToken {
  token: string;
  websocketUrl: string;
  invocation: Invocation;
}

export type TokenAttempt = { ok: true; issued: LoadToken } | { ok: false; reason: string };

/** `preferred` first, then the rest of INVOCATION_ORDER. */
export function invocationOrder(preferred?: Invocation): Invocation[] {
  return preferred ? [preferred, ...INVOCATION_ORDER.filter((i) => i !== preferred)] : [...INVOCATION_ORDER];
}

export async function fetchToken(http: HttpClient, subscriptionId: string, order: readonly Invocation[]): Promise<TokenAttempt> {
  let last = 'no invocation tried';
  for (const invocation of order) {
    const result = await http.request(operationRequest(invocationRequest(invocation, [subscriptionId])));
    const issued = readIssuedToken(result, invocation, [subscriptionId]);
    if (issued?.websocketUrl) return { ok: true, issued: { token: issued.token, websocketUrl: issued.websocketUrl, invocation } };
    last = `${invocation} → ${describeFailure(result)}`;
  }
  return { ok: false, reason: `token: no invocation gave a token and websocket-url (last: ${last})` };
}

/** Status or network failure, with numbers that differ per request (ms, bytes) left out. */
function describeFailure(result: HttpResult): string {
  if (!result.ok) return generalise(result.error ?? 'no response');
  if (result.status !== undefined && result.status < 300) return `HTTP ${result.status} without a token and websocket-url`;
  return `HTTP ${result.status}`;
}

/** Error texts become table keys: drop per-request byte counts, URLs and anything token-like. */
export function generalise(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/\(\d+ bytes received\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
