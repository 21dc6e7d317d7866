/**
 * Recognising the pre-R5 websocket protocol (HAPI FHIR, Smile CDR, DSF). A server without
 * $get-ws-binding-token may still speak `bind <id>` → `bound <id>` → `ping <id>` at the endpoint its
 * CapabilityStatement advertises with the core extension `capabilitystatement-websocket`. A user who
 * points the suite at one should learn that in one sentence, not from a wall of failures.
 *
 * Runs once per run, after discovery, and only when the CapabilityStatement advertises such an
 * endpoint and no invocation of the operation yields a token. Never throws. Sends nothing but
 * `bind <id>` (no credentials) to the advertised endpoint.
 */
import { WsClient, type Frame } from '../net/ws-client.js';
import { warmUpFoundNoInvocation, withProbeSubscription } from './probe-subscription.js';
import type { ScenarioContext } from './scenario-context.js';
import { obtainToken } from './steps/token-steps.js';
import type { LearningTarget, Target } from './target.js';

export const WEBSOCKET_EXTENSION_URL = 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket';
/** The endpoint ends up in a terminal line and reports: visible ASCII only, and short. */
const PRINTABLE_WS_URL = /^wss?:\/\/[\x21-\x7e]{1,300}$/;

/** The profile value (key `legacyProtocol`), also the sentence of the verdict line: "The server <this>." */
export function legacyProtocolSentence(endpoint: string): string {
  return `speaks the pre-R5 websocket protocol (\`bind <id>\`, at ${endpoint}) but does not implement $get-ws-binding-token`;
}

export async function recogniseLegacyProtocol(target: LearningTarget): Promise<void> {
  if (target.unresponsive || target.learned.invocation) return;
  const endpoint = advertisedWebsocketEndpoint(target.capabilityStatement);
  if (!endpoint) return;
  const speaksLegacy = await withProbeSubscription(target, 'probe.legacy-protocol', async (ctx, id) => {
    if (!warmUpFoundNoInvocation(target) && 'token' in (await obtainToken(ctx, [id]))) return false; // the operation works
    return answersLegacyBind(endpoint, id, ctx);
  });
  if (speaksLegacy) target.learned.legacyProtocol = legacyProtocolSentence(endpoint);
}

/** The `valueUri` (or `valueUrl`) of the websocket extension on any CapabilityStatement.rest, if a ws(s) URL. */
export function advertisedWebsocketEndpoint(capabilityStatement: Record<string, unknown> | undefined): string | undefined {
  const rests = Array.isArray(capabilityStatement?.rest) ? (capabilityStatement.rest as unknown[]) : [];
  for (const rest of rests) {
    const extensions = (rest as { extension?: unknown } | null)?.extension;
    if (!Array.isArray(extensions)) continue;
    for (const extension of extensions as Array<Record<string, unknown> | null>) {
      const value = extension?.url === WEBSOCKET_EXTENSION_URL ? (extension.valueUri ?? extension.valueUrl) : undefined;
      if (typeof value === 'string' && PRINTABLE_WS_URL.test(value)) return value;
    }
  }
  return undefined;
}

/** `bind <id>` on a fresh socket: answered `bound <id>` within the handshake timeout? */
async function answersLegacyBind(endpoint: string, subscriptionId: string, ctx: ScenarioContext): Promise<boolean> {
  const { timeouts } = ctx.target.config;
  const { client } = await WsClient.connect(endpoint, { name: 'legacy-probe', timeoutMs: timeouts.connectMs, transcript: ctx.transcript });
  if (!client) return false;
  try {
    client.send(`bind ${subscriptionId}`);
    const bound = (frame: Frame) => frame.text?.trim() === `bound ${subscriptionId}`;
    return (await client.waitFor(bound, { withinMs: timeouts.handshakeMs, since: 'last-send' })).met;
  } finally {
    await client.close(1000, 'probe finished'); // politely: a dropped connection is a vanished client to the server
  }
}
