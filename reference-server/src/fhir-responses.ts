/**
 * What handlers return (a Reply) and how it goes on the wire: FHIR JSON with the FHIR media type,
 * errors as OperationOutcome. Also the request-side media-type rules (what a body may be sent as,
 * what a client may ask for). The content faults (wrong-content-type, errors-without-outcome,
 * metadata-plain-json) live here because this is the one place that writes responses.
 */
import type { ServerResponse } from 'node:http';
import type { ActiveFaults } from './faults.js';
import type { FhirResource } from './store.js';

export const FHIR_JSON = 'application/fhir+json';

export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'not-found'
  | 'deleted'
  | 'not-supported'
  | 'processing'
  | 'business-rule'
  | 'security'
  | 'login'
  | 'expired'
  | 'too-long'
  | 'too-costly'
  | 'exception'
  | 'informational';

export interface Reply {
  status: number;
  body?: FhirResource;
  headers?: Record<string, string>;
}

export function resourceReply(status: number, body: FhirResource, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

export function operationOutcome(code: IssueCode, diagnostics: string | string[], severity = 'error'): FhirResource {
  const messages = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
  return { resourceType: 'OperationOutcome', issue: messages.map((message) => ({ severity, code, diagnostics: message })) };
}

export function outcomeReply(status: number, code: IssueCode, diagnostics: string | string[], headers: Record<string, string> = {}): Reply {
  return { status, body: operationOutcome(code, diagnostics), headers };
}

export function methodNotAllowed(method: string, allowed: string[]): Reply {
  return outcomeReply(405, 'not-supported', `method ${method} is not allowed here; allowed: ${allowed.join(', ')}`, {
    Allow: allowed.join(', '),
  });
}

export function writeReply(res: ServerResponse, reply: Reply, faults: ActiveFaults): void {
  if (res.headersSent) return;
  const headers = { ...reply.headers };
  let payload = reply.body === undefined ? '' : JSON.stringify(reply.body, null, 2);
  let contentType = `${FHIR_JSON}; charset=utf-8`;
  if (reply.status >= 400 && faults.has('errors-without-outcome')) {
    payload = `Error ${reply.status}: ${summarise(reply.body)}\n`;
    contentType = 'text/plain; charset=utf-8';
  }
  if (faults.has('wrong-content-type')) contentType = 'text/plain; charset=utf-8';
  if (faults.has('metadata-plain-json') && reply.body?.resourceType === 'CapabilityStatement') contentType = 'application/json; charset=utf-8';
  res.writeHead(reply.status, {
    ...headers,
    ...(payload ? { 'Content-Type': contentType } : {}),
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

function summarise(body: FhirResource | undefined): string {
  const issues = body?.resourceType === 'OperationOutcome' && Array.isArray(body.issue) ? body.issue : [];
  return issues.map((issue) => String((issue as { diagnostics?: unknown }).diagnostics ?? '')).join('; ') || 'request failed';
}

/** Media types a request body may have: FHIR JSON, plain JSON, or none stated. */
export function isAcceptableBodyType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === FHIR_JSON || essence === 'application/json';
}

/** The server only speaks JSON: a client that asks only for something else gets 406. */
export function acceptsJson(accept: string | undefined, format: string | null): boolean {
  if (format !== null) {
    return ['json', 'application/json', FHIR_JSON].includes(format.split(';')[0]!.trim().toLowerCase());
  }
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map((range) => range.split(';')[0]!.trim().toLowerCase())
    .some((range) => ['*/*', 'application/*', 'application/json', FHIR_JSON].includes(range));
}
