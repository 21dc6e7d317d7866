/**
 * The reference server under abuse (issue 11 items 17–19), each part against
 * a fresh server in its own process (so RSS is its own):
 *  1. slow consumers: 30 sockets bound to a full-resource Subscription each stop reading; 40 Patients
 *     of 0.9 MB are created; the server's peak RSS (goal ≤ 300 MB);
 *  2. bind latency (bind → handshake, sequential re-binds on one socket) with 1 live token, then with
 *     60,000 (goal: within 2×); and 2,000 unknown-token binds sent at once, with the time a metadata
 *     request sent behind them takes;
 *  3. POST Patient latency with 0 Subscriptions, with 5,000 on another topic (the index: they cost
 *     nothing), then with 5,000 more on its own topic (none bound: each create is 5,000 events).
 * Fan-out at scale is its own bench (fan-out.ts).
 */
import { WebSocket } from 'ws';
import { processStats, withServer, type ServerProcess } from './support/spawn-reference-server.js';

const TOPIC = 'http://example.org/fhir/SubscriptionTopic/patient-create';
const OTHER_TOPIC = 'http://example.org/fhir/SubscriptionTopic/observation-create';
const HEADERS = { 'content-type': 'application/fhir+json' };

export interface Percentiles { p50: number; p95: number; max: number; samples: number }

export interface ServerAbuseResult {
  slowConsumers: { sockets: number; patients: number; patientBytes: number; baselineRssBytes: number; peakRssBytes: number; readerGotAll: boolean; goalMet: boolean };
  binds: { oneToken: Percentiles; manyTokens: Percentiles; liveTokens: number; ratioP50: number; unknownFlood: { frames: number; metadataMs: number; allRefusedMs: number }; goalMet: boolean };
  writes: { none: Percentiles; otherTopic: Percentiles; many: Percentiles; subscriptions: number; ratioP50: number; otherTopicRatioP50: number };
}

export async function benchServerAbuse(): Promise<ServerAbuseResult> {
  return {
    slowConsumers: await withServer({ fhirVersion: 'R5', tokenTtlSeconds: 3600 }, slowConsumers),
    binds: await withServer({ fhirVersion: 'R5', tokenTtlSeconds: 3600 }, bindLatency),
    writes: await withServer({ fhirVersion: 'R5', tokenTtlSeconds: 3600, topics: [{ id: 'observation-create', url: OTHER_TOPIC, resourceType: 'Observation', interactions: ['create'] }] }, writeLatency),
  };
}

// ---- 1. slow consumers

async function slowConsumers(server: ServerProcess): Promise<ServerAbuseResult['slowConsumers']> {
  const sockets = 30;
  const patients = 40;
  const patientBytes = Math.round(0.9 * 2 ** 20);
  const stalled = await Promise.all(Array.from({ length: sockets }, () => boundSocket(server, 'full-resource')));
  const reader = await boundSocket(server, 'full-resource');
  for (const s of stalled) s.ws.pause();
  const baselineRssBytes = processStats(server.pid).rss;
  let peakRssBytes = baselineRssBytes;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, processStats(server.pid).rss)), 50);
  try {
    for (let i = 0; i < patients; i++) {
      const div = `<div xmlns="http://www.w3.org/1999/xhtml">${'x'.repeat(patientBytes)}</div>`;
      const notified = reader.next((text) => text.includes('"event-notification"'), 30_000);
      await post(server.url, 'Patient', { resourceType: 'Patient', text: { status: 'generated', div } });
      await notified;
    }
  } finally {
    clearInterval(sampler);
    for (const s of [...stalled, reader]) s.ws.terminate();
  }
  peakRssBytes = Math.max(peakRssBytes, processStats(server.pid).rss);
  return { sockets, patients, patientBytes, baselineRssBytes, peakRssBytes, readerGotAll: true, goalMet: peakRssBytes <= 300 * 2 ** 20 };
}

// ---- 2. binds

async function bindLatency(server: ServerProcess): Promise<ServerAbuseResult['binds']> {
  const id = await createSubscription(server.url, 'id-only');
  const token = await tokenFor(server.url, id);
  const socket = await openSocket(server.websocketUrl);
  try {
    await timeBinds(socket, token, 200); // warm-up
    const oneToken = await timeBinds(socket, token, 500);
    const liveTokens = 60_000;
    await issueTokens(server.url, id, liveTokens - 1);
    const manyTokens = await timeBinds(socket, token, 500);
    const unknownFlood = await floodUnknownBinds(server, socket, 2_000);
    const ratioP50 = round(manyTokens.p50 / oneToken.p50);
    return { oneToken, manyTokens, liveTokens, ratioP50, unknownFlood, goalMet: ratioP50 <= 2 };
  } finally {
    socket.ws.terminate();
  }
}

async function timeBinds(socket: Socket, token: string, count: number): Promise<Percentiles> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    socket.ws.send(`bind-with-token ${token}`);
    await socket.next((text) => text.includes('"handshake"'), 10_000);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

