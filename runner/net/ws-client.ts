/**
 * A websocket client for the server under test: every received frame is buffered with its arrival
 * time and index, and waits are "eventually within T": they resolve the moment the expectation is
 * met (no polling), and on timeout report everything that did arrive. Nothing here throws because of
 * what the server does; every wait is bounded and every timer cleared.
 */
import WebSocket, { type RawData } from 'ws';
import type { IncomingMessage } from 'node:http';
import { parseServerJson } from '../checks/json-depth.js';
import { FirstAndLatest } from '../evidence/first-and-latest.js';
import type { Transcript } from '../evidence/transcript.js';
import { describeNetworkError } from './network-errors.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
/**
 * Frames kept per socket, in bytes (each frame also counts FRAME_OVERHEAD_BYTES, so a flood of tiny
 * frames is bounded too): the first half and the latest half; a flood in between is counted, not
 * kept (first-and-latest.ts).
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const FRAME_OVERHEAD_BYTES = 256;
/** Matching frames a wait keeps beyond its count (the rest are counted): enough to show "more than N". */
const EXTRA_MATCHES_KEPT = 10;
/** How long close() waits for the server's close frame before cutting the connection. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 1_000;

export interface Frame {
  /** 0-based position among all frames received on this socket (dropped ones included). */
  index: number;
  /** Arrival, epoch ms. */
  at: number;
  text?: string;
  binary?: boolean;
  /** Size in bytes as received. */
  bytes: number;
  json?: unknown;
  /** Why a text frame is not JSON. */
  jsonError?: string;
}

export interface CloseInfo {
  code: number;
  reason: string;
  at: number;
  /** true when this client asked for the close (close() or terminate()). */
  byClient: boolean;
}

export interface WsConnectOptions {
  /** The socket's name in the scenario and transcript ("ws1"). */
  name: string;
  timeoutMs?: number;
  transcript?: Transcript;
  headers?: Record<string, string>;
  maxPayload?: number;
  maxBufferedBytes?: number;
  closeTimeoutMs?: number;
}

/** Which buffered frames count: all since the socket opened, since the last send, or only those still to come. */
export type Since = 'open' | 'last-send' | 'now';

export interface WaitForOptions {
  /** At least this many matching frames (default 1). */
  count?: number;
  withinMs: number;
  /** Which frames count: all since the socket opened, or since the last send (default). */
  since?: Since;
  /** Keep collecting until the window ends even once met (to check "exactly N"). */
  fullWindow?: boolean;
}

export interface WaitResult {
  met: boolean;
  /** The first matching frames (count + a few); matchedCount says how many matched in all. */
  matched: Frame[];
  matchedCount: number;
  /** Every frame received in the window, for "expected …, but received [listing]". */
  all: Frame[];
  elapsedMs: number;
  /** Set when the socket closed during the wait (a wait ends early then: nothing more can arrive). */
  closed?: CloseInfo;
}

export interface ExpectNoneOptions {
  forMs: number;
  since?: Since;
}

export interface ExpectNoneResult {
  /** No matching frame arrived in the window. */
  ok: boolean;
  offending: Frame[];
  all: Frame[];
  elapsedMs: number;
  closed?: CloseInfo;
}

export interface CloseWaitResult {
  closed: boolean;
  info?: CloseInfo;
  elapsedMs: number;
}

export interface SendResult {
  sent: boolean;
  error?: string;
}

export type ConnectResult = { client: WsClient; error?: undefined } | { client?: undefined; error: string };

export class WsClient {
  readonly name: string;
  readonly url: string;
  /** Errors reported by the socket after it opened (protocol errors, oversized frames…). */
  readonly errors: string[] = [];
  private readonly socket: WebSocket;
  private readonly transcript?: Transcript;
  private readonly maxBufferedBytes: number;
  private readonly closeTimeoutMs: number;
  private readonly buffer: FirstAndLatest<Frame>;
  private readonly frameListeners = new Set<(frame: Frame) => void>();
  private readonly closeListeners = new Set<(info: CloseInfo) => void>();
  private nextIndex = 0;
  private lastSendIndex = 0;
  private closeInfo: CloseInfo | undefined;
  private closeRequested = false;
  private everOpened = false;

