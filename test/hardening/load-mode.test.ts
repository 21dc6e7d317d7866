/**
 * Load mode (runner/load/load-test.ts) against the reference server: 50 concurrent clients all get
 * a token and a handshake; the pilot finds a non-default bind form and invocation; failures are
 * counted by reason; the created Subscriptions are deleted; bad options are refused at once.
 */
import { test, expect } from '@playwright/test';
import { startReferenceServer } from '../../reference-server/src/server.js';
import { HarnessError } from '../../runner/errors.js';
import { runLoad, type LoadOptions } from '../../runner/load/load-test.js';
import { startHostileServer } from '../support/hostile-servers.js';

// Bounds, not expectations: generous so a loaded CI machine (2 cores, other suites running) cannot
// turn a slow upgrade into a failure. The tests that need a timeout to fire set their own.
const TIMEOUTS = { httpMs: 15_000, connectMs: 15_000, handshakeMs: 15_000, silenceMs: 500 };
/** For the tests whose point is that a timeout fires (and ends things in time). */
const SHORT = { httpMs: 5_000, connectMs: 2_000, handshakeMs: 2_000, silenceMs: 500 };
const TOPIC = 'http://example.org/fhir/SubscriptionTopic/patient-create';

type ServerOptions = Parameters<typeof startReferenceServer>[0];

async function withReferenceServer<T>(options: ServerOptions, body: (url: string, topic: string) => Promise<T>): Promise<T> {
  const server = await startReferenceServer({ fhirVersion: 'R5', ...options });
  try {
    const topic = await firstTopic(server.url);
    return await body(server.url, topic);
  } finally {
    await server.close();
  }
}

async function firstTopic(base: string): Promise<string> {
  const bundle = (await (await fetch(`${base}/SubscriptionTopic`, { signal: AbortSignal.timeout(3000) })).json()) as { entry: Array<{ resource: { url: string } }> };
  return bundle.entry[0]!.resource.url;
}

async function subscriptionCount(base: string): Promise<number> {
  const bundle = (await (await fetch(`${base}/Subscription`, { signal: AbortSignal.timeout(3000) })).json()) as { entry?: unknown[]; total?: number };
  return bundle.entry?.length ?? 0;
}

function options(baseUrl: string, topic: string, extra: Partial<LoadOptions> = {}): LoadOptions {
  return { baseUrl, topic, clients: 50, timeouts: TIMEOUTS, fhirVersion: 'R5', deadlineMs: 20_000, ...extra };
}

test('50 concurrent clients each get a token and a handshake; the Subscriptions are deleted after', async () => {
  await withReferenceServer({}, async (url, topic) => {
    const result = await runLoad(options(url, topic));
    expect(result.errors).toEqual({});
    expect(result).toMatchObject({ clients: 50, succeeded: 50, failed: 0, successRate: 1, heldOpenAtEnd: 50, bindForm: 'space', invocation: 'instance-post' });
    expect(result.subscriptions).toEqual({ used: 10, created: 10, deleted: 10 });
    const { p50, p99, max } = result.handshakeLatencyMs;
    expect(p50).not.toBeNull();
    expect(p50!).toBeLessThanOrEqual(p99!);
    expect(p99!).toBeLessThanOrEqual(max!);
    expect(await subscriptionCount(url)).toBe(0);
  });
});

test('the pilot learns the bind form and invocation the server accepts (json only, no POST)', async () => {
  await withReferenceServer({ faults: ['bind-json-only', 'post-refused'] }, async (url, topic) => {
    const started = Date.now();
    const result = await runLoad(options(url, topic, { clients: 20 }));
    expect(result).toMatchObject({ succeeded: 20, bindForm: 'json', invocation: 'instance-get' });
    // the refused forms are answered with an OperationOutcome: no waiting out the (15 s) handshake window,
    // which two refused forms would have taken twice
    expect(Date.now() - started).toBeLessThan(2 * TIMEOUTS.handshakeMs);
  });
});

test('a bind form the server refuses, when pinned, fails every client with the refusal', async () => {
  await withReferenceServer({ faults: ['bind-json-only'] }, async (url, topic) => {
    const result = await runLoad(options(url, topic, { clients: 5, bindForm: 'colon' }));
    expect(result.errors).toEqual({ 'handshake: the server refused the bind with an OperationOutcome (code invalid) [pilot client; no clients started]': 5 });
  });
});

