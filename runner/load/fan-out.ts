/**
 * Fan-out under load (issue 14, "At scale"): with every load client's socket still bound, one
 * triggering create is sent, and each socket waits for its event-notification. Measured: the time
 * from sending the create to each socket's notification (p50/p95/max) and how many sockets got
 * none within the window.
 *
 * What is bound: the load run's sockets as they are — N sockets spread round-robin over the load
 * pool (up to 10 Subscriptions on the run's topic, or the caller's Subscriptions), so one create is
 * one event per Subscription, delivered to about N / (pool size) sockets each. A socket counts as
 * notified on the first event-notification frame for any Subscription after the create was sent.
 *
 * The times include the harness's own work (all N sockets live in this one process; a frame is
 * stamped when its message event runs), so on a busy machine they are an upper bound.
 */
import type { HttpClient } from '../net/http-client.js';
import type { Frame, WsClient } from '../net/ws-client.js';
import { normalizeNotification } from '../notifications/normalize.js';
import type { FhirVersion } from '../scenario/model.js';
import { percentile } from './latency-summary.js';
import { generalise } from './load-token.js';

export interface FanOutOptions {
  /** The resource whose create fires the topic (the run's trigger, e.g. a Patient). */
  resource: Record<string, unknown>;
  fhirVersion: FhirVersion;
  /** From sending the create: how long every socket may take to get its notification. */
  windowMs: number;
}

export interface FanOutLatency {
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export interface FanOutResult {
  /** Bound sockets waiting for the notification. */
  sockets: number;
  /** Subscriptions those sockets were bound to (each gets one event from the create). */
  subscriptions: number;
  notified: number;
  /** Sockets with no event-notification within the window (closed ones included). */
  lost: number;
  /** Of the lost, those the server closed before a notification came. */
  closed: number;
  /** From sending the create to each notified socket's notification. */
  latencyMs: FanOutLatency;
  windowMs: number;
  /**
   * The triggering create: its HTTP status, or why it failed (then nothing is waited for), and when
   * its answer came (a server that notifies before answering shows its dispatch time here).
   */
  trigger: { resourceType: string; status?: number; error?: string; answeredMs?: number };
}

export interface BoundSocket {
  socket: WsClient;
  subscriptionId: string;
}

export async function measureFanOut(bound: readonly BoundSocket[], http: HttpClient, options: FanOutOptions): Promise<FanOutResult> {
  const resourceType = String(options.resource.resourceType ?? '');
  const subscriptions = new Set(bound.map((b) => b.subscriptionId)).size;
  for (const { socket } of bound) socket.markSend(); // only frames from here on count
  const sentAt = Date.now();
  const created = await http.request({ method: 'POST', path: encodeURIComponent(resourceType), body: options.resource });
  const status = created.ok ? created.status : undefined;
  const answeredMs = Date.now() - sentAt;
  if (!created.ok || (status ?? 500) >= 300) {
    const error = created.ok ? `POST ${resourceType} → HTTP ${status}` : `POST ${resourceType} → ${generalise(created.error ?? 'no response')}`;
    return { ...nothingMeasured(bound.length, subscriptions, options.windowMs), trigger: { resourceType, ...(status !== undefined ? { status } : {}), error } };
  }
  const isEvent = (frame: Frame) => normalizeNotification(frame.json, { fhirVersion: options.fhirVersion })?.type === 'event-notification';
  const left = Math.max(0, options.windowMs - (Date.now() - sentAt));
  const waits = await Promise.all(bound.map(({ socket }) => socket.waitFor(isEvent, { withinMs: left, since: 'last-send' })));
  const latencies = waits.flatMap((wait) => (wait.matched[0] ? [Math.max(0, wait.matched[0].at - sentAt)] : []));
  return {
    sockets: bound.length,
    subscriptions,
    notified: latencies.length,
    lost: bound.length - latencies.length,
    closed: waits.filter((wait) => !wait.met && wait.closed).length,
    latencyMs: summarise(latencies),
    windowMs: options.windowMs,
    trigger: { resourceType, ...(status !== undefined ? { status } : {}), answeredMs },
  };
}

function nothingMeasured(sockets: number, subscriptions: number, windowMs: number): Omit<FanOutResult, 'trigger'> {
  return { sockets, subscriptions, notified: 0, lost: 0, closed: 0, latencyMs: summarise([]), windowMs };
}

function summarise(samples: number[]): FanOutLatency {
  if (samples.length === 0) return { p50: null, p95: null, max: null };
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: percentile(sorted, 100) };
}