async function floodUnknownBinds(server: ServerProcess, socket: Socket, frames: number): Promise<ServerAbuseResult['binds']['unknownFlood']> {
  const started = performance.now();
  let refused = 0;
  const allRefused = new Promise<number>((resolve) => {
    const onMessage = (data: Buffer) => {
      if (String(data).includes('"OperationOutcome"') && ++refused === frames) (socket.ws.off('message', onMessage), resolve(performance.now() - started));
    };
    socket.ws.on('message', onMessage);
  });
  for (let i = 0; i < frames; i++) socket.ws.send(`bind-with-token unknown-${i.toString(36).padStart(30, 'x')}`);
  const metadataStarted = performance.now();
  await fetch(`${server.url}/metadata`, { signal: AbortSignal.timeout(60_000) }).then((r) => r.text());
  const metadataMs = round(performance.now() - metadataStarted);
  return { frames, metadataMs, allRefusedMs: round(await allRefused) };
}

async function issueTokens(base: string, id: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const response = await fetch(`${base}/Subscription/${id}/$get-ws-binding-token`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
      await response.text();
      if (response.status !== 200) throw new Error(`token: HTTP ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

// ---- 3. writes

export async function writeLatency(server: ServerProcess): Promise<ServerAbuseResult['writes']> {
  const timePosts = async (count: number) => {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await post(server.url, 'Patient', { resourceType: 'Patient', name: [{ family: `Write${i}` }] });
      samples.push(performance.now() - started);
    }
    return percentiles(samples);
  };
  await timePosts(50); // warm-up
  const none = await timePosts(200);
  const subscriptions = 5_000;
  const createMany = async (topic: string) => {
    let made = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (made < subscriptions) {
        made++;
        await createSubscription(server.url, 'id-only', topic);
      }
    }));
  };
  await createMany(OTHER_TOPIC);
  const otherTopic = await timePosts(200);
  await createMany(TOPIC);
  const many = await timePosts(200);
  return { none, otherTopic, many, subscriptions, ratioP50: round(many.p50 / none.p50), otherTopicRatioP50: round(otherTopic.p50 / none.p50) };
}

// ---- helpers

interface Socket {
  ws: WebSocket;
  /** The next frame (from now) whose text satisfies `match`. */
  next(match: (text: string) => boolean, withinMs: number): Promise<string>;
}

function openSocket(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('error', reject);
    ws.once('open', () => {
      ws.on('error', () => undefined);
      resolve({
        ws,
        next: (match, withinMs) =>
          new Promise((done, fail) => {
            const timer = setTimeout(() => (ws.off('message', onMessage), fail(new Error(`no matching frame within ${withinMs} ms`))), withinMs);
            const onMessage = (data: Buffer) => {
              const text = String(data);
              if (match(text)) (clearTimeout(timer), ws.off('message', onMessage), done(text));
            };
            ws.on('message', onMessage);
          }),
      });
    });
  });
}

async function boundSocket(server: ServerProcess, content: string): Promise<Socket> {
  const token = await tokenFor(server.url, await createSubscription(server.url, content));
  const socket = await openSocket(server.websocketUrl);
  const handshake = socket.next((text) => text.includes('"handshake"'), 30_000);
  socket.ws.send(`bind-with-token ${token}`);
  await handshake;
  return socket;
}

async function post(base: string, type: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${base}/${type}`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
  const json = (await response.json()) as unknown;
  if (response.status !== 201) throw new Error(`POST ${type}: HTTP ${response.status}`);
  return json;
}

async function createSubscription(base: string, content: string, topic = TOPIC): Promise<string> {
  const body = { resourceType: 'Subscription', status: 'requested', topic, channelType: { code: 'websocket' }, content };
  return ((await post(base, 'Subscription', body)) as { id: string }).id;
}

async function tokenFor(base: string, id: string): Promise<string> {
  const response = await fetch(`${base}/Subscription/${id}/$get-ws-binding-token`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  const parameters = ((await response.json()) as { parameter: Array<{ name: string; valueString?: string }> }).parameter;
  return parameters.find((p) => p.name === 'token')!.valueString!;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
  return { p50: at(50), p95: at(95), max: at(100), samples: sorted.length };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function describeServerAbuse(result: ServerAbuseResult): string {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const p = (x: Percentiles) => `p50 ${x.p50} ms, p95 ${x.p95} ms, max ${x.max} ms`;
  const { slowConsumers: slow, binds, writes } = result;
  return [
    `slow consumers: ${slow.sockets} non-reading sockets, ${slow.patients} Patients of ${mb(slow.patientBytes)}: server RSS ${mb(slow.baselineRssBytes)} → peak ${mb(slow.peakRssBytes)} [goal ≤ 300 MB: ${slow.goalMet ? 'met' : 'NOT met'}]`,
    `bind → handshake with 1 live token: ${p(binds.oneToken)}; with ${binds.liveTokens}: ${p(binds.manyTokens)}; p50 ratio ${binds.ratioP50} [goal ≤ 2: ${binds.goalMet ? 'met' : 'NOT met'}]`,
    `${binds.unknownFlood.frames} unknown-token binds at once: metadata behind them ${binds.unknownFlood.metadataMs} ms, all refused after ${binds.unknownFlood.allRefusedMs} ms`,
    `POST Patient with 0 Subscriptions: ${p(writes.none)}; with ${writes.subscriptions} on another topic: ${p(writes.otherTopic)} (p50 ratio ${writes.otherTopicRatioP50}); ` +
      `with ${writes.subscriptions} more on its own topic (${writes.subscriptions} events per create): ${p(writes.many)} (p50 ratio ${writes.ratioP50})`,
  ].join('\n');
}
