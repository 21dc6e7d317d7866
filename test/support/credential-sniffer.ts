/**
 * Hostile targets for the credential rule (credentials go only to the origin of --server): a
 * "sniffer" on 127.0.0.1 that records the head of every request and websocket upgrade it receives,
 * and either answers with a fixed reply (a redirect to another origin, a plain 200) or forwards the
 * connection to a real server (so a run works end to end while the sniffer sees what was sent).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  upgrade: boolean;
  body: string;
}

export interface Sniffer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The same port named as localhost: another origin that reaches the same sniffer. */
  localhostOrigin: string;
  port: number;
  seen: SeenRequest[];
  /** Forward every later connection to this host:port instead of answering (set once the target exists). */
  forwardTo(port: number): void;
  /** Answer every later request with this reply. */
  answerWith(reply: Reply): void;
  close(): Promise<void>;
}

export type Reply = (request: SeenRequest) => string;

/** Answers every request with 200 and an empty JSON object. */
export const OK_REPLY: Reply = () => rawResponse(200, { 'content-type': 'application/fhir+json' }, '{}');

export function redirectReply(status: number, location: string): Reply {
  return () => rawResponse(status, { location }, '');
}

export function rawResponse(status: number, headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' }).map(([n, v]) => `${n}: ${v}`);
  return `HTTP/1.1 ${status} X\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

const MAX_HEAD_BYTES = 64 * 1024;

export async function startSniffer(reply: Reply = OK_REPLY): Promise<Sniffer> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<net.Socket>();
  let forwardPort: number | undefined;
  let current = reply;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (forwardPort !== undefined) return forward(socket, forwardPort, seen, sockets);
    answer(socket, current, seen);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    localhostOrigin: `http://localhost:${port}`,
    port,
    seen,
    forwardTo: (target) => void (forwardPort = target),
    answerWith: (next) => void (current = next),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Reads one request (head and a Content-Length body), records it, answers, closes. */
function answer(socket: net.Socket, reply: Reply, seen: SeenRequest[]): void {
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]).subarray(0, MAX_HEAD_BYTES * 2);
    const request = parseRequest(buffer);
    if (!request) return;
    socket.removeAllListeners('data');
    seen.push(request);
    socket.end(request.upgrade ? rawResponse(403, {}, '') : reply(request));
  });
}

/** Records the first request head of the connection, then pipes both ways to the real server. */
function forward(socket: net.Socket, port: number, seen: SeenRequest[], sockets: Set<net.Socket>): void {
  const upstream = net.connect(port, '127.0.0.1');
  sockets.add(upstream);
  upstream.on('error', () => socket.destroy());
  upstream.on('close', () => sockets.delete(upstream));
  let head = Buffer.alloc(0);
  let recorded = false;
  socket.on('data', (chunk: Buffer) => {
    if (!recorded) {
      head = Buffer.concat([head, chunk]).subarray(0, MAX_HEAD_BYTES);
      const request = parseRequest(head, false);
      if (request) {
        recorded = true;
        seen.push(request);
      }
    }
    upstream.write(chunk);
  });
  upstream.on('data', (chunk: Buffer) => socket.write(chunk));
  socket.on('end', () => upstream.end());
  upstream.on('end', () => socket.end());
}

function parseRequest(buffer: Buffer, needBody = true): SeenRequest | undefined {
  const text = buffer.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [requestLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const [method = '', path = ''] = requestLine.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = text.slice(end + 4);
  if (needBody && Buffer.byteLength(body, 'latin1') < length) return undefined;
  return { method, path, headers, upgrade: (headers.upgrade ?? '').toLowerCase() === 'websocket', body };
}

/** The credential-bearing headers a request carried (the names the suite's tests configure). */
export function credentialsSeen(request: SeenRequest): string[] {
  return ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'].filter((name) => name in request.headers);
}
