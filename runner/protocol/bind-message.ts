/**
 * The bind message's wire form, known here only. The spec does not define it: the
 * field uses `bind-with-token <t>`, `bind-with-token: <t>` and Medplum's JSON. No form is
 * canonical; a server accepting any one passes. Also what the server's answer to a bind means:
 * a handshake accepts it, an OperationOutcome with an error refuses it.
 */
import type { Frame } from '../net/ws-client.js';
import { normalizeNotification } from '../notifications/normalize.js';
import type { BindForm, FhirVersion } from '../scenario/model.js';

export const BIND_FORMS: readonly BindForm[] = ['space', 'colon', 'json'];

/** How each form reads on the wire, for sentences (`<t>` stands for the token). */
export const BIND_FORM_SHAPES: Readonly<Record<BindForm, string>> = {
  space: 'bind-with-token <t>',
  colon: 'bind-with-token: <t>',
  json: '{"type":"bind-with-token","payload":{"token":"<t>"}}',
};

export function bindMessage(form: BindForm, token: string): string {
  switch (form) {
    case 'space': return `bind-with-token ${token}`;
    case 'colon': return `bind-with-token: ${token}`;
    case 'json': return JSON.stringify({ type: 'bind-with-token', payload: { token } });
  }
}

/** A frame the client sent that is a bind in any of the forms. */
export function isBindMessage(text: string): boolean {
  if (/^bind-with-token[\s:]/.test(text) || text === 'bind-with-token') return true;
  try {
    return (JSON.parse(text) as { type?: unknown } | null)?.type === 'bind-with-token';
  } catch {
    return false;
  }
}

export function isHandshakeFrame(frame: Frame, fhirVersion?: FhirVersion): boolean {
  return normalizeNotification(frame.json, fhirVersion ? { fhirVersion } : undefined)?.type === 'handshake';
}

/** An OperationOutcome with an error or fatal issue (a warning or information may precede a handshake). */
export function isBindRefusal(frame: Frame): boolean {
  const json = frame.json as { resourceType?: unknown; issue?: Array<{ severity?: unknown }> } | undefined;
  return json?.resourceType === 'OperationOutcome' && (json.issue ?? []).some((i) => i?.severity === 'error' || i?.severity === 'fatal');
}
