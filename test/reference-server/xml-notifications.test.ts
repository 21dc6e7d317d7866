/**
 * WS-11: a Subscription that asks for application/fhir+xml gets its handshakes and events as FHIR
 * XML (root Bundle in the FHIR namespace, status type and subscription inside), on real sockets,
 * for every FHIR version; JSON Subscriptions on the same socket keep getting JSON.
 */
import { expect, test } from '@playwright/test';
import type { FhirVersion } from '../../reference-server/src/fhir-version.js';
import { readXmlRoot } from '../../runner/notifications/xml-frame.js';
import { createPatient, createSubscription, getToken, isNotification, start, TestSocket } from './helpers.js';

const isXml = (frame: unknown): frame is string => typeof frame === 'string' && frame.startsWith('<?xml');

for (const fhirVersion of ['R5', 'R4B', 'R4'] as FhirVersion[]) {
  test(`${fhirVersion}: an application/fhir+xml Subscription gets XML handshakes and events`, async () => {
    const server = await start({ fhirVersion });
    try {
      const xmlId = await createSubscription(server, { contentType: 'application/fhir+xml' });
      const jsonId = await createSubscription(server);
      const socket = await TestSocket.open(server.websocketUrl);
      try {
        socket.bind((await getToken(server, [xmlId, jsonId])).token);
        await socket.waitFor(isNotification('handshake', jsonId));
        const [handshake] = (await socket.waitFor(isXml)) as string[];
        expect(readXmlRoot(handshake!)).toEqual({ root: 'Bundle', namespace: 'http://hl7.org/fhir' });
        expect(handshake).toContain('value="handshake"');
        expect(handshake).toContain(`value="Subscription/${xmlId}"`);
        await createPatient(server);
        const [event] = (await socket.waitFor((f) => isXml(f) && f.includes('value="event-notification"'))) as string[];
        expect(readXmlRoot(event!).root).toBe('Bundle');
        expect(event).toMatch(/<eventNumber value="1"\/>|<name value="event-number"\/><valueString value="1"\/>/);
        await socket.waitFor(isNotification('event-notification', jsonId));
      } finally {
        socket.close();
      }
    } finally {
      await server.close();
    }
  });
}

test('a Subscription asking for text/html is still refused with 422', async () => {
  const server = await start({ fhirVersion: 'R5' });
  try {
    await expect(createSubscription(server, { contentType: 'text/html' })).rejects.toThrow(/422/);
  } finally {
    await server.close();
  }
});
