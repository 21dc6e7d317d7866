/**
 * Websocket fuzzing: sessions of random frames on fresh sockets (a few at a time), each ending
 * sometimes with an oversize frame; then floods of binds on one socket (valid and forged tokens).
 * The reference server answers every frame with exactly one frame (handshake Bundle or
 * OperationOutcome), so each session checks: one reply per frame, every reply FHIR JSON, and an
 * oversize frame closes the socket with 1009. All waits bounded.
 */
import WebSocket from 'ws';
import type { Random } from './prng.js';
import { record, type Violation } from './run-http-fuzz.js';
import { bindText, generateWsFrame, oversizeFrame, type WsFrame } from './ws-cases.js';

export interface WsFuzzOptions {
  websocketUrl: string;
  rng: Random;
  /** Random frames in total, spread over sessions. */
  frames: number;
  framesPerSession: number;
  /** Sessions (sockets) at once. */
  concurrency: number;
  /** Binds in each of the two floods (valid, forged). */
  floodBinds: number;
  validToken: string;
  timeoutMs: number;
  deadlineMs: number;
  keepViolations?: number;
}

export interface WsFuzzStats {
  /** Frames sent (random, oversize and flood). */
  frames: number;
  sessions: number;
  repliesReceived: number;
  violations: Violation[];
  violationCount: number;
  elapsedMs: number;
}

const REPLY_TYPES = ['Bundle', 'OperationOutcome'];

export async function runWsFuzz(options: WsFuzzOptions): Promise<WsFuzzStats> {
  const stats: WsFuzzStats = { frames: 0, sessions: 0, repliesReceived: 0, violations: [], violationCount: 0, elapsedMs: 0 };
  const started = Date.now();
  const keep = options.keepViolations ?? 50;
  const fail = (index: number, label: string, problem: string) => record(stats, { index, label: `ws: ${label}`, problem }, keep);
  let planned = 0;
  let sessionIndex = 0;
  const nextSession = (): { index: number; frames: WsFrame[]; oversize?: WsFrame } | undefined => {
    if (planned >= options.frames || Date.now() - started > options.deadlineMs) return undefined;
    const count = Math.min(options.framesPerSession, options.frames - planned);
    planned += count;
    const frames = Array.from({ length: count }, () => generateWsFrame(options.rng, options.validToken));
    return { index: sessionIndex++, frames, ...(options.rng.chance(0.15) ? { oversize: oversizeFrame(options.rng) } : {}) };
  };
  const worker = async (): Promise<void> => {
    for (let session = nextSession(); session; session = nextSession()) {
      await runSession(options, session.frames, session.oversize, stats, (label, problem) => fail(session!.index, label, problem));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const flood = (form: 'valid' | 'forged') =>
    Array.from({ length: options.floodBinds }, (_, i): WsFrame => ({
      kind: 'text',
      text: bindText((['space', 'colon', 'json'] as const)[i % 3]!, form === 'valid' ? options.validToken : `${options.validToken.slice(0, -2)}${i}`),
      label: `${form} bind flood`,
    }));
  await runSession(options, flood('valid'), undefined, stats, (label, problem) => fail(-1, label, problem));
  await runSession(options, flood('forged'), undefined, stats, (label, problem) => fail(-2, label, problem));
  stats.elapsedMs = Date.now() - started;
  return stats;
}

async function runSession(options: WsFuzzOptions, frames: WsFrame[], oversize: WsFrame | undefined, stats: WsFuzzStats, fail: (label: string, problem: string) => void): Promise<void> {
  stats.sessions++;
  const socket = await open(options.websocketUrl, options.timeoutMs);
  if (typeof socket === 'string') return fail('connect', socket);
  try {
    const replies = collectReplies(socket, fail);
    for (const frame of frames) send(socket, frame);
    stats.frames += frames.length;
    const got = await replies.waitFor(frames.length, options.timeoutMs);
    stats.repliesReceived += got;
    if (got !== frames.length) fail(describeSession(frames), `${frames.length} frame(s) sent, ${got} repl${got === 1 ? 'y' : 'ies'} within ${options.timeoutMs} ms (expected one each)`);
    if (oversize) {
      stats.frames++;
      send(socket, oversize);
      const code = await closeCode(socket, options.timeoutMs);
      if (code !== 1009) fail(oversize.label, `expected the server to close with 1009 (message too big), got ${code ?? 'no close'}`);
    }
  } finally {
    socket.terminate();
  }
}

function open(url: string, timeoutMs: number): Promise<WebSocket | string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.terminate();
      resolve(`no websocket upgrade within ${timeoutMs} ms`);
    }, timeoutMs);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve(`connect failed: ${error.message}`);
    });
  });
}

function send(socket: WebSocket, frame: WsFrame): void {
  if (frame.kind === 'text') socket.send(frame.text);
  else socket.send(frame.bytes, { binary: true });
}

/** Counts the server's frames and checks each is FHIR JSON of an expected type. */
function collectReplies(socket: WebSocket, fail: (label: string, problem: string) => void): { waitFor(count: number, timeoutMs: number): Promise<number> } {
  let count = 0;
  let wake: (() => void) | undefined;
  socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
    count++;
    const problem = replyProblem(data, isBinary);
    if (problem) fail('server frame', problem);
    wake?.();
  });
  socket.on('close', () => wake?.());
  return {
    waitFor: (expected, timeoutMs) =>
      new Promise((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve(count);
        };
        const timer = setTimeout(finish, timeoutMs);
        wake = () => {
          if (count >= expected || socket.readyState !== WebSocket.OPEN) finish();
        };
        wake();
      }),
  };
}

function replyProblem(data: WebSocket.RawData, isBinary: boolean): string | undefined {
  if (isBinary) return 'the server sent a binary frame';
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
  try {
    const type = (JSON.parse(text) as { resourceType?: unknown }).resourceType;
    return REPLY_TYPES.includes(String(type)) ? undefined : `the server sent a ${String(type)} frame: ${text.slice(0, 120)}`;
  } catch {
    return `the server sent a frame that is not JSON: ${text.slice(0, 120)}`;
  }
}

function closeCode(socket: WebSocket, timeoutMs: number): Promise<number | undefined> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    socket.once('close', (code: number) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function describeSession(frames: WsFrame[]): string {
  const kinds = [...new Set(frames.map((f) => f.label))];
  return `session of ${frames.length} frame(s): ${kinds.join(', ')}`;
}
