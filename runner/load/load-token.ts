/**
 * Getting a binding token for one load client, by the invocation that worked before (discovery's,
 * or the pilot's) and then the others: the protocol layer's token loop (protocol/obtain-token.ts).
 * Never throws: a failure comes back as a short reason that is the same for every client that
 * hits it, so the error table stays small.
 */
import type { HttpClient } from '../net/http-client.js';
import { SINGLE_ORDER, type Invocation } from '../protocol/invocation.js';
import { obtainToken, type TokenAttemptFailure } from '../protocol/obtain-token.js';

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
  const obtained = await obtainToken(http, [subscriptionId], order);
  if (obtained.ok) return { ok: true, issued: { token: obtained.issued.token, websocketUrl: obtained.issued.websocketUrl!, invocation: obtained.issued.invocation } };
  const last = obtained.failures.at(-1);
  return { ok: false, reason: `token: no invocation gave a token and websocket-url (last: ${last ? `${last.invocation} → ${describeFailure(last)}` : 'no invocation tried'})` };
}

/** Status or network failure, with numbers that differ per request (ms, bytes) left out. */
function describeFailure(failure: TokenAttemptFailure): string {
  if (failure.status === undefined) return generalise(failure.reason);
  return failure.status < 300 ? `HTTP ${failure.status} without a token and websocket-url` : `HTTP ${failure.status}`;
}

/** Error texts become table keys: drop per-request byte counts, URLs and anything token-like. */
export function generalise(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/\(\d+ bytes received\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
