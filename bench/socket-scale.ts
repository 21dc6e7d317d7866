/**
 * Websocket scale of the reference server (own process, so its RSS and descriptors are its own):
 *  1. load mode (runner/load) with 1,000 clients: token + connect + bind each, latency bind → handshake;
 *  2. burst: 1,000 sockets opened first, then all 1,000 binds sent at once, each timed bind → handshake;
 *  3. growth: more bound sockets in steps, spread over client processes (each process has its own
 *     descriptor limit), sampling the server's RSS / heap / open descriptors after each step, until
 *     the goal (20,000 sockets in ≤ 1 GB RSS), a failing step, or the RSS ceiling.
 */
import { readFileSync } from 'node:fs';
import { runLoad, type LoadResult } from '../runner/load/load-test.js';
import type { LatencySummary } from '../runner/load/latency-summary.js';
import { spawnReferenceServer, type ServerProcess, type ServerSample } from './support/spawn-reference-server.js';
import { spawnSocketClients, type GrowResult } from './support/spawn-socket-clients.js';

export interface SocketScaleOptions {
  burstSockets: number;
  targetSockets: number;
  stepSockets: number;
  clientProcesses: number;
  rssLimitBytes: number;
  /** Stop growing after this long. */
  deadlineMs: number;
}

export interface ScaleStep { bound: number; failedThisStep: number; errors: Record<string, number>; server: ServerSample; stepMs: number }

export interface SocketScaleResult {
  options: SocketScaleOptions;
  limits: { serverOpenFiles: string; benchOpenFiles: string };
  loadMode: LoadResult;
  burst: { sockets: number; bound: number; failed: number; latency: LatencySummary; errors: Record<string, number> };
  baseline: ServerSample;
  steps: ScaleStep[];
  maxBound: number;
  rssAtMaxBytes: number;
  bytesPerSocket: number;
  stoppedBecause: string;
  /** metadata answered while every socket was held (false when the server is out of descriptors). */
  serverAnsweredAtPeak: boolean;
  /** The process lived through it and metadata answered once the clients let go. */
  serverAliveAfterRelease: boolean;
  goalMet: boolean;
}

export const DEFAULT_SOCKET_SCALE: SocketScaleOptions = {
  burstSockets: 1_000,
  targetSockets: 20_000,
  stepSockets: 2_500,
  clientProcesses: 3,
  rssLimitBytes: 1024 * 1024 * 1024,
  deadlineMs: 180_000,
};

const TIMEOUTS = { httpMs: 10_000, connectMs: 10_000, handshakeMs: 10_000, silenceMs: 1_500 };

export async function benchSocketScale(options: SocketScaleOptions = DEFAULT_SOCKET_SCALE): Promise<SocketScaleResult> {
  const server = await spawnReferenceServer({ fhirVersion: 'R5', tokenTtlSeconds: 3600 });
  try {
    const topic = await firstTopic(server.url);
    const loadMode = await runLoad({ baseUrl: server.url, clients: options.burstSockets, timeouts: TIMEOUTS, fhirVersion: 'R5', topic, deadlineMs: 60_000 });
    const token = await tokenFor(server.url, await createSubscription(server.url, topic));
    const clients = await spawnSocketClients(options.clientProcesses, server.websocketUrl, token);
    let measured: Omit<SocketScaleResult, 'serverAliveAfterRelease' | 'options' | 'loadMode' | 'limits'>;
    try {
      const baseline = await server.sample();
      const burstResult = await clients.grow(0, options.burstSockets, { concurrency: 200, burst: true, timeoutMs: 60_000 });
      const growth = await grow(server, clients, options, burstResult);
      const serverAnsweredAtPeak = !server.exited() && (await metadataAnswers(server.url, 5_000));
      const last = growth.steps[growth.steps.length - 1];
      const maxBound = last?.bound ?? 0;
      const rssAtMaxBytes = last?.server.rss ?? baseline.rss;
      measured = {
        burst: { sockets: options.burstSockets, bound: burstResult.bound, failed: burstResult.failed, latency: burstResult.latency, errors: burstResult.errors },
        baseline,
        steps: growth.steps,
        maxBound,
        rssAtMaxBytes,
        bytesPerSocket: maxBound > 0 ? Math.round((rssAtMaxBytes - baseline.rss) / maxBound) : 0,
        stoppedBecause: growth.stoppedBecause,
        serverAnsweredAtPeak,
        goalMet: maxBound >= options.targetSockets && rssAtMaxBytes <= options.rssLimitBytes,
      };
    } finally {
      await clients.close();
    }
    const serverAliveAfterRelease = !server.exited() && (await metadataAnswers(server.url, 10_000));
    const limits = { serverOpenFiles: openFilesLimit(server.pid), benchOpenFiles: openFilesLimit(process.pid) };
    return { options, limits, loadMode, ...measured, serverAliveAfterRelease };
  } finally {
    await server.close();
  }
}

