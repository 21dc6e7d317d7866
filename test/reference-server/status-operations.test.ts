/**
 * $status and $events on Subscription instances (operation-subscription-status.ts), on real HTTP
 * and sockets: the count includes events no socket received; $events returns them, filtered by
 * eventsSinceNumber; unknown ids are 404, bad numbers 400, other methods 405; event numbers
 * continue across a reconnect.
 */
import { expect, test } from '@playwright/test';
import type { FhirVersion } from '../../reference-server/src/fhir-version.js';
import { createPatient, createSubscription, getToken, http, isNotification, start, statusOf, TestSocket } from './helpers.js';

for (const fhirVersion of ['R5', 'R4B', 'R4'] as FhirVersion[]) {
  test(`${fhirVersion}: $status counts missed events, $events returns them, numbers continue across a reconnect`, async () => {
    const server = await start({ fhirVersion });
    try {
      const id = await createSubscription(server);
      const first = await TestSocket.open(server.websocketUrl);
      first.bind((await getToken(server, [id])).token);
      await first.waitFor(isNotification('handshake', id));
      await createPatient(server);
      await first.waitFor(isNotification('event-notification', id));
      first.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await createPatient(server); // missed

      const status = await http(server, 'GET', `Subscription/${id}/$status`);
      expect(status.status).toBe(200);
      expect(status.json!.type).toBe('searchset');
      expect(statusOf(status.json!)).toMatchObject({ type: 'query-status', subscription: `Subscription/${id}`, eventsSinceSubscriptionStart: '2' });

      const events = await http(server, 'GET', `Subscription/${id}/$events?eventsSinceNumber=2`);
      expect(events.status).toBe(200);
      expect(statusOf(events.json!)).toMatchObject({ type: 'query-event', eventNumbers: ['2'] });
      const all = await http(server, 'POST', `Subscription/${id}/$events`);
      expect(statusOf(all.json!)!.eventNumbers).toEqual(['1', '2']);

      const second = await TestSocket.open(server.websocketUrl);
      try {
        second.bind((await getToken(server, [id])).token);
        await second.waitFor(isNotification('handshake', id));
        await createPatient(server);
        const [event] = await second.waitFor(isNotification('event-notification', id));
        expect(statusOf(event!)!.eventNumbers).toEqual(['3']);
      } finally {
        second.close();
      }
    } finally {
      await server.close();
    }
  });
}

test('$status / $events: unknown id 404, bad eventsSinceNumber 400, DELETE 405, listed in the CapabilityStatement', async () => {
  const server = await start({ fhirVersion: 'R4' });
  try {
    const id = await createSubscription(server);
    expect((await http(server, 'GET', 'Subscription/nope/$status')).status).toBe(404);
    expect((await http(server, 'GET', `Subscription/${id}/$events?eventsSinceNumber=x`)).status).toBe(400);
    expect((await http(server, 'DELETE', `Subscription/${id}/$status`)).status).toBe(405);
    const metadata = await http(server, 'GET', 'metadata');
    const subscription = (metadata.json!.rest[0].resource as Array<Record<string, any>>).find((r) => r.type === 'Subscription')!; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(subscription.operation.map((o: { name: string }) => o.name)).toEqual(['$get-ws-binding-token', '$status', '$events']);
  } finally {
    await server.close();
  }
});
