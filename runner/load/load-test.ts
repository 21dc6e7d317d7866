/**
 * Load mode: N concurrent clients against one server, each getting a binding token and binding it
 * on its own websocket, to see whether the server keeps its handshake promise under concurrency.
 *
 * Shape of a run:
 *   1. Subscriptions: the caller's, or a small pool created now and deleted at the end.
 *   2. Pilot: one client (not counted) learns the invocation and the bind form that work, trying
 *      the forms in turn, so the N clients do not each probe (and a broken server is not hammered:
 *      if the pilot gets nowhere, no client is started and every client is reported failed with the
 *      pilot's reason).
 *   3. Clients: all N start together; token requests and websocket connects pass through limiters
 *      (so the run measures the server, not the kernel's accept backlog); each bound socket is held
 *      open until every client has finished, then all are closed.
 * Everything is bounded: each phase by the run's timeouts, the whole by `deadlineMs`; clients still
 * running at the deadline are cancelled at their next phase and counted as failed.
 */
import type { Timeouts } from '../config/run-config.js';
import { harnessError } from '../errors.js';
import { HttpClient } from '../net/http-client.js';
import type { WsClient } from '../net/ws-client.js';
import { BIND_FORMS } from '../protocol/bind-message.js';
import type { BindForm, FhirVersion } from '../scenario/model.js';
import { measureFanOut, type FanOutResult } from './fan-out.js';
import { summariseLatencies, type LatencySummary } from './latency-summary.js';
import { Limiter } from './limiter.js';
import { DEADLINE_ERROR, runLoadClient, type ClientOutcome, type ClientPlan, type ClientShared } from './load-client.js';
import { createSubscriptionPool, deleteSubscriptions, LOAD_SUBSCRIPTION_POOL } from './load-subscriptions.js';
import { invocationOrder, type Invocation } from './load-token.js';

export const MAX_LOAD_CLIENTS = 5000;
export const DEFAULT_LOAD_DEADLINE_MS = 120_000;
const DEFAULT_MAX_HTTP_IN_FLIGHT = 32;
const DEFAULT_MAX_CONNECTING = 128;

export interface LoadOptions {
  /** FHIR base URL. */
  baseUrl: string;
  /** Sent with every HTTP request and the websocket upgrade (Authorization …). */
  headers?: Record<string, string>;
  /** Existing websocket Subscriptions to bind to; none → a pool is created (needs `topic`). */
  subscriptionIds?: string[];
  /** 1 … 5000 concurrent clients. */
  clients: number;
  timeouts: Timeouts;
  fhirVersion: FhirVersion;
  /** Topic canonical for the Subscriptions load mode creates. */
  topic?: string;
  /** Merged over the created Subscriptions (as the run's subscriptions.template). */
  subscriptionTemplate?: Record<string, unknown>;
  /** Known from discovery (target.learned); 'auto' or absent → the pilot finds out. */
  bindForm?: BindForm | 'auto';
  invocation?: Invocation;
  /** The whole run, setup and clean-up aside (default 120 s). */
  deadlineMs?: number;
  maxHttpInFlight?: number;
  maxConnecting?: number;
  /** After binding, one create of this resource, timed to every bound socket (fan-out.ts); absent: no fan-out. */
  fanOutTrigger?: Record<string, unknown>;
}

export interface LoadResult {
  clients: number;
  succeeded: number;
  failed: number;
  /** succeeded / clients, 0 … 1. */
  successRate: number;
  /** From sending bind-with-token to the handshake's arrival, successful clients only (nulls if none). */
  handshakeLatencyMs: LatencySummary;
  /** Failure reason → number of clients that failed with it. */
  errors: Record<string, number>;
  durationMs: number;
  bindForm?: BindForm;
  invocation?: Invocation;
  subscriptions: { used: number; created: number; deleted: number };
  /** Bound sockets still open when the last client finished (the server did not drop them). */
  heldOpenAtEnd: number;
  /** One triggering create with every socket bound: time to each socket's notification (fan-out.ts). */
  fanOut?: FanOutResult;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const started = Date.now();
  const deadlineAt = started + validate(options);
  const http = new HttpClient({ baseUrl: options.baseUrl, headers: options.headers, timeoutMs: options.timeouts.httpMs });
  const pool = await subscriptionsFor(options, http);
  let result: LoadResult;
  try {
    result = await measure(options, http, pool, started, deadlineAt);
  } finally {
    if (pool.created.length > 0) pool.deleted = await deleteSubscriptions(http, pool.created);
  }
  return { ...result, subscriptions: { ...result.subscriptions, deleted: pool.deleted } };
}