async function grow(server: ServerProcess, clients: Awaited<ReturnType<typeof spawnSocketClients>>, options: SocketScaleOptions, burst: GrowResult): Promise<{ steps: ScaleStep[]; stoppedBecause: string }> {
  const started = Date.now();
  const steps: ScaleStep[] = [{ bound: burst.bound, failedThisStep: burst.failed, errors: burst.errors, server: await server.sample(), stepMs: 0 }];
  let bound = burst.bound;
  let which = 1;
  while (bound < options.targetSockets) {
    if (Date.now() - started > options.deadlineMs) return { steps, stoppedBecause: `deadline of ${options.deadlineMs} ms` };
    const count = Math.min(options.stepSockets, options.targetSockets - bound);
    const stepStarted = Date.now();
    const result = await clients.grow(which++ % options.clientProcesses, count, { concurrency: 200, burst: false, timeoutMs: 120_000 });
    bound += result.bound;
    const sample = server.exited() ? steps[steps.length - 1]!.server : await server.sample();
    steps.push({ bound, failedThisStep: result.failed, errors: result.errors, server: sample, stepMs: Date.now() - stepStarted });
    if (server.exited()) return { steps, stoppedBecause: `the server process exited (${JSON.stringify(server.exited())})` };
    if (result.failed > count * 0.01) return { steps, stoppedBecause: `${result.failed} of ${count} sockets failed in the last step: ${JSON.stringify(result.errors)}` };
    if (sample.rss > options.rssLimitBytes) return { steps, stoppedBecause: `server RSS ${sample.rss} passed the ${options.rssLimitBytes} byte ceiling` };
  }
  return { steps, stoppedBecause: `reached the target of ${options.targetSockets} sockets` };
}

function openFilesLimit(pid: number): string {
  try {
    const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    return line ? line.replace(/\s+/g, ' ').replace('Max open files ', '').trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

const HEADERS = { 'content-type': 'application/fhir+json' };

async function firstTopic(base: string): Promise<string> {
  const bundle = (await (await fetch(`${base}/SubscriptionTopic`, { signal: AbortSignal.timeout(5000) })).json()) as { entry: Array<{ resource: { url: string } }> };
  return bundle.entry[0]!.resource.url;
}

async function createSubscription(base: string, topic: string): Promise<string> {
  const body = { resourceType: 'Subscription', status: 'requested', topic, channelType: { code: 'websocket' }, content: 'id-only' };
  const response = await fetch(`${base}/Subscription`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  return ((await response.json()) as { id: string }).id;
}

async function tokenFor(base: string, id: string): Promise<string> {
  const response = await fetch(`${base}/Subscription/${id}/$get-ws-binding-token`, { method: 'POST', headers: HEADERS, body: '{"resourceType":"Parameters"}', signal: AbortSignal.timeout(5000) });
  const parameters = ((await response.json()) as { parameter: Array<{ name: string; valueString?: string }> }).parameter;
  return parameters.find((p) => p.name === 'token')!.valueString!;
}

/** Asks until it answers 200 or the time is up (a server just released from its descriptor limit needs a moment). */
async function metadataAnswers(base: string, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(`${base}/metadata`, { signal: AbortSignal.timeout(Math.max(100, until - Date.now())) });
      if (response.status === 200) return true;
    } catch {
      // refused or reset while the server is out of descriptors: ask again
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
