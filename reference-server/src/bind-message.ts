/**
 * What a client may send on the websocket. The spec names a `bind-with-token` message but no wire
 * format, so the three forms seen in the wild are all understood (whitespace trimmed):
 *   bind-with-token <token>                                  (space; Argonaut RI, IG diagram)
 *   bind-with-token: <token>                                 (colon; IG diagram, renewal)
 *   {"type":"bind-with-token","payload":{"token":"<token>"}} (json; Medplum)
 * The token may come out empty ("bind-with-token"): that is a bind with a bad token, not noise.
 */
export type BindForm = 'space' | 'colon' | 'json';
export const BIND_FORMS: readonly BindForm[] = ['space', 'colon', 'json'];

export type ClientMessage = { kind: 'bind'; form: BindForm; token: string } | { kind: 'unrecognised'; reason: string };

const COLON_FORM = /^bind-with-token:([\s\S]*)$/;
const SPACE_FORM = /^bind-with-token(?:\s+([\s\S]*))?$/;

export function parseClientMessage(text: string): ClientMessage {
  const message = text.trim();
  if (message.startsWith('{')) return parseJsonMessage(message);
  const colon = COLON_FORM.exec(message);
  if (colon) return { kind: 'bind', form: 'colon', token: colon[1]!.trim() };
  const space = SPACE_FORM.exec(message);
  if (space) return { kind: 'bind', form: 'space', token: (space[1] ?? '').trim() };
  return { kind: 'unrecognised', reason: 'expected bind-with-token <token>, bind-with-token: <token> or {"type":"bind-with-token","payload":{"token":"…"}}' };
}

function parseJsonMessage(message: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return { kind: 'unrecognised', reason: 'the frame starts like JSON but does not parse' };
  }
  const object = value as { type?: unknown; payload?: { token?: unknown } } | null;
  if (object?.type !== 'bind-with-token') return { kind: 'unrecognised', reason: 'JSON messages must have "type": "bind-with-token"' };
  if (typeof object.payload?.token !== 'string') {
    return { kind: 'unrecognised', reason: 'a JSON bind-with-token needs "payload": {"token": "<string>"}' };
  }
  return { kind: 'bind', form: 'json', token: object.payload.token.trim() };
}

/**
 * Frames some servers understand beside bind-with-token, each behind a variant:
 *   {"type":"ping"}                                              → {"type":"pong"} (Medplum; ping-pong-unbind)
 *   {"type":"unbind-from-token","payload":{"token":"<token>"}}   (Medplum; ping-pong-unbind)
 *   bind <subscription id>                                       (the pre-R5 protocol; legacy-bind-protocol)
 */
export type ExtraMessage = { kind: 'ping' } | { kind: 'unbind'; token: string } | { kind: 'legacy-bind'; subscriptionId: string };

const LEGACY_BIND = /^bind\s+(\S+)$/;

export function parseExtraMessage(text: string): ExtraMessage | undefined {
  const message = text.trim();
  const legacy = LEGACY_BIND.exec(message);
  if (legacy) return { kind: 'legacy-bind', subscriptionId: legacy[1]! };
  if (!message.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(message) as { type?: unknown; payload?: { token?: unknown } } | null;
    if (value?.type === 'ping') return { kind: 'ping' };
    if (value?.type === 'unbind-from-token' && typeof value.payload?.token === 'string') return { kind: 'unbind', token: value.payload.token.trim() };
  } catch {
    // not JSON: parseClientMessage says why
  }
  return undefined;
}
