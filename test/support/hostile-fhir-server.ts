/**
 * A sound little R5 FHIR server with one hostile knob turned, for proving that memory and time stay
 * bounded whatever a server sends (issue 11, items 7–12). It answers metadata, SubscriptionTopic
 * search, Subscription create/delete, the operation at both levels and the websocket channel (a
 * handshake per bound Subscription); each option replaces one part with something hostile.
 * Listens on 127.0.0.1, port 0; every flood is bounded in time and stops when the socket closes.
 */
import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

export interface HostileFhirOptions {
  /** Changes to the CapabilityStatement (e.g. a 200 KB software.name, a 3,000-level nesting). */
  capabilityStatement?: (statement: Record<string, unknown>) => Record<string, unknown>;
  /** Answer GET metadata by hand (a 100 MB body, a gzip bomb); the request is not read further. */
  metadata?: (res: http.ServerResponse) => void;
  /** Served for GET OperationDefinition/<id> (otherwise 404). */
  operationDefinition?: Record<string, unknown>;
  /** The topic's canonical URL (a 140 KB one, say). */
  topicUrl?: string;
  /** $get-ws-binding-token: 'hang' reads the request and never answers; 'refuse' answers 500 at once. */
  operation?: 'hang' | 'refuse';
  /** The token the operation issues (default: a short random one). */
  token?: () => string;
  /** After the handshakes, send text frames of frameBytes as fast as the socket drains, for durationMs. */
  flood?: { frameBytes: number; durationMs: number };
}

export interface HostileFhirServer {
  /** The FHIR base URL, e.g. http://127.0.0.1:40123/fhir. */
  url: string;
  /** Requests answered (or left hanging), by "METHOD path". */
  readonly requests: string[];
  /** Frames and bytes sent by floods so far. */
  readonly flooded: { frames: number; bytes: number };
  close(): Promise<void>;
}

const BASE = '/fhir';
const FHIR_JSON = 'application/fhir+json';
const DEFAULT_TOPIC = 'http://example.org/fhir/SubscriptionTopic/hostile-patient-create';
const TOKEN_LIFETIME_MS = 5_000;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** A flood writes while less than this is queued, so the server itself stays bounded. */
const FLOOD_HIGH_WATER_BYTES = 1024 * 1024;

