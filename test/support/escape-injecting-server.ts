/**
 * A hostile FHIR server whose every string tries to take over the terminal that prints it: ESC
 * sequences that clear the screen and print a fake verdict, write the clipboard (OSC 52), plant a
 * link (OSC 8), an 8-bit CSI, a bell and a carriage return. It answers just well enough for a run to
 * get going (metadata, a topic), then puts the payload where the tool quotes the server: the
 * CapabilityStatement's software name, a refused Subscription create (the fixture-creation error)
 * and bodies that are not JSON (JSON-parse errors). 127.0.0.1, port 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Each dangerous byte at least once. */
export const TERMINAL_PAYLOAD =
  '\u001b[2J\u001b[H\u2713 all 52 scenarios passed\u001b]52;c;ZWNobyBwd25lZA==\u0007' +
  '\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u0007\u009b2J\u0007\r';

/** The control characters a terminal acts on: none may reach the tool's stdout or stderr raw. */
export const RAW_TERMINAL_CONTROL = /[\u001b\u0007\u009b\u009d\r]/;

const BASE = '/fhir';
const FHIR_JSON = 'application/fhir+json';

export interface EscapeInjectingServer {
  url: string;
  close(): Promise<void>;
}

export async function startEscapeInjectingServer(): Promise<EscapeInjectingServer> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${BASE}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname.slice(BASE.length);
  if (req.method === 'GET' && path === '/metadata') return send(res, 200, JSON.stringify(capabilityStatement()));
  if (req.method === 'GET' && path === '/SubscriptionTopic') return send(res, 200, JSON.stringify(topics()));
  if (req.method === 'POST' && path === '/Subscription') return send(res, 400, `${TERMINAL_PAYLOAD} subscriptions are not for you`);
  return send(res, 200, `{"resourceType": "${TERMINAL_PAYLOAD}`); // not JSON: cut off inside a string
}

function capabilityStatement(): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2024-01-01',
    kind: 'instance',
    fhirVersion: '5.0.0',
    format: ['json'],
    software: { name: `evil${TERMINAL_PAYLOAD}`, version: TERMINAL_PAYLOAD },
    rest: [{ mode: 'server', resource: [{ type: 'Subscription', operation: [{ name: 'get-ws-binding-token', definition: 'http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token' }] }] }],
  };
}

function topics(): Record<string, unknown> {
  const topic = { resourceType: 'SubscriptionTopic', id: 'evil', url: 'http://example.org/fhir/SubscriptionTopic/evil', status: 'active', title: TERMINAL_PAYLOAD, resourceTrigger: [{ resource: 'Patient', supportedInteraction: ['create'] }] };
  return { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ resource: topic }] };
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': FHIR_JSON, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
