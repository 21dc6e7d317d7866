/**
 * One fuzz session against a reference server running in its own process: set up live websocket
 * Subscriptions and a real token (so success paths are reachable), warm up, take a memory baseline,
 * run the HTTP and websocket fuzzers, then check the server still answers metadata and sample its
 * memory again. Shared by the hardening test (≥ 10,000 cases) and bench/fuzz.ts (200,000).
 */
import type { ServerProcess, ServerSample } from '../../../bench/support/spawn-reference-server.js';
import { Random } from './prng.js';
import { runHttpFuzz, type HttpFuzzStats } from './run-http-fuzz.js';
import { runWsFuzz, type WsFuzzStats } from './run-ws-fuzz.js';

export interface FuzzPlan {
  seed: number;
  httpCases: number;
  wsFrames: number;
  floodBinds: number;
  /** Bounds each fuzzer separately. */
  deadlineMs: number;
  concurrency?: number;
  warmUpCases?: number;
  /** Violations kept in full per fuzzer (all are counted); default 50. */
  keepViolations?: number;
}

export interface FuzzReport {
  seed: number;
  http: HttpFuzzStats;
  ws: WsFuzzStats;
  /** Cases run: HTTP exchanges plus websocket frames (warm-up not included). */
  totalCases: number;
  memory: { baseline: ServerSample; after: ServerSample };
  /** undefined when metadata answered 200 with a CapabilityStatement afterwards, else what happened. */
  notAliveAfter?: string;
}

const LIVE_SUBSCRIPTIONS = 3;
const EXCHANGE_TIMEOUT_MS = 10_000;

export async function fuzzReferenceServer(server: ServerProcess, plan: FuzzPlan): Promise<FuzzReport> {
  const liveIds = await createLiveSubscriptions(server.url, LIVE_SUBSCRIPTIONS);
  const validToken = await issueToken(server.url, liveIds[0]!);
  const concurrency = plan.concurrency ?? 16;
  const keepViolations = plan.keepViolations ?? 50;
  const common = { baseUrl: server.url, concurrency, timeoutMs: EXCHANGE_TIMEOUT_MS, deadlineMs: plan.deadlineMs, liveIds, keepViolations };
  await runHttpFuzz({ ...common, rng: new Random(plan.seed ^ 0x5bd1e995), cases: plan.warmUpCases ?? 300 });
  const baseline = await server.sample();
  const http = await runHttpFuzz({ ...common, rng: new Random(plan.seed), cases: plan.httpCases });
  const ws = await runWsFuzz({
    websocketUrl: server.websocketUrl,
    rng: new Random(plan.seed ^ 0x9e3779b9),
    frames: plan.wsFrames,
    framesPerSession: 25,
    concurrency: 8,
    floodBinds: plan.floodBinds,
    validToken,
    timeoutMs: EXCHANGE_TIMEOUT_MS,
    deadlineMs: plan.deadlineMs,
    keepViolations,
  });
  const notAliveAfter = await stillAlive(server);
  const after = notAliveAfter ? baseline : await server.sample();
  return { seed: plan.seed, http, ws, totalCases: http.cases + ws.frames, memory: { baseline, after }, ...(notAliveAfter ? { notAliveAfter } : {}) };
}

async function fhirJson(url: string, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/fhir+json', ...init.headers }, signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS) });
  return { status: response.status, json: await response.json().catch(() => undefined) };
}

async function createLiveSubscriptions(base: string, count: number): Promise<string[]> {
  const topics = await fhirJson(`${base}/SubscriptionTopic`);
  const topic = topics.json?.entry?.[0]?.resource?.url as string | undefined;
  if (!topic) throw new Error(`fuzz setup: no SubscriptionTopic at ${base} (HTTP ${topics.status})`);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = { resourceType: 'Subscription', status: 'requested', topic, channelType: { code: 'websocket' }, content: 'id-only', reason: 'fuzz' };
    const created = await fhirJson(`${base}/Subscription`, { method: 'POST', body: JSON.stringify(body) });
    if (created.status !== 201 || typeof created.json?.id !== 'string') throw new Error(`fuzz setup: POST Subscription → HTTP ${created.status}`);
    ids.push(created.json.id);
  }
  return ids;
}

async function issueToken(base: string, id: string): Promise<string> {
  const answer = await fhirJson(`${base}/Subscription/${id}/$get-ws-binding-token`, { method: 'POST', body: '{"resourceType":"Parameters"}' });
  const token = (answer.json?.parameter as Array<{ name: string; valueString?: string }> | undefined)?.find((p) => p.name === 'token')?.valueString;
  if (!token) throw new Error(`fuzz setup: no token from $get-ws-binding-token (HTTP ${answer.status})`);
  return token;
}

async function stillAlive(server: ServerProcess): Promise<string | undefined> {
  const exited = server.exited();
  if (exited) return `the server process exited (code ${exited.code}, signal ${exited.signal})`;
  try {
    const answer = await fhirJson(`${server.url}/metadata`);
    return answer.status === 200 && answer.json?.resourceType === 'CapabilityStatement' ? undefined : `metadata answered HTTP ${answer.status}`;
  } catch (error) {
    return `metadata did not answer: ${(error as Error).message}`;
  }
}

/** The summary line printed by the test and the bench. */
export function describeFuzzReport(report: FuzzReport): string {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const { baseline, after } = report.memory;
  return [
    `seed ${report.seed}: ${report.totalCases} cases (${report.http.cases} HTTP in ${report.http.elapsedMs} ms, ${report.ws.frames} websocket frames in ${report.ws.sessions} sessions in ${report.ws.elapsedMs} ms)`,
    `HTTP statuses: ${Object.entries(report.http.byStatus).sort().map(([s, n]) => `${s}×${n}`).join(' ')}`,
    `violations: HTTP ${report.http.violationCount}, websocket ${report.ws.violationCount}; alive after: ${report.notAliveAfter ?? 'yes'}`,
    `server memory (${after.gcExposed ? 'heapUsed after forced GC' : 'no GC exposed'}): heapUsed ${mb(baseline.heapUsed)} → ${mb(after.heapUsed)}, RSS ${mb(baseline.rss)} → ${mb(after.rss)}, open fds ${baseline.openFds} → ${after.openFds}`,
  ].join('\n');
}