async function measure(options: LoadOptions, http: HttpClient, pool: Pool, started: number, deadlineAt: number): Promise<LoadResult> {
  if (pool.error) return allFailed(options.clients, `${pool.error} [no clients started]`, started, pool);
  const shared = sharedState(options, http, () => Date.now() >= deadlineAt);
  const pilot = await runPilot(options, pool.ids[0]!, shared);
  // A deadline that passes during the pilot cancels every client alike: one reason, the deadline's.
  if (!pilot.ok) return allFailed(options.clients, pilot.deadline ? DEADLINE_ERROR : `${pilot.error} [pilot client; no clients started]`, started, pool);
  const outcomes = await runClients(options, pool.ids, pilot, shared, deadlineAt);
  const fanOut = await fanOutOver(options, http, outcomes, pool.ids);
  return { ...summarise(options.clients, outcomes, started, pool, pilot), ...(fanOut ? { fanOut } : {}) };
}

/** Client i was bound to pool.ids[i % size] (runClients); only sockets still open take part. */
async function fanOutOver(options: LoadOptions, http: HttpClient, outcomes: ClientOutcome[], ids: string[]): Promise<FanOutResult | undefined> {
  if (!options.fanOutTrigger) return undefined;
  const bound = outcomes.flatMap((outcome, i) => (outcome.ok && outcome.socket.isOpen ? [{ socket: outcome.socket, subscriptionId: ids[i % ids.length]! }] : []));
  if (bound.length === 0) return undefined;
  const windowMs = options.timeouts.httpMs + options.timeouts.handshakeMs;
  return measureFanOut(bound, http, { resource: options.fanOutTrigger, fhirVersion: options.fhirVersion, windowMs });
}

function validate(options: LoadOptions): number {
  const { clients, deadlineMs = DEFAULT_LOAD_DEADLINE_MS } = options;
  if (!Number.isInteger(clients) || clients < 1 || clients > MAX_LOAD_CLIENTS) {
    throw harnessError('FWC_ERR_CONFIG', `load: clients must be a whole number from 1 to ${MAX_LOAD_CLIENTS}, not ${clients}`);
  }
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) throw harnessError('FWC_ERR_CONFIG', `load: deadlineMs must be a positive number of ms, not ${deadlineMs}`);
  if ((options.subscriptionIds ?? []).length === 0 && !options.topic) {
    throw harnessError('FWC_ERR_CONFIG', 'load: give subscriptionIds, or a topic so load mode can create its own Subscriptions');
  }
  return deadlineMs;
}

interface Pool { ids: string[]; created: string[]; deleted: number; error?: string }

async function subscriptionsFor(options: LoadOptions, http: HttpClient): Promise<Pool> {
  const given = options.subscriptionIds ?? [];
  if (given.length > 0) return { ids: [...given], created: [], deleted: 0 };
  const size = Math.min(options.clients, LOAD_SUBSCRIPTION_POOL);
  const made = await createSubscriptionPool(http, size, options.topic!, options.fhirVersion, options.subscriptionTemplate);
  return { ids: made.ids, created: made.ids, deleted: 0, ...(made.error ? { error: made.error } : {}) };
}

function sharedState(options: LoadOptions, http: HttpClient, cancelled: () => boolean): ClientShared {
  return {
    http,
    httpLimiter: new Limiter(options.maxHttpInFlight ?? DEFAULT_MAX_HTTP_IN_FLIGHT),
    connectLimiter: new Limiter(options.maxConnecting ?? DEFAULT_MAX_CONNECTING),
    cancelled,
  };
}

function planFor(options: LoadOptions, name: string, subscriptionId: string, bindForm: BindForm, invocation?: Invocation): ClientPlan {
  return {
    name,
    subscriptionId,
    invocations: invocationOrder(invocation),
    bindForm,
    timeouts: options.timeouts,
    fhirVersion: options.fhirVersion,
    headers: options.headers ?? {},
  };
}

