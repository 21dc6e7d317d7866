/**
 * Evidence: every HTTP exchange and websocket frame, with timestamps, in the order seen.
 * Entries are stored already redacted (see redact.ts): nothing secret is ever kept in memory
 * longer than the call that used it, so no reporter can leak it.
 */

export interface HttpExchangeEntry {
  kind: 'http';
  /** Sequence number within the scenario transcript (1-based). */
  seq: number;
  step?: number;
  startedAt: string; // ISO instant, ms precision
  durationMs: number;
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string; // text, truncated to a limit with a marker
  };
  /** Absent when no response came (timeout, refused, reset). */
  response?: {
    status: number;
    headers: Record<string, string>;
    body?: string;
    bodyTruncated?: boolean;
  };
  /** Network-level failure in words, e.g. "timed out after 10000 ms", "ECONNREFUSED". */
  error?: string;
}

export type WsDirection = 'sent' | 'received';

export interface WsEventEntry {
  kind: 'ws';
  seq: number;
  step?: number;
  at: string; // ISO instant
  /** Name of the socket within the scenario ("ws1"). */
  socket: string;
  event: 'open' | 'frame' | 'close' | 'error' | 'connect-failed';
  direction?: WsDirection;
  url?: string; // on open / connect-failed
  data?: string; // text frame (redacted, truncated), or "<binary N bytes>"
  binary?: boolean;
  closeCode?: number;
  closeReason?: string;
  error?: string;
}

export interface NoteEntry {
  kind: 'note';
  seq: number;
  step?: number;
  at: string;
  text: string;
}

export type TranscriptEntry = HttpExchangeEntry | WsEventEntry | NoteEntry;
