/**
 * Preset medplum-like: the reference server behaves as Medplum (R4) does, from the
 * client's side. Each fault-table entry it uses is proved on its own in faults.test.ts; this file
 * checks the combination a Medplum client meets (the 10 s heartbeat is left to faults.test.ts).
 */
import { expect, test } from '@playwright/test';
import type { ReferenceServer } from '../../reference-server/src/server.js';
import { http, isNotification, isOutcome, start, statusOf, subscriptionResource, TestSocket, tokenFrom, type Json } from './helpers.js';

const OP = '$get-ws-binding-token';
const BEARER = 'medplum-like-bearer-0b5d';
const AUTH = { authorization: `Bearer ${BEARER}` };
/** What a Medplum client creates: classic criteria, websocket channel, nothing else. */
const MEDPLUM_SUBSCRIPTION = { resourceType: 'Subscription', status: 'active', reason: 'test', criteria: 'Patient', channel: { type: 'websocket' } };

let server: ReferenceServer;
test.beforeAll(async () => {
  server = await start({ preset: 'medplum-like', bearerToken: BEARER });
});
test.afterAll(async () => {
  await server.close();
});

async function rest(method: string, path: string, body?: unknown): Promise<Awaited<ReturnType<typeof http>>> {
  return http(server, method, path, { headers: AUTH, ...(body !== undefined ? { body } : {}) });
}

async function medplumSubscription(): Promise<string> {
  const created = await rest('POST', 'Subscription', MEDPLUM_SUBSCRIPTION);
  expect(created.status, created.text).toBe(201);
  return String(created.json!.id);
}

function claimsOf(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Json;
}

test('an R4 server at <root>/fhir/R4 that lists no operation and serves no OperationDefinition', async () => {
  expect(server.url).toMatch(/\/fhir\/R4$/);
  const metadata = (await rest('GET', 'metadata')).json!;
  expect(metadata.fhirVersion).toBe('4.0.1');
  expect(metadata.rest[0].resource.find((r: Json) => r.type === 'Subscription').operation).toBeUndefined();
  expect((await rest('GET', 'OperationDefinition/backport-subscription-get-ws-binding-token')).status).toBe(404);
});

test('only GET at instance level issues a token: a one-hour JWT with subscription_id', async () => {
  const id = await medplumSubscription();
  const before = Date.now();
  const issued = await rest('GET', `Subscription/${id}/${OP}`);
  expect(issued.status).toBe(200);
  const token = tokenFrom(issued.json!);
  expect(token.token.split('.')).toHaveLength(3);
  expect(claimsOf(token.token)).toMatchObject({ subscription_id: id });
  const lifetimeMs = Date.parse(token.expiration) - before;
  expect(lifetimeMs).toBeGreaterThan(3_599_000);
  expect(lifetimeMs).toBeLessThan(3_602_000);
  expect((await rest('POST', `Subscription/${id}/${OP}`)).status).toBe(404);
  expect((await rest('GET', `Subscription/${OP}?id=${id}`)).status).toBe(404);
  expect((await rest('POST', `Subscription/${OP}`, { resourceType: 'Parameters', parameter: [{ name: 'id', valueId: id }] })).status).toBe(404);
});

test('an unknown Subscription: 400 with an OperationOutcome "Error reading subscription"', async () => {
  const result = await rest('GET', `Subscription/fwc-no-such-subscription/${OP}`);
  expect(result.status).toBe(400);
  expect(result.json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'invalid' }] });
  expect(result.json!.issue[0].diagnostics).toMatch(/^Error reading subscription: /);
});

test('JSON bind only; R4 history Bundles with SubscriptionStatus, no entry.request, events numbered "0" with the resource', async () => {
  const id = await medplumSubscription();
  const token = tokenFrom((await rest('GET', `Subscription/${id}/${OP}`)).json!);
  const socket = await TestSocket.open(token.websocketUrl);
  try {
    socket.bind(token.token, 'space');
    await socket.waitFor(isOutcome);
    socket.bind(token.token, 'json');
    const [handshake] = (await socket.waitFor(isNotification('handshake', id))) as Json[];
    expect(handshake!.type).toBe('history');
    expect(handshake!.entry).toHaveLength(1);
    expect(handshake!.entry[0].request).toBeUndefined();
    const status = handshake!.entry[0].resource;
    expect(status.resourceType).toBe('SubscriptionStatus');
    expect(status.eventsSinceSubscriptionStart).toBeUndefined();
    expect(status.topic).toBeUndefined();
    for (const family of ['One', 'Two']) expect((await rest('POST', 'Patient', { resourceType: 'Patient', name: [{ family }] })).status).toBe(201);
    const events = (await socket.waitFor(isNotification('event-notification', id), { count: 2 })) as Json[];
    expect(events.map((event) => statusOf(event)!.eventNumbers)).toEqual([['0'], ['0']]);
    for (const event of events) {
      expect(event.entry[1].resource.resourceType).toBe('Patient'); // no payload asked for, the resource comes anyway
      expect(event.entry.every((entry: Json) => entry.request === undefined)).toBe(true);
    }
  } finally {
    socket.close();
  }
});

test('the backport topic canonical keeps working beside classic criteria', async () => {
  const created = await rest('POST', 'Subscription', subscriptionResource('R4'));
  expect(created.status, created.text).toBe(201);
  const id = String(created.json!.id);
  const token = tokenFrom((await rest('GET', `Subscription/${id}/${OP}`)).json!);
  const socket = await TestSocket.open(token.websocketUrl);
  try {
    socket.bind(token.token, 'json');
    await socket.waitFor(isNotification('handshake', id));
    await rest('POST', 'Patient', { resourceType: 'Patient' });
    await socket.waitFor(isNotification('event-notification', id));
  } finally {
    socket.close();
  }
});

test('seen live (§6.8): metadata as application/json; a closing socket deletes its Subscription, whose token still binds; the binding token is a bearer', async () => {
  expect((await rest('GET', 'metadata')).headers.get('content-type')).toBe('application/json; charset=utf-8');
  const id = await medplumSubscription();
  const token = tokenFrom((await rest('GET', `Subscription/${id}/${OP}`)).json!);
  expect((await http(server, 'GET', `Subscription/${id}`, { headers: { authorization: `Bearer ${token.token}` } })).status).toBe(200);
  const first = await TestSocket.open(token.websocketUrl);
  first.bind(token.token, 'json');
  await first.waitFor(isNotification('handshake', id));
  first.close();
  await expect.poll(async () => (await rest('GET', `Subscription/${id}`)).status).toBe(410);
  const second = await TestSocket.open(token.websocketUrl);
  try {
    second.bind(token.token, 'json'); // the deleted Subscription's token still gets a handshake
    await second.waitFor(isNotification('handshake', id));
    second.send(JSON.stringify({ type: 'ping' }));
    await second.waitFor((frame) => typeof frame === 'object' && frame.type === 'pong');
  } finally {
    second.close();
  }
});
