/**
 * Sends one HTTP fuzz case and reports what came back, never throwing: library requests through
 * node:http with a keep-alive agent (so the fuzz also exercises connection reuse after errors), raw
 * requests as bytes on a fresh TCP socket. Every exchange is bounded by a timeout; no answer
 * within it is reported as such (a hang is a finding).
 */
import http from 'node:http';
import net from 'node:net';
import type { HttpCase } from './http-cases.js';

export interface Exchange {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Network-level outcome when there is no (complete) response. */
  error?: string;
  timedOut?: boolean;
}

/** What the checks keep of a body: enough to parse any OperationOutcome, bounded for a 50 MB answer. */
const MAX_KEPT_BODY = 2 * 1024 * 1024;

export interface Target {
  host: string;
  port: number;
  agent: http.Agent;
  timeoutMs: number;
}

export function sendCase(target: Target, fuzzCase: HttpCase): Promise<Exchange> {
  return fuzzCase.kind === 'raw' ? sendRaw(target, fuzzCase.raw!) : sendHttp(target, fuzzCase);
}

function sendHttp(target: Target, fuzzCase: HttpCase): Promise<Exchange> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (exchange: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(exchange);
    };
    let request: http.ClientRequest;
    try {
      request = http.request({
        host: target.host,
        port: target.port,
        method: fuzzCase.method,
        path: fuzzCase.target,
        agent: target.agent,
        headers: { ...fuzzCase.headers, ...(fuzzCase.body ? { 'content-length': String(fuzzCase.body.length) } : {}) },
      });
    } catch (error) {
      return done({ headers: {}, body: Buffer.alloc(0), error: `client refused to send: ${(error as Error).message}` });
    }
    const timer = setTimeout(() => {
      request.destroy();
      done({ headers: {}, body: Buffer.alloc(0), error: `no answer within ${target.timeoutMs} ms`, timedOut: true });
    }, target.timeoutMs);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        if (kept < MAX_KEPT_BODY) chunks.push(chunk);
        kept += chunk.length;
      });
      const finish = (error?: string): void =>
        done({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks), ...(error ? { error } : {}) });
      response.on('end', () => finish());
      response.on('error', (error) => finish(`response aborted: ${error.message}`));
      response.on('aborted', () => finish('response aborted'));
    });
    request.on('error', (error: NodeJS.ErrnoException) => done({ headers: {}, body: Buffer.alloc(0), error: error.code ?? error.message }));
    request.end(fuzzCase.body);
  });
}

function sendRaw(target: Target, bytes: Buffer): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = net.connect({ host: target.host, port: target.port });
    const done = (error?: string, timedOut = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseRawResponse(Buffer.concat(chunks)), ...(error ? { error } : {}), ...(timedOut ? { timedOut } : {}) });
    };
    const timer = setTimeout(() => done(`no answer within ${target.timeoutMs} ms`, true), target.timeoutMs);
    // Write and half-close: a request that promised more body than it sent then ends at EOF,
    // instead of waiting (legitimately) for bytes that never come.
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (isCompleteResponse(Buffer.concat(chunks))) done();
    });
    socket.on('end', () => done());
    socket.on('close', () => done());
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** Status line, headers and (Content-Length or chunked) body of the first response in `bytes`. */
export function parseRawResponse(bytes: Buffer): Omit<Exchange, 'error' | 'timedOut'> {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return { headers: {}, body: Buffer.alloc(0) };
  const lines = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1];
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(headEnd + 4);
  const body = headers['transfer-encoding']?.includes('chunked') ? dechunk(rest) : rest.subarray(0, Number(headers['content-length'] ?? rest.length));
  return { ...(status ? { status: Number(status) } : {}), headers, body };
}

function isCompleteResponse(bytes: Buffer): boolean {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(bytes.subarray(0, headEnd).toString('latin1'))?.[1];
  return length !== undefined && bytes.length - headEnd - 4 >= Number(length);
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
