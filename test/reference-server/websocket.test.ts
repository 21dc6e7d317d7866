import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import type { ReferenceServer } from '../../reference-server/src/server.js';
import {
  createPatient,
  createSubscription,
  getToken,
  http,
  isNotification,
  isOutcome,
  start,
  statusOf,
  TestSocket,
  TOPIC,
  type Json,
} from './helpers.js';

test.describe('websocket channel on R5', () => {
  let server: ReferenceServer;
  test.beforeAll(async () => {
    server = await start();
  });
  test.afterAll(async () => {
    await server.close();
  });

  for (const form of ['space', 'colon', 'json'] as const) {
    test(`bind form "${form}" yields one R5 handshake`, async () => {
      const id = await createSubscription(server);
      const { token, websocketUrl } = await getToken(server, [id]);
      const socket = await TestSocket.open(websocketUrl);
      try {
        socket.bind(`  ${token} `, form); // surrounding whitespace is trimmed
        const [handshake] = (await socket.waitFor(isNotification('handshake'))) as Json[];
        expect(handshake).toMatchObject({ resourceType: 'Bundle', type: 'subscription-notification' });
        const status = handshake!.entry[0].resource;
        expect(status).toMatchObject({
          resourceType: 'SubscriptionStatus',
          type: 'handshake',
          status: 'active',
          subscription: { reference: `Subscription/${id}` },
          topic: TOPIC,
          eventsSinceSubscriptionStart: '0',
        });
        expect(handshake!.entry).toHaveLength(1);
        expect(await socket.collect(300)).toEqual([]); // exactly one
      } finally {
        socket.close();
      }
    });
  }

  test('a token covering N Subscriptions yields N handshakes, one each', async () => {
    const ids = [await createSubscription(server), await createSubscription(server), await createSubscription(server)];
    const { token } = await getToken(server, ids, 'type');
    const socket = await TestSocket.open(server.websocketUrl);
    try {
      socket.bind(token);
      const handshakes = await socket.waitFor(isNotification('handshake'), { count: 3 });
      expect(handshakes.map((frame) => statusOf(frame)!.subscription).sort()).toEqual(ids.map((id) => `Subscription/${id}`).sort());
    } finally {
      socket.close();
    }
  });

  test('several binds on one connection, and the same token again on a second socket', async () => {
    const a = await createSubscription(server);
    const b = await createSubscription(server);
    const tokenA = await getToken(server, [a]);
    const tokenB = await getToken(server, [b]);
    const socket = await TestSocket.open(server.websocketUrl);
    const second = await TestSocket.open(server.websocketUrl);
    try {
      socket.bind(tokenA.token);
      await socket.waitFor(isNotification('handshake', a));
      socket.bind(tokenB.token, 'colon');
      await socket.waitFor(isNotification('handshake', b));
      second.bind(tokenA.token, 'json'); // reusable until expiration
      await second.waitFor(isNotification('handshake', a));
      const from = socket.frames.length;
      await createPatient(server);
      await socket.waitFor(isNotification('event-notification', a), { from });
      await socket.waitFor(isNotification('event-notification', b), { from });
    } finally {
      socket.close();
      second.close();
    }
  });

  test('refused tokens get an OperationOutcome frame and no handshake; the socket stays usable', async () => {
    const id = await createSubscription(server);
    const { token } = await getToken(server, [id]);
    const socket = await TestSocket.open(server.websocketUrl);
    try {
      for (const bad of ['', 'x', token.slice(0, -1), `${token}x`, token.toUpperCase(), token.slice(1)]) {
        const from = socket.frames.length;
        socket.bind(bad);
        const [outcome] = (await socket.waitFor(isOutcome, { from })) as Json[];
        expect(outcome!.issue[0].severity).toBe('error');
      }
      socket.send('bind-with-token');
      await socket.waitFor(isOutcome, { count: 7 });
      expect(socket.frames.some(isNotification('handshake'))).toBe(false);
      socket.bind(token);
      await socket.waitFor(isNotification('handshake', id));
    } finally {
      socket.close();
    }
  });

  test('junk never crashes it: unknown text, bad JSON, binary, oversize frame', async () => {
    const socket = await TestSocket.open(server.websocketUrl);
    try {
      socket.send('hello');
      socket.send('{"type":"bind-with-token"');
      socket.send('{"type":"bind-with-token","payload":{"token":42}}');
      socket.send('bind-with-tokenX');
      socket.ws.send(Buffer.from([0, 1, 2, 3]), { binary: true });
      await socket.waitFor(isOutcome, { count: 5 });
      socket.ws.send('x'.repeat(200_000));
      expect((await socket.waitForClose()).code).toBe(1009);
      const id = await createSubscription(server); // the server is still fine
      const fresh = await TestSocket.open(server.websocketUrl);
      fresh.bind((await getToken(server, [id])).token);
      await fresh.waitFor(isNotification('handshake', id));
      fresh.close();
    } finally {
      socket.close();
    }
  });

  test('upgrades elsewhere than the channel path are refused', async () => {
    const wrong = server.websocketUrl.replace('/websocket', '/ws');
    const error = await new Promise<Error>((resolve) => {
      const ws = new WebSocket(wrong);
      ws.on('error', resolve);
      ws.on('open', () => resolve(new Error('opened')));
    });
    expect(error.message).toContain('404');
  });

  test('heartbeats at heartbeatPeriod; counters do not advance on handshake or heartbeat', async () => {
    const id = await createSubscription(server, { heartbeatPeriod: 1 });
    const socket = await TestSocket.open(server.websocketUrl);
    try {
      socket.bind((await getToken(server, [id])).token);
      await socket.waitFor(isNotification('handshake', id));
      const heartbeats = await socket.waitFor(isNotification('heartbeat', id), { count: 2, within: 2_600 });
      for (const heartbeat of heartbeats) {
        expect(statusOf(heartbeat)!.eventsSinceSubscriptionStart).toBe('0');
        expect((heartbeat as Json).entry).toHaveLength(1);
      }
    } finally {
      socket.close();
    }
  });

  test('no heartbeatPeriod, no heartbeats', async () => {
    const id = await createSubscription(server);
    const socket = await TestSocket.open(server.websocketUrl);
    try {
      socket.bind((await getToken(server, [id])).token);
      await socket.waitFor(isNotification('handshake', id));
      expect((await socket.collect(1_200)).filter(isNotification('heartbeat'))).toEqual([]);
    } finally {
      socket.close();
    }
  });

  const contents = ['empty', 'id-only', 'full-resource'] as const;
  for (const content of contents) {
    test(`events with content ${content}: sequential eventNumbers, the right payload`, async () => {
      const id = await createSubscription(server, { content });
      const socket = await TestSocket.open(server.websocketUrl);
      try {
        socket.bind((await getToken(server, [id])).token);
        await socket.waitFor(isNotification('handshake', id));
        const patients = [await createPatient(server), await createPatient(server)];
        const events = (await socket.waitFor(isNotification('event-notification', id), { count: 2 })) as Json[];
        expect(events.map((event) => statusOf(event)!.eventNumbers)).toEqual([['1'], ['2']]);
        expect(events.map((event) => statusOf(event)!.eventsSinceSubscriptionStart)).toEqual(['1', '2']);
        const [first] = events;
        const notificationEvent = first!.entry[0].resource.notificationEvent[0];
        expect(notificationEvent.timestamp).toMatch(/Z$/);
        if (content === 'empty') {
          expect(notificationEvent.focus).toBeUndefined();
          expect(first!.entry).toHaveLength(1);
        } else {
          expect(notificationEvent.focus).toEqual({ reference: `Patient/${patients[0]}` });
          expect(first!.entry).toHaveLength(2);
          const focusEntry = first!.entry[1];
          expect(focusEntry.fullUrl).toBe(`${server.url}/Patient/${patients[0]}`);
          if (content === 'id-only') expect(focusEntry.resource).toBeUndefined();
          else expect(focusEntry.resource).toMatchObject({ resourceType: 'Patient', id: patients[0] });
        }
      } finally {
        socket.close();
      }
    });
  }

  test('tokens are revoked and delivery stops when the Subscription is deleted', async () => {
    const id = await createSubscription(server);
    const { token } = await getToken(server, [id]);
    const bound = await TestSocket.open(server.websocketUrl);
    try {
      bound.bind(token);
      await bound.waitFor(isNotification('handshake', id));
      expect((await http(server, 'DELETE', `Subscription/${id}`)).status).toBe(200);
      const from = bound.frames.length;
      await createPatient(server);
      bound.bind(token);
      await bound.waitFor(isOutcome, { from });
      expect(bound.frames.slice(from).filter((frame) => statusOf(frame) !== undefined)).toEqual([]);
    } finally {
      bound.close();
    }
  });
});

