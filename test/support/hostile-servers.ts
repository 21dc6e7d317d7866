/**
 * Hostile targets: small raw servers on 127.0.0.1 (port 0), each with one misbehaviour, for proving
 * that the harness ends every wait, never crashes and reports what it saw. Each server keeps track of
 * its sockets so close() ends even the connections it deliberately leaves hanging.
 *
 * HTTP-level kinds misbehave on every request. The two websocket kinds answer the FHIR side
 * correctly (metadata, SubscriptionTopic search, Subscription create/delete, the operation at both
 * levels) so the run gets as far as the websocket, and only the upgrade misbehaves.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type HostileKind =
  | 'hang' // accepts the connection, reads the request, never answers
  | 'drip' // answers headers at once, then one body byte every 500 ms, forever
  | 'garbage-json' // 200, Content-Type application/fhir+json, a body that is not JSON
  | 'html' // 200, text/html error page
  | 'huge-body' // 200, application/fhir+json, a 50 MB body streamed with back-pressure
  | 'close-mid-response' // status line, headers and half a body, then the connection is destroyed
  | 'ws-upgrade-silent' // correct FHIR answers; the websocket-url accepts TCP and then says nothing
  | 'ws-close-mid-handshake'; // correct FHIR answers; the upgrade gets half a 101 and a closed socket

export const HOSTILE_KINDS: readonly HostileKind[] = [
  'hang', 'drip', 'garbage-json', 'html', 'huge-body', 'close-mid-response', 'ws-upgrade-silent', 'ws-close-mid-handshake',
];

export interface HostileServer {
  kind: HostileKind;
  /** The FHIR base URL to hand to the harness, e.g. http://127.0.0.1:40123/fhir. */
  url: string;
  /** How many TCP connections the server has accepted (to show the harness did reach it). */
  readonly connections: number;
  close(): Promise<void>;
}

export const DRIP_INTERVAL_MS = 500;
export const HUGE_BODY_BYTES = 50 * 1024 * 1024;
const HUGE_CHUNK_BYTES = 64 * 1024;
const BASE_PATH = '/fhir';
const WS_PATH = '/ws';
const FHIR_JSON = 'application/fhir+json';

export async function startHostileServer(kind: HostileKind): Promise<HostileServer> {
  const server = kind.startsWith('ws-') ? fhirServerWithBrokenWebsocket(kind) : rawServer(kind);
  const sockets = new Set<net.Socket>();
  let connections = 0;
  server.on('connection', (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined); // a client that gives up resets the connection: expected here
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    kind,
    url: `http://127.0.0.1:${port}${BASE_PATH}`,
    get connections() {
      return connections;
    },
    close: () => closeServer(server, sockets),
  };
}

/** Start one server per kind; close them all with the returned function. */
export async function startHostileServers(kinds: readonly HostileKind[] = HOSTILE_KINDS): Promise<{ servers: HostileServer[]; closeAll(): Promise<void> }> {
  const servers = await Promise.all(kinds.map((kind) => startHostileServer(kind)));
  return { servers, closeAll: async () => void (await Promise.all(servers.map((s) => s.close()))) };
}

function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP-level misbehaviour, written byte by byte on a plain TCP server so nothing in node:http
// "helps" (no automatic Content-Length, no error pages, no keep-alive handling).

function rawServer(kind: HostileKind): net.Server {
  return net.createServer((socket) => {
    let answered = false;
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (answered || !received.includes('\r\n\r\n')) return; // wait for the whole request head
      answered = true;
      misbehave(kind, socket);
    });
  });
}

function misbehave(kind: HostileKind, socket: net.Socket): void {
  switch (kind) {
    case 'hang':
      return; // the socket stays open and silent until the client (or close()) ends it
    case 'drip':
      return drip(socket);
    case 'garbage-json':
      return respond(socket, 200, FHIR_JSON, '{"resourceType": "CapabilityStatement", <<garbage>> \u0000\u0001 not json at all ]]');
    case 'html':
      return respond(socket, 200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><head><title>Login</title></head><body><h1>Please sign in</h1></body></html>');
    case 'huge-body':
      return streamHugeBody(socket);
    case 'close-mid-response':
      return closeMidResponse(socket);
    default:
      throw new Error(`rawServer does not handle ${kind}`);
  }
}

function respond(socket: net.Socket, status: number, contentType: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  socket.write(`HTTP/1.1 ${status} OK\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`);
  socket.end(bytes);
}

/** Headers at once (so fetch resolves), then a chunked body one byte at a time, forever. */
function drip(socket: net.Socket): void {
  socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${FHIR_JSON}\r\nTransfer-Encoding: chunked\r\n\r\n`);
  const text = '{"resourceType":"CapabilityStatement","status":"active","padding":"';
  let position = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    const byte = position < text.length ? text[position]! : 'x';
    position++;
    socket.write(`1\r\n${byte}\r\n`);
  }, DRIP_INTERVAL_MS);
  socket.on('close', () => clearInterval(timer));
}

/** 50 MB of valid-looking JSON, written only as fast as the client reads it. */
function streamHugeBody(socket: net.Socket): void {
  const head = '{"resourceType":"CapabilityStatement","padding":"';
  const tail = '"}';
  const paddingBytes = HUGE_BODY_BYTES - head.length - tail.length;
  socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${FHIR_JSON}\r\nContent-Length: ${HUGE_BODY_BYTES}\r\nConnection: close\r\n\r\n${head}`);
  const chunk = Buffer.alloc(HUGE_CHUNK_BYTES, 'a');
  let remaining = paddingBytes;
  const pump = (): void => {
    while (remaining > 0 && !socket.destroyed) {
      const size = Math.min(remaining, HUGE_CHUNK_BYTES);
      remaining -= size;
      if (!socket.write(size === HUGE_CHUNK_BYTES ? chunk : chunk.subarray(0, size))) return void socket.once('drain', pump);
    }
    if (!socket.destroyed) socket.end(tail);
  };
  pump();
}

