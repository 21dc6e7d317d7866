/**
 * Timing as measurement, not only a verdict (FIELD.md): from every scenario's transcript, how long
 * the server took to answer a bind with its handshake, to deliver an event after the resource that
 * triggered it was created, and how far apart its heartbeats were. Derived after the fact from the
 * recorded evidence, so measuring costs the run nothing and every number can be traced to frames.
 */
import { normalizeNotification, type NotificationType } from '../notifications/normalize.js';
import { isBindMessage } from '../protocol/bind-message.js';
import type { ScenarioResult } from './results-types.js';
import type { HttpExchangeEntry, TranscriptEntry, WsEventEntry } from '../evidence/transcript-types.js';

export interface TimingSummary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export interface RunTiming {
  /** A bind frame sent → the first handshake received on that socket. */
  handshakeMs?: TimingSummary;
  /** The triggering create sent (answered 201) → the first event notification on a socket of that scenario. */
  eventNotificationMs?: TimingSummary;
  /** Between consecutive heartbeats on one socket. */
  heartbeatIntervalMs?: TimingSummary;
}

export function measureTiming(scenarios: readonly ScenarioResult[]): RunTiming {
  const samples = { handshake: [] as number[], event: [] as number[], heartbeat: [] as number[] };
  for (const scenario of scenarios) {
    const frames = receivedNotifications(scenario.transcript);
    samples.handshake.push(...handshakeLatencies(scenario.transcript, frames));
    samples.event.push(...eventLatencies(scenario.transcript, frames));
    samples.heartbeat.push(...heartbeatIntervals(frames));
  }
  return {
    ...summaryOf('handshakeMs', samples.handshake),
    ...summaryOf('eventNotificationMs', samples.event),
    ...summaryOf('heartbeatIntervalMs', samples.heartbeat),
  };
}

interface ReceivedNotification { socket: string; at: number; type: NotificationType | string }

function receivedNotifications(transcript: readonly TranscriptEntry[]): ReceivedNotification[] {
  return transcript.flatMap((entry) => {
    if (!isReceivedFrame(entry)) return [];
    const view = normalizeNotification(parseJson(entry.data ?? ''));
    return view ? [{ socket: entry.socket, at: Date.parse(entry.at), type: view.type }] : [];
  });
}

function handshakeLatencies(transcript: readonly TranscriptEntry[], frames: readonly ReceivedNotification[]): number[] {
  return transcript.filter(isBindFrame).flatMap((bind) => {
    const sentAt = Date.parse(bind.at);
    const answer = frames.find((f) => f.socket === bind.socket && f.type === 'handshake' && f.at >= sentAt);
    return answer ? [answer.at - sentAt] : [];
  });
}

function eventLatencies(transcript: readonly TranscriptEntry[], frames: readonly ReceivedNotification[]): number[] {
  return transcript.filter(isTriggeringCreate).flatMap((create) => {
    // from the request, not its answer: a server may notify before it has finished answering
    const sentAt = Date.parse(create.startedAt);
    const event = frames.find((f) => f.type === 'event-notification' && f.at >= sentAt);
    return event ? [event.at - sentAt] : [];
  });
}

function heartbeatIntervals(frames: readonly ReceivedNotification[]): number[] {
  const last = new Map<string, number>();
  const intervals: number[] = [];
  for (const frame of frames.filter((f) => f.type === 'heartbeat')) {
    const previous = last.get(frame.socket);
    if (previous !== undefined) intervals.push(frame.at - previous);
    last.set(frame.socket, frame.at);
  }
  return intervals;
}

function isReceivedFrame(entry: TranscriptEntry): entry is WsEventEntry {
  return entry.kind === 'ws' && entry.event === 'frame' && entry.direction === 'received' && !entry.binary;
}

/** bind-with-token in any of the three forms (protocol/bind-message.ts). */
function isBindFrame(entry: TranscriptEntry): entry is WsEventEntry {
  if (entry.kind !== 'ws' || entry.event !== 'frame' || entry.direction !== 'sent' || !entry.data) return false;
  return isBindMessage(entry.data);
}

/** A resource created (201) other than a Subscription: what the suite creates to fire a topic. */
function isTriggeringCreate(entry: TranscriptEntry): entry is HttpExchangeEntry {
  if (entry.kind !== 'http' || entry.request.method !== 'POST' || entry.response?.status !== 201) return false;
  const path = new URL(entry.request.url, 'http://x').pathname;
  const last = path.split('/').filter(Boolean).at(-1) ?? '';
  return last !== 'Subscription' && !last.startsWith('$');
}

function summaryOf<K extends keyof RunTiming>(key: K, values: number[]): Partial<RunTiming> {
  if (values.length === 0) return {};
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { [key]: { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! } } as Partial<RunTiming>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
