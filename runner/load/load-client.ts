/**
 * One load client: get a token, open the websocket-url, send bind-with-token, and wait for a
 * handshake. The latency measured is from sending the bind to the handshake's arrival (the part
 * the server's websocket side is responsible for). The socket is handed back open: the caller
 * holds every bound socket until all clients are done, so they really are concurrent.
 */
import type { Timeouts } from '../config/run-config.js';
import type { HttpClient } from '../net/http-client.js';
import { headersForOrigin } from '../net/origin-policy.js';
import { WsClient } from '../net/ws-client.js';
import { bindAndAwaitAnswer } from '../protocol/bind.js';
import type { BindForm, FhirVersion } from '../scenario/model.js';
import type { Limiter } from './limiter.js';
import { plural } from '../plural.js';
import { fetchToken, generalise, type Invocation } from './load-token.js';

export interface ClientPlan {
  name: string;
  subscriptionId: string;
  invocations: readonly Invocation[];
  bindForm: BindForm;
  timeouts: Timeouts;
  fhirVersion: FhirVersion;
  headers: Record<string, string>;
}

export interface ClientShared {
  http: HttpClient;
  httpLimiter: Limiter;
  connectLimiter: Limiter;
  /** Set when the overall deadline passes: clients stop at their next phase. */
  cancelled: () => boolean;
}

export type ClientOutcome =
  | { ok: true; latencyMs: number; invocation: Invocation; socket: WsClient }
  | { ok: false; error: string; phase: 'token' | 'connect' | 'handshake' | 'deadline'; invocation?: Invocation; socket?: WsClient };

export const DEADLINE_ERROR = 'deadline: the overall load deadline passed before this client finished';

export async function runLoadClient(plan: ClientPlan, shared: ClientShared): Promise<ClientOutcome> {
  if (shared.cancelled()) return { ok: false, phase: 'deadline', error: DEADLINE_ERROR };
  const attempt = await shared.httpLimiter.run(() => fetchToken(shared.http, plan.subscriptionId, plan.invocations));
  if (!attempt.ok) return { ok: false, phase: 'token', error: attempt.reason };
  const { issued } = attempt;
  if (shared.cancelled()) return { ok: false, phase: 'deadline', error: DEADLINE_ERROR, invocation: issued.invocation };
  const connected = await shared.connectLimiter.run(() =>
    // credentials only on an upgrade to the server's own origin (origin-policy.ts), never to whatever websocket-url names
    WsClient.connect(issued.websocketUrl, { name: plan.name, timeoutMs: plan.timeouts.connectMs, headers: headersForOrigin(issued.websocketUrl, shared.http.baseUrl, plan.headers) }),
  );
  if (!connected.client) return { ok: false, phase: 'connect', error: `connect: ${generalise(connected.error)}`, invocation: issued.invocation };
  const socket = connected.client;
  if (shared.cancelled()) return { ok: false, phase: 'deadline', error: DEADLINE_ERROR, invocation: issued.invocation, socket };
  return bindAndAwaitHandshake(socket, issued.token, issued.invocation, plan);
}

async function bindAndAwaitHandshake(socket: WsClient, token: string, invocation: Invocation, plan: ClientPlan): Promise<ClientOutcome> {
  // A handshake ends the wait, and so does a refusal: no need to sit out the window (that is also
  // what makes the pilot's form probing quick).
  const answer = await bindAndAwaitAnswer(socket, plan.bindForm, token, { withinMs: plan.timeouts.handshakeMs, fhirVersion: plan.fhirVersion });
  if (!answer.sent) return { ok: false, phase: 'handshake', error: `handshake: bind not sent (${generalise(answer.error)})`, invocation, socket };
  if (answer.handshake) return { ok: true, latencyMs: Math.max(0, answer.handshake.at - answer.sentAt), invocation, socket };
  const why = answer.refusal
    ? `the server refused the bind with an OperationOutcome (${outcomeCode(answer.refusal.json)})`
    : answer.closed
      ? `the server closed the socket (code ${answer.closed.code}) without a handshake`
      : `no handshake within ${plan.timeouts.handshakeMs} ms (${answer.frames.length === 0 ? 'no frames' : `${plural(answer.frames.length, 'other frame')}`})`;
  return { ok: false, phase: 'handshake', error: `handshake: ${why}`, invocation, socket };
}

/** The first issue's code: the same for every client refused the same way (diagnostics may vary). */
function outcomeCode(json: unknown): string {
  const issue = (json as { issue?: Array<{ code?: unknown }> }).issue?.[0];
  return typeof issue?.code === 'string' ? `code ${issue.code}` : 'no issue code';
}
