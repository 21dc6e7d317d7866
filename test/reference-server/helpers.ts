/**
 * Helpers for the reference-server tests: real sockets on port 0, bounded waits.
 */
import { WebSocket } from 'ws';
import { startReferenceServer, type ReferenceServer } from '../../reference-server/src/server.js';
import type { ReferenceServerOptions } from '../../reference-server/src/options.js';
import type { FhirVersion } from '../../reference-server/src/fhir-version.js';
import { PATIENT_CREATE_TOPIC } from '../../reference-server/src/topics.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const TOPIC = PATIENT_CREATE_TOPIC.url;
const CHANNEL_SYSTEM = 'http://terminology.hl7.org/CodeSystem/subscription-channel-type';
const BACKPORT_SD = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export function start(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  return startReferenceServer({ port: 0, ...options });
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: Json | undefined;
}

export async function http(
  server: { url: string },
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const body: string | Buffer | undefined =
    init.body === undefined ? undefined : typeof init.body === 'string' || Buffer.isBuffer(init.body) ? init.body : JSON.stringify(init.body);
  const headers = { ...(body !== undefined ? { 'Content-Type': 'application/fhir+json' } : {}), ...init.headers };
  const response = await fetch(path.startsWith('http') ? path : `${server.url}/${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : new Uint8Array(body) } : {}),
    signal: AbortSignal.timeout(init.timeoutMs ?? 5_000),
  });
  const text = await response.text();
  let json: Json | undefined;
  try {
    json = text ? (JSON.parse(text) as Json) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export interface SubscriptionShape {
  channel?: 'websocket' | 'rest-hook';
  content?: 'empty' | 'id-only' | 'full-resource';
  heartbeatPeriod?: number;
  topic?: string;
  contentType?: string;
}

export function subscriptionResource(version: FhirVersion, shape: SubscriptionShape = {}): Json {
  const channel = shape.channel ?? 'websocket';
  const content = shape.content ?? 'id-only';
  const topic = shape.topic ?? TOPIC;
  const endpoint = channel === 'rest-hook' ? { endpoint: 'http://127.0.0.1:9/hook' } : {};
  if (version === 'R5') {
    return {
      resourceType: 'Subscription',
      status: 'requested',
      topic,
      channelType: { system: CHANNEL_SYSTEM, code: channel },
      ...endpoint,
      content,
      contentType: shape.contentType ?? 'application/fhir+json',
      ...(shape.heartbeatPeriod ? { heartbeatPeriod: shape.heartbeatPeriod } : {}),
    };
  }
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'test',
    criteria: topic,
    channel: {
      ...(shape.heartbeatPeriod ? { extension: [{ url: `${BACKPORT_SD}/backport-heartbeat-period`, valueUnsignedInt: shape.heartbeatPeriod }] } : {}),
      type: channel,
      ...endpoint,
      payload: shape.contentType ?? 'application/fhir+json',
      _payload: { extension: [{ url: `${BACKPORT_SD}/backport-payload-content`, valueCode: content }] },
    },
  };
}

export async function createSubscription(server: ReferenceServer, shape: SubscriptionShape = {}): Promise<string> {
  const created = await http(server, 'POST', 'Subscription', { body: subscriptionResource(server.options.fhirVersion, shape) });
  if (created.status !== 201) throw new Error(`create Subscription: ${created.status} ${created.text}`);
  return String(created.json!.id);
}

export interface Token {
  token: string;
  expiration: string;
  websocketUrl: string;
  subscriptions: string[];
  parameters: Json;
}

export function tokenFrom(parameters: Json): Token {
  const values = (name: string): unknown[] =>
    (parameters.parameter as Json[]).filter((p) => p.name === name).map((p) => p.valueString ?? p.valueUrl ?? p.valueDateTime ?? p.valueCode);
  return {
    token: String(values('token')[0]),
    expiration: String(values('expiration')[0]),
    websocketUrl: String(values('websocket-url')[0]),
    subscriptions: values('subscription').map(String),
    parameters,
  };
}

export async function getToken(server: ReferenceServer, ids: string[], level: 'instance' | 'type' = ids.length === 1 ? 'instance' : 'type'): Promise<Token> {
  const result =
    level === 'instance'
      ? await http(server, 'POST', `Subscription/${ids[0]}/$get-ws-binding-token`)
      : await http(server, 'POST', 'Subscription/$get-ws-binding-token', { body: idParameters(ids) });
  if (result.status !== 200) throw new Error(`$get-ws-binding-token: ${result.status} ${result.text}`);
  return tokenFrom(result.json!);
}

export function idParameters(ids: string[]): Json {
  return { resourceType: 'Parameters', parameter: ids.map((id) => ({ name: 'id', valueId: id })) };
}

export async function createPatient(server: ReferenceServer): Promise<string> {
  const created = await http(server, 'POST', 'Patient', { body: { resourceType: 'Patient', name: [{ family: 'Test' }] } });
  if (created.status !== 201) throw new Error(`create Patient: ${created.status} ${created.text}`);
  return String(created.json!.id);
}

/** A client socket that keeps every frame, with "eventually within T" waits. */
export class TestSocket {
  readonly frames: Array<Json | string> = [];
  closed: { code: number } | undefined;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      try {
        this.frames.push(JSON.parse(text) as Json);
      } catch {
        this.frames.push(text);
      }
      this.wake();
    });
    ws.on('close', (code) => {
      this.closed = { code };
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static open(url: string): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const socket = new TestSocket(ws);
      const timer = setTimeout(() => reject(new Error(`websocket ${url} did not open within 3 s`)), 3_000);
      ws.once('open', () => (clearTimeout(timer), resolve(socket)));
      ws.once('error', (error) => (clearTimeout(timer), reject(error)));
    });
  }

  send(text: string): void {
    this.ws.send(text);
  }

  bind(token: string, form: 'space' | 'colon' | 'json' = 'space'): void {
    if (form === 'json') this.send(JSON.stringify({ type: 'bind-with-token', payload: { token } }));
    else this.send(form === 'colon' ? `bind-with-token: ${token}` : `bind-with-token ${token}`);
  }

  /** Resolves as soon as `count` frames after index `from` match; on timeout lists what came. */
  async waitFor(match: (frame: Json | string) => boolean, options: { count?: number; from?: number; within?: number } = {}): Promise<Array<Json | string>> {
    const { count = 1, from = 0, within = 3_000 } = options;
    const deadline = Date.now() + within;
    for (;;) {
      const matching = this.frames.slice(from).filter(match);
      if (matching.length >= count) return matching;
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) {
        throw new Error(`expected ${count} matching frame(s) within ${within} ms, got ${matching.length}; frames: ${JSON.stringify(this.frames.slice(from)).slice(0, 1500)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  /** Frames that arrive within `ms` after index `from` (waits the whole window). */
  async collect(ms: number, from = this.frames.length): Promise<Array<Json | string>> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.frames.slice(from);
  }

  waitForClose(within = 3_000): Promise<{ code: number }> {
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve(this.closed);
      const timer = setTimeout(() => reject(new Error(`socket not closed within ${within} ms`)), within);
      this.ws.once('close', (code) => (clearTimeout(timer), resolve({ code })));
    });
  }

  close(): void {
    this.ws.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** The status facts of a notification bundle, whatever the version's shape. */
export interface StatusFacts {
  type: string;
  subscription: string;
  eventsSinceSubscriptionStart: string;
  eventNumbers: string[];
  focus: string[];
  topic: string;
}

export function statusOf(frame: Json | string): StatusFacts | undefined {
  if (typeof frame === 'string' || frame.resourceType !== 'Bundle') return undefined;
  const status = frame.entry?.[0]?.resource as Json | undefined;
  if (!status) return undefined;
  if (status.resourceType === 'Parameters') {
    const parameter = (name: string): Json | undefined => (status.parameter as Json[]).find((p) => p.name === name);
    const events = (status.parameter as Json[]).filter((p) => p.name === 'notification-event');
    const part = (event: Json, name: string): Json | undefined => (event.part as Json[]).find((p) => p.name === name);
    return {
      type: parameter('type')?.valueCode,
      subscription: parameter('subscription')?.valueReference?.reference,
      eventsSinceSubscriptionStart: parameter('events-since-subscription-start')?.valueString,
      eventNumbers: events.map((event) => part(event, 'event-number')?.valueString),
      focus: events.map((event) => part(event, 'focus')?.valueReference?.reference).filter(Boolean),
      topic: parameter('topic')?.valueCanonical,
    };
  }
  const events = (status.notificationEvent ?? []) as Json[];
  return {
    type: status.type,
    subscription: status.subscription?.reference,
    eventsSinceSubscriptionStart: status.eventsSinceSubscriptionStart,
    eventNumbers: events.map((event) => event.eventNumber),
    focus: events.map((event) => event.focus?.reference).filter(Boolean),
    topic: status.topic,
  };
}

export function isNotification(type: string, subscriptionId?: string): (frame: Json | string) => boolean {
  return (frame) => {
    const status = statusOf(frame);
    return status?.type === type && (subscriptionId === undefined || status.subscription === `Subscription/${subscriptionId}`);
  };
}

export function isOutcome(frame: Json | string): boolean {
  return typeof frame !== 'string' && frame.resourceType === 'OperationOutcome';
}