function closeMidResponse(socket: net.Socket): void {
  socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${FHIR_JSON}\r\nContent-Length: 4000\r\n\r\n{"resourceType":"CapabilityStatement","status":"act`);
  setTimeout(() => socket.destroy(), 20); // let the partial body reach the client first
}

// ---------------------------------------------------------------------------------------------
// A minimal, correct-enough R5 FHIR server whose websocket endpoint is broken.

interface FakeState {
  nextId: number;
  port: () => number;
}

function fhirServerWithBrokenWebsocket(kind: HostileKind): http.Server {
  const state: FakeState = { nextId: 1, port: () => (server.address() as AddressInfo).port };
  const server = http.createServer((req, res) => {
    readBody(req)
      .then((body) => answerFhir(req, body, state))
      .then(([status, resource]) => sendJson(res, status, resource))
      .catch(() => sendJson(res, 500, outcome('exception', 'hostile server bug')));
  });
  server.on('upgrade', (_req, socket: net.Socket) => {
    socket.on('error', () => undefined);
    if (kind === 'ws-upgrade-silent') return; // TCP accepted, upgrade request read, never answered
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n'); // no Connection, no Accept, no blank line
    setTimeout(() => socket.destroy(), 20);
  });
  return server;
}

const MAX_FAKE_BODY = 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (text.length < MAX_FAKE_BODY) text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', () => resolve(text));
  });
}

type Answer = [number, Record<string, unknown>];

const TOPIC_URL = 'http://example.org/fhir/SubscriptionTopic/hostile-patient-create';
/** Short, so scenarios that wait for a token to expire do not stretch a run against these servers. */
const TOKEN_LIFETIME_MS = 5_000;

function answerFhir(req: http.IncomingMessage, body: string, state: FakeState): Answer {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname.startsWith(BASE_PATH) ? url.pathname.slice(BASE_PATH.length) : url.pathname;
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/metadata') return [200, capabilityStatement()];
  if (method === 'GET' && path === '/SubscriptionTopic') return [200, topicBundle()];
  if (method === 'POST' && path === '/Subscription') return [201, createdSubscription(body, state)];
  if (method === 'DELETE' && /^\/Subscription\/[^/]+$/.test(path)) return [200, outcome('informational', 'deleted')];
  const operation = /^\/Subscription(?:\/([^/]+))?\/\$get-ws-binding-token$/.exec(path);
  if (operation && (method === 'POST' || method === 'GET')) return [200, tokenParameters(operation[1], url, body, state)];
  return [404, outcome('not-found', `no route for ${method} ${path}`)];
}

function capabilityStatement(): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2024-01-01',
    kind: 'instance',
    fhirVersion: '5.0.0',
    format: ['json'],
    software: { name: 'hostile-test-server' },
    rest: [{
      mode: 'server',
      resource: [{
        type: 'Subscription',
        interaction: [{ code: 'create' }, { code: 'delete' }],
        operation: [{ name: 'get-ws-binding-token', definition: 'http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token' }],
      }],
    }],
  };
}

function topicBundle(): Record<string, unknown> {
  const topic = {
    resourceType: 'SubscriptionTopic',
    id: 'hostile-patient-create',
    url: TOPIC_URL,
    status: 'active',
    resourceTrigger: [{ resource: 'Patient', supportedInteraction: ['create'] }],
  };
  return { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ resource: topic }] };
}

function createdSubscription(body: string, state: FakeState): Record<string, unknown> {
  let resource: Record<string, unknown> = {};
  try {
    resource = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // a body the harness never sends; answer with a bare Subscription anyway
  }
  return { ...resource, resourceType: 'Subscription', id: `hostile-${state.nextId++}`, status: 'active' };
}

function tokenParameters(instanceId: string | undefined, url: URL, body: string, state: FakeState): Record<string, unknown> {
  const ids = instanceId ? [instanceId] : [...url.searchParams.getAll('id'), ...idsFromParameters(body)];
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'token', valueString: `hostile-token-${Math.random().toString(36).slice(2)}` },
      { name: 'expiration', valueDateTime: new Date(Date.now() + TOKEN_LIFETIME_MS).toISOString().replace(/\.\d{3}Z$/, 'Z') },
      ...ids.map((id) => ({ name: 'subscription', valueString: `Subscription/${id}` })),
      { name: 'websocket-url', valueUrl: `ws://127.0.0.1:${state.port()}${WS_PATH}` },
    ],
  };
}

function idsFromParameters(body: string): string[] {
  try {
    const parameters = (JSON.parse(body) as { parameter?: Array<{ name?: string; valueId?: string; valueString?: string }> }).parameter ?? [];
    return parameters.filter((p) => p.name === 'id').map((p) => p.valueId ?? p.valueString ?? '').filter(Boolean);
  } catch {
    return [];
  }
}

function outcome(code: string, diagnostics: string): Record<string, unknown> {
  return { resourceType: 'OperationOutcome', issue: [{ severity: code === 'informational' ? 'information' : 'error', code, diagnostics }] };
}

function sendJson(res: http.ServerResponse, status: number, resource: Record<string, unknown>): void {
  const payload = JSON.stringify(resource);
  res.writeHead(status, { 'Content-Type': `${FHIR_JSON}; charset=utf-8`, 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}
