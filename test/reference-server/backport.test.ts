import { expect, test } from '@playwright/test';
import { createPatient, createSubscription, getToken, http, isNotification, start, statusOf, subscriptionResource, TestSocket, TOPIC, type Json } from './helpers.js';

const STATUS_R4_PROFILE = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4';
const BACKPORT_SD = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

for (const version of ['R4', 'R4B'] as const) {
  test.describe(`backport on ${version}`, () => {
    test('Subscription validation in the backport shape', async () => {
      const server = await start({ fhirVersion: version });
      try {
        const good = subscriptionResource(version, { heartbeatPeriod: 5 });
        const created = await http(server, 'POST', 'Subscription', { body: good });
        expect(created.status).toBe(201);
        expect(created.json).toMatchObject({ status: 'active', criteria: TOPIC, channel: { type: 'websocket' } });
        const r5Shaped = subscriptionResource('R5');
        expect((await http(server, 'POST', 'Subscription', { body: r5Shaped })).status).toBe(400);
        const withoutContent = structuredClone(good);
        delete withoutContent.channel._payload;
        expect((await http(server, 'POST', 'Subscription', { body: withoutContent })).status).toBe(400);
        expect((await http(server, 'POST', 'Subscription', { body: { ...good, criteria: 'Patient?name=x' } })).status).toBe(422);
        const filtered = { ...good, _criteria: { extension: [{ url: `${BACKPORT_SD}/backport-filter-criteria`, valueString: 'Patient?name=x' }] } };
        expect((await http(server, 'POST', 'Subscription', { body: filtered })).status).toBe(422);
        const sms = structuredClone(good);
        sms.channel.type = 'sms';
        expect((await http(server, 'POST', 'Subscription', { body: sms })).status).toBe(422);
      } finally {
        await server.close();
      }
    });

    test('handshake, heartbeat and events: history bundles with entry.request everywhere', async () => {
      const server = await start({ fhirVersion: version });
      const socket = await TestSocket.open(server.websocketUrl);
      try {
        const id = await createSubscription(server, { content: 'full-resource', heartbeatPeriod: 1 });
        socket.bind((await getToken(server, [id])).token);
        const [handshake] = (await socket.waitFor(isNotification('handshake', id))) as Json[];
        expect(handshake!.type).toBe('history');
        const statusEntry = handshake!.entry[0];
        expect(statusEntry.request).toEqual({ method: 'GET', url: `${server.url}/Subscription/${id}/$status` });
        expect(statusEntry.response).toEqual({ status: '200' });
        if (version === 'R4') {
          expect(statusEntry.resource).toMatchObject({ resourceType: 'Parameters', meta: { profile: [STATUS_R4_PROFILE] } });
        } else {
          expect(statusEntry.resource).toMatchObject({ resourceType: 'SubscriptionStatus', type: 'handshake', eventsSinceSubscriptionStart: '0' });
        }
        expect(statusOf(handshake!)).toMatchObject({ type: 'handshake', subscription: `Subscription/${id}`, topic: TOPIC, eventsSinceSubscriptionStart: '0' });

        const patient = await createPatient(server);
        const [event] = (await socket.waitFor(isNotification('event-notification', id))) as Json[];
        expect(event!.type).toBe('history');
        expect(statusOf(event!)).toMatchObject({ eventNumbers: ['1'], eventsSinceSubscriptionStart: '1', focus: [`Patient/${patient}`] });
        expect(event!.entry[1]).toMatchObject({
          fullUrl: `${server.url}/Patient/${patient}`,
          resource: { resourceType: 'Patient', id: patient },
          request: { method: 'POST', url: 'Patient' },
          response: { status: '201' },
        });
        for (const entry of event!.entry) expect(entry.request).toBeDefined();

        const [heartbeat] = (await socket.waitFor(isNotification('heartbeat', id), { within: 2_500 })) as Json[];
        expect(heartbeat!.type).toBe('history');
        expect(statusOf(heartbeat!)!.eventsSinceSubscriptionStart).toBe('1');
      } finally {
        socket.close();
        await server.close();
      }
    });

    test('id-only events carry the focus and an entry with fullUrl and request only', async () => {
      const server = await start({ fhirVersion: version });
      const socket = await TestSocket.open(server.websocketUrl);
      try {
        const id = await createSubscription(server, { content: 'id-only' });
        socket.bind((await getToken(server, [id])).token, 'json');
        await socket.waitFor(isNotification('handshake', id));
        const patient = await createPatient(server);
        const [event] = (await socket.waitFor(isNotification('event-notification', id))) as Json[];
        expect(event!.entry[1]).toEqual({ fullUrl: `${server.url}/Patient/${patient}`, request: { method: 'POST', url: 'Patient' } });
        expect(statusOf(event!)!.focus).toEqual([`Patient/${patient}`]);
      } finally {
        socket.close();
        await server.close();
      }
    });
  });
}

test('R4 status Parameters: every backport-subscription-status-r4 element in place', async () => {
  const server = await start({ fhirVersion: 'R4' });
  const socket = await TestSocket.open(server.websocketUrl);
  try {
    const id = await createSubscription(server, { content: 'empty' });
    socket.bind((await getToken(server, [id])).token);
    await socket.waitFor(isNotification('handshake', id));
    await createPatient(server);
    const [event] = (await socket.waitFor(isNotification('event-notification', id))) as Json[];
    const parameters = event!.entry[0].resource.parameter as Json[];
    expect(parameters.map((p) => p.name)).toEqual(['subscription', 'topic', 'status', 'type', 'events-since-subscription-start', 'notification-event']);
    expect(parameters[5]!.part.map((p: Json) => p.name)).toEqual(['event-number', 'timestamp']); // empty: no focus
    expect(event!.entry).toHaveLength(1);
  } finally {
    socket.close();
    await server.close();
  }
});