test('a client that goes away is forgotten: its connection and heartbeat timers are cleaned up', async () => {
  const server = await start();
  try {
    const id = await createSubscription(server, { heartbeatPeriod: 1 });
    const socket = await TestSocket.open(server.websocketUrl);
    socket.bind((await getToken(server, [id])).token);
    await socket.waitFor(isNotification('handshake', id));
    expect(server.stats()).toEqual({ connections: 1, bindings: 1 });
    socket.close(); // abrupt: no close frame
    const deadline = Date.now() + 3_000;
    while (server.stats().connections > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.stats()).toEqual({ connections: 0, bindings: 0 });
  } finally {
    await server.close();
  }
});

test('update and delete topics: PUT and DELETE requests in the entries; a deleted resource is not included', async () => {
  const url = 'http://example.org/fhir/SubscriptionTopic/encounter-change';
  const server = await start({ topics: [{ id: 'encounter-change', url, resourceType: 'Encounter', interactions: ['update', 'delete'] }] });
  const socket = await TestSocket.open(server.websocketUrl);
  try {
    const id = await createSubscription(server, { topic: url, content: 'full-resource' });
    socket.bind((await getToken(server, [id])).token);
    await socket.waitFor(isNotification('handshake', id));
    const created = await http(server, 'POST', 'Encounter', { body: { resourceType: 'Encounter', status: 'planned' } });
    const encounter = created.json!.id as string;
    await http(server, 'PUT', `Encounter/${encounter}`, { body: { ...created.json, status: 'finished' } });
    await http(server, 'DELETE', `Encounter/${encounter}`);
    const events = (await socket.waitFor(isNotification('event-notification', id), { count: 2 })) as Json[];
    expect(events.map((event) => statusOf(event)!.eventNumbers)).toEqual([['1'], ['2']]); // the create fired nothing
    expect(events[0]!.entry[1]).toMatchObject({ resource: { status: 'finished' }, request: { method: 'PUT', url: `Encounter/${encounter}` }, response: { status: '200' } });
    expect(events[1]!.entry[1]).toEqual({ fullUrl: `${server.url}/Encounter/${encounter}`, request: { method: 'DELETE', url: `Encounter/${encounter}` }, response: { status: '204' } });
  } finally {
    socket.close();
    await server.close();
  }
});

test('token expiry: binds before its stated expiration, refused after (TTL 1 s)', async () => {
  const server = await start({ tokenTtlSeconds: 1 });
  try {
    const id = await createSubscription(server);
    const { token, expiration } = await getToken(server, [id]);
    const socket = await TestSocket.open(server.websocketUrl);
    socket.bind(token);
    await socket.waitFor(isNotification('handshake', id));
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiration) - Date.now() + 50));
    const from = socket.frames.length;
    socket.bind(token);
    const [outcome] = (await socket.waitFor(isOutcome, { from })) as Json[];
    expect(outcome!.issue[0].code).toBe('expired');
    socket.close();
  } finally {
    await server.close();
  }
});
