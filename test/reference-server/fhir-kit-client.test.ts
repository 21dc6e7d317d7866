/**
 * Interop: a third-party FHIR client (fhir-kit-client) drives the reference server end to end.
 */
import { expect, test } from '@playwright/test';
import { Client } from 'fhir-kit-client';
import { isNotification, start, subscriptionResource, TestSocket, tokenFrom, type Json } from './helpers.js';

for (const version of ['R5', 'R4'] as const) {
  test(`fhir-kit-client on ${version}: capabilities, create, operation (POST and GET), search, read, delete`, async () => {
    const server = await start({ fhirVersion: version });
    const client = new Client({ baseUrl: server.url });
    const socket = await TestSocket.open(server.websocketUrl);
    try {
      const capabilities = (await client.capabilityStatement()) as Json;
      expect(capabilities.fhirVersion).toBe(version === 'R5' ? '5.0.0' : '4.0.1');

      const created = (await client.create({ resourceType: 'Subscription', body: subscriptionResource(version) as never })) as Json;
      const id = String(created.id);
      const viaPost = (await client.operation({
        name: 'get-ws-binding-token',
        resourceType: 'Subscription',
        id,
        input: { resourceType: 'Parameters', parameter: [] } as never,
      })) as Json;
      const viaGet = (await client.operation({ name: '$get-ws-binding-token', resourceType: 'Subscription', method: 'GET', input: { id } as never })) as Json;
      expect(tokenFrom(viaGet).subscriptions).toEqual([id]);

      socket.bind(tokenFrom(viaPost).token);
      await socket.waitFor(isNotification('handshake', id));

      const search = (await client.search({ resourceType: 'Subscription', searchParams: { _id: id } })) as Json;
      expect(search.total).toBe(1);
      expect(((await client.read({ resourceType: 'Subscription', id })) as Json).status).toBe('active');
      await client.delete({ resourceType: 'Subscription', id });
      const gone = await client.read({ resourceType: 'Subscription', id }).catch((error: { response?: { status: number; data: Json } }) => error.response);
      expect(gone).toMatchObject({ status: 410 });
      const missing = (await client
        .operation({ name: 'get-ws-binding-token', resourceType: 'Subscription', id: 'nope' })
        .catch((error: { response?: { status: number; data: Json } }) => error.response)) as { status: number; data: Json } | undefined;
      expect(missing?.status).toBe(404);
      expect(missing?.data.resourceType).toBe('OperationOutcome');
    } finally {
      socket.close();
      await server.close();
    }
  });
}
