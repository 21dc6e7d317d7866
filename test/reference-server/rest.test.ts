import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import type { ReferenceServer } from '../../reference-server/src/server.js';
import { createPatient, createSubscription, http, start, subscriptionResource, TOPIC } from './helpers.js';

const R5_CANONICAL = 'http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token';
const BACKPORT_CANONICAL = 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-get-ws-binding-token';
const TOPIC_EXTENSION = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical';

function definitionFile(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(new URL(`../../runner/validator/definitions/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

test.describe('REST on R5', () => {
  let server: ReferenceServer;
  test.beforeAll(async () => {
    server = await start();
  });
  test.afterAll(async () => {
    await server.close();
  });

  test('url is the FHIR base on 127.0.0.1 with the default base path', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
    expect(server.websocketUrl).toBe(`${server.url.replace('http', 'ws')}/websocket`);
  });

  test('GET metadata: R5 CapabilityStatement listing the operation with the R5 canonical', async () => {
    const result = await http(server, 'GET', 'metadata');
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(result.json).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '5.0.0', kind: 'instance', software: { name: 'fhir-ws-reference-server' } });
    const subscription = result.json!.rest[0].resource.find((r: { type: string }) => r.type === 'Subscription');
    expect(subscription.operation[0]).toEqual({ name: 'get-ws-binding-token', definition: R5_CANONICAL }); // then status, events
    expect(subscription.extension).toBeUndefined();
  });

  test('accepts application/json and */* but answers 406 to XML only', async () => {
    expect((await http(server, 'GET', 'metadata', { headers: { Accept: 'application/json' } })).status).toBe(200);
    expect((await http(server, 'GET', 'metadata', { headers: { Accept: '*/*' } })).status).toBe(200);
    const xml = await http(server, 'GET', 'metadata', { headers: { Accept: 'application/fhir+xml' } });
    expect(xml.status).toBe(406);
    expect(xml.json?.resourceType).toBe('OperationOutcome');
    expect((await http(server, 'GET', 'metadata?_format=xml')).status).toBe(406);
    expect((await http(server, 'GET', 'metadata?_format=json')).status).toBe(200);
  });

  test('OperationDefinition read returns the R5 canonical JSON; unknown id → 404', async () => {
    const result = await http(server, 'GET', 'OperationDefinition/Subscription-get-ws-binding-token');
    expect(result.status).toBe(200);
    expect(result.json).toEqual(definitionFile('r5-get-ws-binding-token.json'));
    const unknown = await http(server, 'GET', 'OperationDefinition/backport-subscription-get-ws-binding-token');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    expect((await http(server, 'POST', 'OperationDefinition', { body: { resourceType: 'OperationDefinition' } })).status).toBe(405);
  });

  test('SubscriptionTopic search and read: the built-in Patient-create topic', async () => {
    const search = await http(server, 'GET', `SubscriptionTopic?url=${encodeURIComponent(TOPIC)}`);
    expect(search.status).toBe(200);
    expect(search.json).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const topic = search.json!.entry[0].resource;
    expect(topic).toMatchObject({ id: 'patient-create', url: TOPIC, status: 'active' });
    expect(topic.resourceTrigger[0]).toMatchObject({ resource: 'http://hl7.org/fhir/StructureDefinition/Patient', supportedInteraction: ['create'] });
    expect((await http(server, 'GET', 'SubscriptionTopic/patient-create')).json?.url).toBe(TOPIC);
    expect((await http(server, 'GET', 'SubscriptionTopic?url=http://nowhere.example/x')).json?.total).toBe(0);
  });

  test('Subscription create, read, search, update to off, delete, then 410', async () => {
    const created = await http(server, 'POST', 'Subscription', { body: subscriptionResource('R5', { content: 'full-resource' }) });
    expect(created.status).toBe(201);
    const id = created.json!.id as string;
    expect(created.json).toMatchObject({ status: 'active', topic: TOPIC, content: 'full-resource', meta: { versionId: '1' } });
    expect(created.headers.get('location')).toBe(`${server.url}/Subscription/${id}/_history/1`);
    expect((await http(server, 'GET', `Subscription/${id}`)).json?.id).toBe(id);
    const search = await http(server, 'GET', `Subscription?_id=${id}&status=active`);
    expect(search.json).toMatchObject({ total: 1, entry: [{ fullUrl: `${server.url}/Subscription/${id}` }] });
    const updated = await http(server, 'PUT', `Subscription/${id}`, { body: { ...created.json, status: 'off' } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ status: 'off', meta: { versionId: '2' } });
    expect((await http(server, 'DELETE', `Subscription/${id}`)).status).toBe(200);
    expect((await http(server, 'GET', `Subscription/${id}`)).status).toBe(410);
    expect((await http(server, 'DELETE', `Subscription/${id}`)).status).toBe(410);
  });

  test('Subscription errors: unknown topic 422, missing channelType 400, XML payload 422, filters 422', async () => {
    const base = subscriptionResource('R5');
    const unknownTopic = await http(server, 'POST', 'Subscription', { body: { ...base, topic: 'http://example.org/nope' } });
    expect(unknownTopic.status).toBe(422);
    expect(unknownTopic.json?.issue[0].diagnostics).toContain('unknown topic');
    const { channelType: _dropped, ...noChannel } = base;
    expect((await http(server, 'POST', 'Subscription', { body: noChannel })).status).toBe(400);
    expect((await http(server, 'POST', 'Subscription', { body: { ...base, contentType: 'text/html' } })).status).toBe(422); // XML is served since WS-11
    expect((await http(server, 'POST', 'Subscription', { body: { ...base, filterBy: [{ filterParameter: 'x', value: 'y' }] } })).status).toBe(422);
    expect((await http(server, 'POST', 'Subscription', { body: { ...base, content: 'everything' } })).status).toBe(400);
    expect((await http(server, 'POST', 'Subscription', { body: { ...base, status: 'bogus' } })).status).toBe(400);
    expect((await http(server, 'POST', 'Subscription', { body: { ...base, heartbeatPeriod: -1 } })).status).toBe(400);
    expect((await http(server, 'POST', 'Subscription', { body: { ...base, channelType: { code: 'email' } } })).status).toBe(422);
    expect((await http(server, 'POST', 'Subscription', { body: { ...base, resourceType: 'Patient' } })).status).toBe(400);
  });

  test('bodies: malformed JSON 400, text/plain 415, array 400, body id ≠ URL id 400', async () => {
    const garbage = await http(server, 'POST', 'Subscription', { body: '{"resourceType":' });
    expect(garbage.status).toBe(400);
    expect(garbage.json?.resourceType).toBe('OperationOutcome');
    expect((await http(server, 'POST', 'Patient', { body: '{}', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    expect((await http(server, 'POST', 'Patient', { body: '[]' })).status).toBe(400);
    const id = await createPatient(server);
    expect((await http(server, 'PUT', `Patient/${id}`, { body: { resourceType: 'Patient', id: 'other' } })).status).toBe(400);
  });

  test('Patient create, update (and update-as-create), read', async () => {
    const id = await createPatient(server);
    const updated = await http(server, 'PUT', `Patient/${id}`, { body: { resourceType: 'Patient', id, active: true } });
    expect(updated.status).toBe(200);
    expect(updated.json?.meta.versionId).toBe('2');
    const created = await http(server, 'PUT', 'Patient/client-chosen', { body: { resourceType: 'Patient', id: 'client-chosen' } });
    expect(created.status).toBe(201);
    expect((await http(server, 'GET', 'Patient/client-chosen')).status).toBe(200);
  });

  test('routing errors: unknown type 404, unknown operation 404, wrong method 405 with Allow, outside base 404', async () => {
    expect((await http(server, 'GET', 'Observation')).status).toBe(404);
    expect((await http(server, 'POST', 'Subscription/$status')).status).toBe(404);
    const patch = await http(server, 'PATCH', 'Subscription/abc');
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('GET, PUT, DELETE');
    expect((await http(server, 'GET', `${server.url.replace('/fhir', '')}/other`)).status).toBe(404);
    expect((await http(server, 'GET', 'Subscription/a/_history/1')).status).toBe(404);
    const websocketByHttp = await http(server, 'GET', 'websocket');
    expect(websocketByHttp.status).toBe(426);
  });

  test('rest-hook Subscriptions are stored with status requested', async () => {
    const id = await createSubscription(server, { channel: 'rest-hook' });
    expect((await http(server, 'GET', `Subscription/${id}`)).json?.status).toBe('requested');
  });
});

test.describe('REST per version', () => {
  for (const [version, release] of [['R4', '4.0.1'], ['R4B', '4.3.0']] as const) {
    test(`${version}: metadata ${release}, $-named operation with the backport canonical, topic extension`, async () => {
      const server = await start({ fhirVersion: version });
      try {
        const result = await http(server, 'GET', 'metadata');
        expect(result.json?.fhirVersion).toBe(release);
        const subscription = result.json!.rest[0].resource.find((r: { type: string }) => r.type === 'Subscription');
        expect(subscription.operation[0]).toEqual({ name: '$get-ws-binding-token', definition: BACKPORT_CANONICAL }); // then $status, $events
        expect(subscription.extension).toEqual([{ url: TOPIC_EXTENSION, valueCanonical: TOPIC }]);
        const definition = await http(server, 'GET', 'OperationDefinition/backport-subscription-get-ws-binding-token');
        expect(definition.json).toEqual(definitionFile('backport-get-ws-binding-token.json'));
        expect((await http(server, 'GET', 'OperationDefinition/Subscription-get-ws-binding-token')).status).toBe(404);
        const topic = await http(server, 'GET', 'SubscriptionTopic/patient-create');
        expect(topic.status).toBe(version === 'R4' ? 404 : 200); // R4 has no SubscriptionTopic resource
      } finally {
        await server.close();
      }
    });
  }

  test('extra topics: another resource type becomes servable and advertised', async () => {
    const url = 'http://example.org/fhir/SubscriptionTopic/encounter-change';
    const server = await start({ topics: [{ id: 'encounter-change', url, resourceType: 'Encounter', interactions: ['create', 'update'] }] });
    try {
      expect((await http(server, 'GET', 'SubscriptionTopic?url=' + encodeURIComponent(url))).json?.total).toBe(1);
      expect((await http(server, 'POST', 'Encounter', { body: { resourceType: 'Encounter', status: 'planned' } })).status).toBe(201);
      expect((await createSubscription(server, { topic: url })).length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  test('publicUrl: responses name the public base; websocket-url follows it (https → wss)', async () => {
    const server = await start({ publicUrl: 'https://fhir.example.org/r5/' });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/); // still reachable locally
      expect((await http(server, 'GET', 'metadata')).json?.implementation.url).toBe('https://fhir.example.org/r5');
      const id = await createSubscription(server);
      const token = await http(server, 'POST', `Subscription/${id}/$get-ws-binding-token`);
      expect(token.json?.parameter.find((p: { name: string }) => p.name === 'websocket-url').valueUrl).toBe('wss://fhir.example.org/r5/websocket');
    } finally {
      await server.close();
    }
  });
});