export async function startHostileFhirServer(options: HostileFhirOptions = {}): Promise<HostileFhirServer> {
  const requests: string[] = [];
  const flooded = { frames: 0, bytes: 0 };
  const grants = new Map<string, string[]>();
  const sockets = new Set<net.Socket>();
  let nextId = 1;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
    requests.push(`${req.method} ${path}`);
    if (req.method === 'GET' && path === '/metadata' && options.metadata) return options.metadata(res);
    readBody(req).then((body) => {
      if (options.operation === 'hang' && path.endsWith('/$get-ws-binding-token')) return; // never answered
      if (options.operation === 'refuse' && path.endsWith('/$get-ws-binding-token')) return sendJson(res, 500, outcome('error', 'refused'));
      const [status, resource] = answer(req.method ?? 'GET', path, url, body);
      sendJson(res, status, resource);
    }, () => res.destroy());
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws)));
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });

  function answer(method: string, path: string, url: URL, body: string): [number, Record<string, unknown>] {
    if (method === 'GET' && path === '/metadata') return [200, (options.capabilityStatement ?? ((cs) => cs))(capabilityStatement())];
    if (method === 'GET' && path === '/SubscriptionTopic') return [200, topicBundle(options.topicUrl ?? DEFAULT_TOPIC)];
    if (method === 'GET' && path.startsWith('/OperationDefinition/') && options.operationDefinition) return [200, options.operationDefinition];
    if (method === 'POST' && path === '/Subscription') return [201, { ...parse(body), resourceType: 'Subscription', id: `hostile-${nextId++}`, status: 'active' }];
    if (method === 'DELETE' && /^\/Subscription\/[^/]+$/.test(path)) return [200, outcome('information', 'deleted')];
    const operation = /^\/Subscription(?:\/([^/]+))?\/\$get-ws-binding-token$/.exec(path);
    if (operation && (method === 'POST' || method === 'GET')) {
      const ids = operation[1] ? [operation[1]] : [...url.searchParams.getAll('id'), ...idsFromParameters(body)];
      return [200, tokenParameters(ids)];
    }
    return [404, outcome('error', `no route for ${method} ${path}`)];
  }

  function tokenParameters(ids: string[]): Record<string, unknown> {
    const token = options.token?.() ?? `hostile-${randomUUID()}`;
    grants.set(token, ids);
    const port = (server.address() as AddressInfo).port;
    return {
      resourceType: 'Parameters',
      parameter: [
        { name: 'token', valueString: token },
        { name: 'expiration', valueDateTime: new Date(Date.now() + TOKEN_LIFETIME_MS).toISOString().replace(/\.\d{3}Z$/, 'Z') },
        ...ids.map((id) => ({ name: 'subscription', valueString: `Subscription/${id}` })),
        { name: 'websocket-url', valueUrl: `ws://127.0.0.1:${port}/ws` },
      ],
    };
  }

  function serveSocket(ws: WebSocket): void {
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      const ids = grants.get(tokenOf(String(data)));
      if (!ids) return;
      for (const id of ids) ws.send(JSON.stringify(handshake(id, options.topicUrl ?? DEFAULT_TOPIC)));
      if (options.flood) flood(ws, options.flood, flooded);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE}`,
    requests,
    flooded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Frames of frameBytes, written while the socket keeps up, until durationMs has passed or it closes. */
function flood(ws: WebSocket, { frameBytes, durationMs }: { frameBytes: number; durationMs: number }, count: { frames: number; bytes: number }): void {
  const frame = JSON.stringify({ resourceType: 'Basic', id: 'flood', text: 'x'.repeat(Math.max(0, frameBytes - 50)) });
  const until = Date.now() + durationMs;
  const pump = (): void => {
    while (ws.readyState === ws.OPEN && Date.now() < until && ws.bufferedAmount < FLOOD_HIGH_WATER_BYTES) {
      ws.send(frame);
      count.frames++;
      count.bytes += frame.length;
    }
    if (ws.readyState === ws.OPEN && Date.now() < until) setTimeout(pump, 1);
  };
  pump();
}

function tokenOf(message: string): string {
  const text = message.trim();
  if (text.startsWith('{')) return String((parse(text) as { payload?: { token?: unknown } }).payload?.token ?? '');
  return text.replace(/^bind-with-token:?\s*/, '').trim();
}

function handshake(id: string, topic: string): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'subscription-notification',
    timestamp: new Date().toISOString(),
    entry: [{
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource: { resourceType: 'SubscriptionStatus', status: 'active', type: 'handshake', eventsSinceSubscriptionStart: '0', subscription: { reference: `Subscription/${id}` }, topic },
    }],
  };
}

function capabilityStatement(): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2024-01-01',
    kind: 'instance',
    fhirVersion: '5.0.0',
    format: ['json'],
    software: { name: 'hostile-fhir-server' },
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

function topicBundle(url: string): Record<string, unknown> {
  const topic = { resourceType: 'SubscriptionTopic', id: 'hostile-patient-create', url, status: 'active', resourceTrigger: [{ resource: 'Patient', supportedInteraction: ['create'] }] };
  return { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ resource: topic }] };
}

function idsFromParameters(body: string): string[] {
  const parameters = (parse(body) as { parameter?: Array<{ name?: string; valueId?: string; valueString?: string }> }).parameter ?? [];
  return parameters.filter((p) => p.name === 'id').map((p) => p.valueId ?? p.valueString ?? '').filter(Boolean);
}

function parse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function outcome(severity: string, diagnostics: string): Record<string, unknown> {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: severity === 'information' ? 'informational' : 'processing', diagnostics }] };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, resource: Record<string, unknown>): void {
  const payload = JSON.stringify(resource);
  res.writeHead(status, { 'Content-Type': `${FHIR_JSON}; charset=utf-8`, 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** A CapabilityStatement (R4) with an extension nested `levels` deep, as text: JSON.stringify itself overflows on it. */
export function deepCapabilityStatementText(levels: number): string {
  const leaf = '{"url":"http://example.org/leaf","valueString":"x"}';
  const nested = `${'{"extension":['.repeat(levels)}${leaf}${']}'.repeat(levels)}`;
  return `{"resourceType":"CapabilityStatement","status":"active","kind":"instance","fhirVersion":"4.0.1","format":["json"],"extension":[${nested}]}`;
}

/** Answer a request with JSON text as is (a body the server could not build with JSON.stringify). */
export function sendJsonText(text: string): (res: http.ServerResponse) => void {
  return (res) => void res.writeHead(200, { 'Content-Type': `${FHIR_JSON}; charset=utf-8`, 'Content-Length': Buffer.byteLength(text) }).end(text);
}