  /**
   * Open a socket. Never throws: an invalid URL, a refused connection, an HTTP answer other than
   * 101, or no answer within timeoutMs all come back as `error` (and a 'connect-failed' entry).
   */
  static connect(url: string, options: WsConnectOptions): Promise<ConnectResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, { headers: options.headers, maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD_BYTES });
    } catch (error) {
      const reason = `invalid websocket URL: ${error instanceof Error ? error.message : String(error)}`;
      options.transcript?.recordWs({ socket: options.name, event: 'connect-failed', url, error: reason });
      return Promise.resolve({ error: reason });
    }
    const client = new WsClient(url, socket, options);
    return client.opened(timeoutMs);
  }

  private constructor(url: string, socket: WebSocket, options: WsConnectOptions) {
    this.name = options.name;
    this.url = url;
    this.socket = socket;
    this.transcript = options.transcript;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.buffer = new FirstAndLatest<Frame>(this.maxBufferedBytes);
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', (code, reason) => this.onClose(code, reason.toString('utf8')));
  }

  private opened(timeoutMs: number): Promise<ConnectResult> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: ConnectResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (result.error !== undefined) {
          this.record({ event: 'connect-failed', url: this.url, error: result.error });
          if (this.socket.readyState !== WebSocket.CLOSED) this.socket.terminate();
        } else {
          this.everOpened = true;
          this.record({ event: 'open', url: this.url });
        }
        resolve(result);
      };
      const timer = setTimeout(() => settle({ error: `timed out after ${timeoutMs} ms waiting for the websocket upgrade (HTTP 101)` }), timeoutMs);
      this.socket.on('error', (error) => {
        // After a failed connect, ws reports the abort we caused: that is not news.
        if (!settled) settle({ error: describeNetworkError(error) });
        else if (this.everOpened) this.onSocketError(error);
      });
      this.socket.on('unexpected-response', (_request, response: IncomingMessage) => {
        const status = `${response.statusCode ?? '?'}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
        response.resume(); // drain, so the connection is not held open by an unread body
        settle({ error: `the server answered HTTP ${status} instead of 101 Switching Protocols` });
      });
      this.socket.on('open', () => settle({ client: this }));
      this.socket.on('close', () => settle({ error: 'the connection closed before the websocket opened' }));
    });
  }

  /** What the socket reported when it closed; undefined while open. */
  get closed(): CloseInfo | undefined {
    return this.closeInfo;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Frames received and dropped from the buffer because more than maxBufferedBytes arrived. */
  get droppedFrames(): number {
    return this.buffer.dropped.count;
  }

  /** Buffered frames since the socket opened, or since the last send. */
  frames(since: Since = 'open'): Frame[] {
    const from = this.sinceIndex(since);
    return this.buffer.items().filter((frame) => frame.index >= from);
  }

  send(text: string): SendResult {
    return this.transmit(text, { event: 'frame', direction: 'sent', data: text });
  }

  sendBinary(data: Uint8Array): SendResult {
    return this.transmit(data, { event: 'frame', direction: 'sent', data: `<binary ${data.byteLength} bytes>`, binary: true });
  }

  /** Frames received from now on count as "since last send" (send() does this itself). */
  markSend(): void {
    this.lastSendIndex = this.nextIndex;
  }

  /** Resolves as soon as `count` frames satisfy the predicate, or when the window ends or the socket closes. */
  waitFor(predicate: (frame: Frame) => boolean, options: WaitForOptions): Promise<WaitResult> {
    const count = options.count ?? 1;
    const from = this.sinceIndex(options.since ?? 'last-send');
    const matched: Frame[] = [];
    let matchedCount = 0;
    return this.watch<WaitResult>(options.withinMs, (frame) => {
      if (frame.index < from || !safely(predicate, frame)) return false;
      if (matchedCount++ < count + EXTRA_MATCHES_KEPT) matched.push(frame);
      return matchedCount >= count && !options.fullWindow;
    }, (elapsedMs) => ({
      met: matchedCount >= count,
      matched: [...matched],
      matchedCount,
      all: this.frames().filter((frame) => frame.index >= from),
      elapsedMs,
      ...this.closedField(),
    }));
  }

  /** No frame satisfying the predicate for the whole window; resolves early on the first offender. */
  expectNone(predicate: (frame: Frame) => boolean, options: ExpectNoneOptions): Promise<ExpectNoneResult> {
    const from = this.sinceIndex(options.since ?? 'last-send');
    const offending: Frame[] = [];
    return this.watch<ExpectNoneResult>(options.forMs, (frame) => {
      if (frame.index >= from && safely(predicate, frame)) offending.push(frame);
      return offending.length > 0;
    }, (elapsedMs) => ({
      ok: offending.length === 0,
      offending: [...offending],
      all: this.frames().filter((frame) => frame.index >= from),
      elapsedMs,
      ...this.closedField(),
    }));
  }

  waitForClose(withinMs: number): Promise<CloseWaitResult> {
    return this.watch<CloseWaitResult>(withinMs, () => false, (elapsedMs) => ({
      closed: this.closeInfo !== undefined,
      ...(this.closeInfo ? { info: this.closeInfo } : {}),
      elapsedMs,
    }));
  }

  /** Polite close; cut the connection if the server does not answer within `withinMs` (default closeTimeoutMs). */
  async close(code = 1000, reason = '', withinMs = this.closeTimeoutMs): Promise<CloseInfo | undefined> {
    if (this.closeInfo) return this.closeInfo;
    this.closeRequested = true;
    try {
      this.socket.close(code, reason);
    } catch (error) {
      this.onSocketError(error);
      this.socket.terminate();
    }
    const result = await this.waitForClose(withinMs);
    if (!result.closed) {
      this.socket.terminate();
      return (await this.waitForClose(this.closeTimeoutMs)).info;
    }
    return result.info;
  }

  /** Cut the connection at once, without a close handshake. */
  terminate(): void {
    this.closeRequested = true;
    this.socket.terminate();
  }

  /**
   * The one waiting primitive: replays buffered frames to `onFrame`, then listens; finishes when
   * onFrame returns true, the socket closes, or the window ends. Listeners and timer are removed.
   */
  private watch<T>(windowMs: number, onFrame: (frame: Frame) => boolean, result: (elapsedMs: number) => T): Promise<T> {
    const started = Date.now();
    return new Promise<T>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(timer);
        this.frameListeners.delete(frameListener);
        this.closeListeners.delete(finish);
        resolve(result(Date.now() - started));
      };
      const frameListener = (frame: Frame): void => {
        if (onFrame(frame)) finish();
      };
      for (const frame of this.buffer.items()) if (onFrame(frame)) return finish();
      if (this.closeInfo) return finish();
      this.frameListeners.add(frameListener);
      this.closeListeners.add(finish);
      timer = setTimeout(finish, Math.max(0, windowMs));
    });
  }

  private transmit(data: string | Uint8Array, entry: { event: 'frame'; direction: 'sent'; data: string; binary?: boolean }): SendResult {
    if (this.socket.readyState !== WebSocket.OPEN) {
      const error = `not sent: the socket is ${stateName(this.socket.readyState)}`;
      this.record({ ...entry, error });
      return { sent: false, error };
    }
    this.markSend();
    this.record(entry);
    this.socket.send(data, (error) => {
      if (error) this.onSocketError(error);
    });
    return { sent: true };
  }

  private receive(data: RawData, isBinary: boolean): void {
    const bytes = rawBytes(data);
    const frame: Frame = { index: this.nextIndex++, at: Date.now(), bytes: bytes.byteLength };
    if (isBinary) {
      frame.binary = true;
      this.record({ event: 'frame', direction: 'received', data: `<binary ${bytes.byteLength} bytes>`, binary: true });
    } else {
      frame.text = bytes.toString('utf8');
      Object.assign(frame, parseJson(frame.text));
      this.record({ event: 'frame', direction: 'received', data: frame.text });
    }
    this.keep(frame);
    for (const listener of [...this.frameListeners]) listener(frame);
  }

  private keep(frame: Frame): void {
    const dropped = this.buffer.add(frame, frame.bytes + FRAME_OVERHEAD_BYTES);
    if (dropped.length > 0 && this.buffer.dropped.count === dropped.length) {
      this.transcript?.note(
        `${this.name}: more than ${this.maxBufferedBytes} bytes of frames received; the first ${this.buffer.firstCount} frames and the latest are kept, ` +
          `frames from #${dropped[0]!.index} on are dropped as newer ones arrive`,
      );
    }
  }

  private onClose(code: number, reason: string): void {
    if (this.closeInfo) return;
    this.closeInfo = { code, reason, at: Date.now(), byClient: this.closeRequested };
    if (this.everOpened) this.record({ event: 'close', closeCode: code, closeReason: reason });
    for (const listener of [...this.closeListeners]) listener(this.closeInfo);
  }

  private onSocketError(error: unknown): void {
    const text = describeNetworkError(error);
    this.errors.push(text);
    this.record({ event: 'error', error: text });
  }

  private sinceIndex(since: Since): number {
    if (since === 'now') return this.nextIndex;
    return since === 'open' ? 0 : this.lastSendIndex;
  }

  private closedField(): { closed?: CloseInfo } {
    return this.closeInfo ? { closed: this.closeInfo } : {};
  }

  private record(entry: {
    event: 'open' | 'frame' | 'close' | 'error' | 'connect-failed';
    direction?: 'sent' | 'received';
    url?: string;
    data?: string;
    binary?: boolean;
    closeCode?: number;
    closeReason?: string;
    error?: string;
  }): void {
    this.transcript?.recordWs({ socket: this.name, ...entry });
  }
}

/** A predicate that throws (a bug in a matcher) counts as "no match" rather than crashing the wait. */
function safely(predicate: (frame: Frame) => boolean, frame: Frame): boolean {
  try {
    return predicate(frame) === true;
  } catch {
    return false;
  }
}

function parseJson(text: string): { json?: unknown; jsonError?: string } {
  const parsed = parseServerJson(text);
  return parsed.error === undefined ? { json: parsed.json } : { jsonError: parsed.error };
}

function rawBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function stateName(state: number): string {
  return ['connecting', 'open', 'closing', 'closed'][state] ?? `in state ${state}`;
}
