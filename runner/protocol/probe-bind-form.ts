/**
 * Does the server accept a bind form? One fresh token, one fresh socket, one bind: a handshake
 * says yes. A fresh token each time, so a probe never consumes a token someone else will bind.
 */
import type { Transcript } from '../evidence/transcript.js';
import type { HttpClient } from '../net/http-client.js';
import { WsClient } from '../net/ws-client.js';
import type { BindForm, FhirVersion } from '../scenario/model.js';
import { bindAndAwaitAnswer, describeBindAnswer } from './bind.js';
import type { Invocation } from './invocation.js';
import { describeFailures, obtainToken } from './obtain-token.js';

export interface BindFormProbe {
  form: BindForm;
  accepted: boolean;
  /** "handshake received", "no handshake within 5 s", "no token: instance-post → 405" … */
  detail: string;
  /** Why the form could not even be tried: no token was issued, or the websocket-url did not open. */
  untried?: 'no-token' | 'no-connection' | 'relative-url';
  /** A bind that got no handshake: when it left and the token's stated life, so a late harness can be told apart. */
  unanswered?: { sentAt: number; expiration?: string; lifetimeMs?: number };
}

export interface ProbeSetting {
  http: HttpClient;
  fhirVersion: FhirVersion;
  connectMs: number;
  withinMs: number;
  /** How a duration reads in the detail ("5 s"). */
  describeDuration: (ms: number) => string;
  transcript?: Transcript;
  /** Called with each token obtained, before it is sent anywhere (to register it as a secret). */
  onToken?: (token: string) => void;
}

export async function probeBindForm(form: BindForm, subscriptions: readonly string[], order: readonly Invocation[], setting: ProbeSetting): Promise<BindFormProbe> {
  const obtained = await obtainToken(setting.http, subscriptions, order);
  if (!obtained.ok) return { form, accepted: false, detail: `no token: ${describeFailures(obtained.failures)}`, untried: 'no-token' };
  const { issued } = obtained;
  setting.onToken?.(issued.token);
  const { client, error } = await WsClient.connect(issued.websocketUrl!, { name: `probe-${form}`, timeoutMs: setting.connectMs, transcript: setting.transcript });
  if (!client) return { form, accepted: false, detail: `connect failed: ${error ?? ''}`, untried: URL.canParse(issued.websocketUrl!) ? 'no-connection' : 'relative-url' };
  try {
    const sentAt = Date.now();
    const answer = await bindAndAwaitAnswer(client, form, issued.token, { withinMs: setting.withinMs, fhirVersion: setting.fhirVersion });
    const accepted = answer.sent && !!answer.handshake;
    const detail = describeBindAnswer(answer, setting.describeDuration(setting.withinMs));
    return accepted ? { form, accepted, detail } : { form, accepted, detail, unanswered: { sentAt, expiration: issued.expiration, lifetimeMs: issued.lifetimeMs } };
  } finally {
    // Politely (1000): a connection dropped without a close is a vanished client to the server,
    // which binding.vanished-client tests on purpose and nothing else should cause.
    await client.close(1000, 'probe finished');
  }
}
