/**
 * One bind on an open socket: send the message in the given form and wait for the server's
 * decisive answer (a handshake accepts, an OperationOutcome with an error refuses, a close ends
 * it), bounded by `withinMs`. Load clients measure with it; probes judge forms with it.
 */
import type { Frame, WsClient } from '../net/ws-client.js';
import type { BindForm, FhirVersion } from '../scenario/model.js';
import { bindMessage, isBindRefusal, isHandshakeFrame } from './bind-message.js';

export type BindAnswer =
  | { sent: false; error: string }
  | {
      sent: true;
      /** Date.now() when the bind left. */
      sentAt: number;
      handshake?: Frame;
      refusal?: Frame;
      closed?: { code: number };
      /** Every frame received while waiting. */
      frames: Frame[];
    };

export async function bindAndAwaitAnswer(socket: WsClient, form: BindForm, token: string, options: { withinMs: number; fhirVersion?: FhirVersion }): Promise<BindAnswer> {
  const sentAt = Date.now();
  const sent = socket.send(bindMessage(form, token));
  if (!sent.sent) return { sent: false, error: sent.error ?? 'socket closed' };
  const isHandshake = (frame: Frame) => isHandshakeFrame(frame, options.fhirVersion);
  const waited = await socket.waitFor((frame) => isHandshake(frame) || isBindRefusal(frame), { count: 1, withinMs: options.withinMs, since: 'last-send' });
  const first = waited.matched[0];
  return {
    sent: true,
    sentAt,
    ...(first && isHandshake(first) ? { handshake: first } : first ? { refusal: first } : {}),
    ...(waited.closed ? { closed: { code: waited.closed.code } } : {}),
    frames: waited.all,
  };
}

/** "handshake received", "refused with an OperationOutcome", "socket closed (1008)", "no handshake within 5 s". */
export function describeBindAnswer(answer: BindAnswer, within: string): string {
  if (!answer.sent) return `bind not sent: ${answer.error}`;
  if (answer.handshake) return 'handshake received';
  if (answer.refusal) return 'refused with an OperationOutcome';
  if (answer.closed) return `socket closed (${answer.closed.code})`;
  return `no handshake within ${within}`;
}