test('given Subscription ids are used as they are and never deleted', async () => {
  await withReferenceServer({}, async (url, topic) => {
    const created = await fetch(`${url}/Subscription`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Subscription', status: 'requested', topic, channelType: { code: 'websocket' }, content: 'id-only' }),
      signal: AbortSignal.timeout(3000),
    });
    const id = ((await created.json()) as { id: string }).id;
    const result = await runLoad(options(url, topic, { clients: 10, subscriptionIds: [id], topic: undefined }));
    expect(result).toMatchObject({ succeeded: 10, subscriptions: { used: 1, created: 0, deleted: 0 } });
    expect(await subscriptionCount(url)).toBe(1);
  });
});

test('a server that never sends a handshake: every client failed with the pilot\'s reason, no client started', async () => {
  await withReferenceServer({ faults: ['no-handshake'] }, async (url, topic) => {
    const started = Date.now();
    const result = await runLoad(options(url, topic, { timeouts: SHORT }));
    // the pilot tries three forms, each waits handshakeMs: about 3 × 2 s, far below a per-client cost
    expect(Date.now() - started).toBeLessThan(3 * SHORT.handshakeMs + 5_000);
    expect(result).toMatchObject({ clients: 50, succeeded: 0, failed: 50, successRate: 0 });
    expect(result.handshakeLatencyMs).toEqual({ p50: null, p99: null, max: null });
    const [reason, count] = Object.entries(result.errors)[0]!;
    expect(count).toBe(50);
    expect(reason).toMatch(/^handshake: no bind form \(space, colon, json\) gave a handshake.*no handshake within 2000 ms.*\[pilot client; no clients started\]$/);
    expect(result.subscriptions.deleted).toBe(10);
  });
});

test('a websocket that never completes its upgrade ends within the connect timeout, reason stated', async () => {
  const hostile = await startHostileServer('ws-upgrade-silent');
  try {
    const started = Date.now();
    const result = await runLoad(options(hostile.url, 'http://example.org/topic', { clients: 5, timeouts: SHORT }));
    expect(Date.now() - started).toBeLessThan(SHORT.connectMs + 5_000);
    expect(result.errors).toEqual({
      'connect: timed out after 2000 ms waiting for the websocket upgrade (HTTP 101) [pilot client; no clients started]': 5,
    });
  } finally {
    await hostile.close();
  }
});

test('clients still running at the deadline are cancelled and counted as deadline failures', async () => {
  await withReferenceServer({}, async (url, topic) => {
    // one connect at a time and a deadline far too short for 200 of them
    const started = Date.now();
    const result = await runLoad(options(url, topic, { clients: 200, deadlineMs: 300, maxConnecting: 1 }));
    expect(Date.now() - started).toBeLessThan(15_000); // a busy machine's margin; succeeded < 200 is what shows the cut
    expect(result.succeeded).toBeLessThan(200);
    expect(result.errors['deadline: the overall load deadline passed before this client finished']).toBe(result.failed);
  });
});

test('a deadline that passes before the pilot finishes fails every client with the deadline reason', async () => {
  await withReferenceServer({}, async (url, topic) => {
    // creating the Subscription pool alone takes longer than 1 ms: the pilot starts past the deadline
    const result = await runLoad(options(url, topic, { clients: 20, deadlineMs: 1 }));
    expect(result).toMatchObject({ succeeded: 0, failed: 20, errors: { 'deadline: the overall load deadline passed before this client finished': 20 } });
    expect(result.subscriptions.deleted).toBe(10);
  });
});

test('bad options are refused with a sentence, before any request', async () => {
  const base = { baseUrl: 'http://127.0.0.1:9/fhir', timeouts: TIMEOUTS, fhirVersion: 'R5' as const, topic: TOPIC };
  for (const clients of [0, 5001, 1.5]) {
    await expect(runLoad({ ...base, clients })).rejects.toThrow(/load: clients must be a whole number from 1 to 5000/);
  }
  await expect(runLoad({ ...base, clients: 1, topic: undefined })).rejects.toThrow(HarnessError);
  await expect(runLoad({ ...base, clients: 1, deadlineMs: 0 })).rejects.toThrow(/deadlineMs must be a positive number/);
});
