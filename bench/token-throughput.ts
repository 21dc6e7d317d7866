/**
 * $get-ws-binding-token throughput with keep-alive: the reference server (own process) against a
 * bare node:http server (own process) that answers with the very bytes the reference server gave,
 * measured by autocannon in this process, alternating A/B rounds so drift hits both sides.
 * Goal: the reference server reaches ≥ 50 % of the bare server's requests/s.
 */
import autocannon, { type Result as AutocannonResult } from 'autocannon';
import { spawnBareServer, type FixedResponse } from './support/spawn-bare-server.js';
import { spawnReferenceServer } from './support/spawn-reference-server.js';

export interface ThroughputOptions {
  durationSeconds: number;
  connections: number;
  rounds: number;
  warmUpSeconds: number;
}

export interface SideResult {
  requestsPerSecond: number;
  perRound: number[];
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface ThroughputResult {
  options: ThroughputOptions;
  responseBytes: number;
  reference: SideResult;
  bare: SideResult;
  ratio: number;
  goal: number;
  met: boolean;
}

export const DEFAULT_THROUGHPUT: ThroughputOptions = { durationSeconds: 10, connections: 50, rounds: 2, warmUpSeconds: 2 };
const GOAL = 0.5;
const BODY = '{"resourceType":"Parameters"}';
const HEADERS = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };

export async function benchTokenThroughput(options: ThroughputOptions = DEFAULT_THROUGHPUT): Promise<ThroughputResult> {
  // Long token lifetime: every issued token stays valid for the whole run, as in real use.
  const reference = await spawnReferenceServer({ fhirVersion: 'R5', tokenTtlSeconds: 3600 });
  let bare: Awaited<ReturnType<typeof spawnBareServer>> | undefined;
  try {
    const id = await createSubscription(reference.url);
    const referenceUrl = `${reference.url}/Subscription/${id}/$get-ws-binding-token`;
    const fixed = await captureResponse(referenceUrl);
    bare = await spawnBareServer(fixed);
    const bareUrl = `${bare.url}/fhir/Subscription/${id}/$get-ws-binding-token`;
    await load(referenceUrl, options.warmUpSeconds, options.connections);
    await load(bareUrl, options.warmUpSeconds, options.connections);
    const rounds: { reference: AutocannonResult[]; bare: AutocannonResult[] } = { reference: [], bare: [] };
    for (let round = 0; round < options.rounds; round++) {
      rounds.bare.push(await load(bareUrl, options.durationSeconds, options.connections));
      rounds.reference.push(await load(referenceUrl, options.durationSeconds, options.connections));
    }
    const referenceSide = summarise(rounds.reference);
    const bareSide = summarise(rounds.bare);
    const ratio = Math.round((referenceSide.requestsPerSecond / bareSide.requestsPerSecond) * 1000) / 1000;
    return { options, responseBytes: Buffer.byteLength(fixed.body), reference: referenceSide, bare: bareSide, ratio, goal: GOAL, met: ratio >= GOAL };
  } finally {
    await bare?.close();
    await reference.close();
  }
}

function load(url: string, durationSeconds: number, connections: number): Promise<AutocannonResult> {
  return autocannon({ url, method: 'POST', headers: HEADERS, body: BODY, connections, duration: durationSeconds, pipelining: 1, timeout: 10 });
}

function summarise(results: AutocannonResult[]): SideResult {
  const perRound = results.map((r) => Math.round(r.requests.average));
  const sum = (pick: (r: AutocannonResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    requestsPerSecond: Math.round(perRound.reduce((a, b) => a + b, 0) / perRound.length),
    perRound,
    latencyP50Ms: Math.max(...results.map((r) => r.latency.p50)),
    latencyP99Ms: Math.max(...results.map((r) => r.latency.p99)),
    requests: sum((r) => r.requests.total),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
  };
}

async function createSubscription(base: string): Promise<string> {
  const topics = (await (await fetch(`${base}/SubscriptionTopic`, { signal: AbortSignal.timeout(5000) })).json()) as { entry: Array<{ resource: { url: string } }> };
  const body = { resourceType: 'Subscription', status: 'requested', topic: topics.entry[0]!.resource.url, channelType: { code: 'websocket' }, content: 'id-only' };
  const response = await fetch(`${base}/Subscription`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  const created = (await response.json()) as { id?: string };
  if (response.status !== 201 || !created.id) throw new Error(`bench setup: POST Subscription → HTTP ${response.status}`);
  return created.id;
}

/** One real answer of the operation: status, the headers a client sees, and the body. */
async function captureResponse(url: string): Promise<FixedResponse> {
  const response = await fetch(url, { method: 'POST', headers: HEADERS, body: BODY, signal: AbortSignal.timeout(5000) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`bench setup: the operation answered HTTP ${response.status}: ${body.slice(0, 200)}`);
  return { status: 200, headers: { 'content-type': response.headers.get('content-type') ?? 'application/fhir+json' }, body };
}