type PilotResult = { ok: true; bindForm: BindForm; invocation: Invocation } | { ok: false; error: string; deadline?: boolean };

/** The first bind form that yields a handshake; a token or connect failure ends the search (the form is not the problem). */
async function runPilot(options: LoadOptions, subscriptionId: string, shared: ClientShared): Promise<PilotResult> {
  const forms = options.bindForm && options.bindForm !== 'auto' ? [options.bindForm] : BIND_FORMS;
  let lastError = 'no bind form tried';
  for (const form of forms) {
    const outcome = await runLoadClient(planFor(options, 'pilot', subscriptionId, form, options.invocation), shared);
    outcome.socket?.terminate();
    if (outcome.ok) return { ok: true, bindForm: form, invocation: outcome.invocation };
    if (outcome.phase === 'deadline') return { ok: false, error: outcome.error, deadline: true };
    lastError = outcome.error;
    if (outcome.phase !== 'handshake') break;
  }
  return { ok: false, error: forms.length > 1 && lastError.startsWith('handshake:') ? `handshake: no bind form (${forms.join(', ')}) gave a handshake; last: ${lastError}` : lastError };
}

async function runClients(options: LoadOptions, ids: string[], pilot: Extract<PilotResult, { ok: true }>, shared: ClientShared, deadlineAt: number): Promise<ClientOutcome[]> {
  const outcomes: ClientOutcome[] = new Array(options.clients);
  let finished = false; // past the deadline: late successes count as deadline failures
  const tasks = Array.from({ length: options.clients }, (_, i) =>
    runLoadClient(planFor(options, `load${i + 1}`, ids[i % ids.length]!, pilot.bindForm, pilot.invocation), shared)
      .catch((error: unknown): ClientOutcome => ({ ok: false, phase: 'handshake', error: `internal: ${(error as Error)?.message ?? String(error)}` }))
      .then((outcome) => {
        outcomes[i] = finished && outcome.ok ? { ok: false, phase: 'deadline', error: DEADLINE_ERROR, socket: outcome.socket } : outcome;
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadlineAt - Date.now()))));
  await Promise.race([Promise.all(tasks), deadline]);
  clearTimeout(timer);
  finished = true;
  await Promise.all(tasks); // bounded: cancelled clients stop at their next phase, each phase has its timeout
  return outcomes;
}

function summarise(clients: number, outcomes: ClientOutcome[], started: number, pool: Pool, pilot: Extract<PilotResult, { ok: true }>): LoadResult {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let heldOpenAtEnd = 0;
  for (const outcome of outcomes) {
    if (outcome.ok) {
      latencies.push(outcome.latencyMs);
      if (outcome.socket.isOpen) heldOpenAtEnd++;
    } else {
      errors[outcome.error] = (errors[outcome.error] ?? 0) + 1;
    }
  }
  closeAll(outcomes.map((o) => o.socket));
  return {
    clients,
    succeeded: latencies.length,
    failed: clients - latencies.length,
    successRate: ratio(latencies.length, clients),
    handshakeLatencyMs: summariseLatencies(latencies),
    errors,
    durationMs: Date.now() - started,
    bindForm: pilot.bindForm,
    invocation: pilot.invocation,
    subscriptions: poolCounts(pool),
    heldOpenAtEnd,
  };
}

function allFailed(clients: number, reason: string, started: number, pool: Pool): LoadResult {
  return {
    clients,
    succeeded: 0,
    failed: clients,
    successRate: 0,
    handshakeLatencyMs: summariseLatencies([]),
    errors: { [reason]: clients },
    durationMs: Date.now() - started,
    subscriptions: poolCounts(pool),
    heldOpenAtEnd: 0,
  };
}

/** `deleted` is filled in by runLoad once the clean-up has run. */
function poolCounts(pool: Pool): LoadResult['subscriptions'] {
  return { used: pool.ids.length, created: pool.created.length, deleted: 0 };
}

function closeAll(sockets: Array<WsClient | undefined>): void {
  for (const socket of sockets) socket?.terminate();
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}
