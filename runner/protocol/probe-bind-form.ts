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
  /** No invocation gave a token, so no bind was sent: the form was not tried at all. */
  noToken?: true;
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
  if (!obtained.ok) return { form, accepted: false, detail: `no token: ${describeFailures(obtained.failures)}`, noToken: true };
  const { issued } = obtained;
  setting.onToken?.(issued.token);
  const { client, error } = await WsClient.connect(issued.websocketUrl!, { name: `probe-${form}`, timeoutMs: setting.connectMs, transcript: setting.transcript });
  if (!client) return { form, accepted: false, detail: `connect failed: ${error ?? ''}` };
  try {
    const answer = await bindAndAwaitAnswer(client, form, issued.token, { withinMs: setting.withinMs, fhirVersion: setting.fhirVersion });
    return { form, accepted: answer.sent && !!answer.handshake, detail: describeBindAnswer(answer, setting.describeDuration(setting.withinMs)) };
  } finally {
    client.terminate();
  }
}
