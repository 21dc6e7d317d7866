/**
 * The Subscription bodies the suite creates: a config template is merged over them, but a fixture's
 * channel type and content level win over it (examples/medplum.yaml's `channel: {type: websocket}`
 * must not turn the rest-hook fixture into a websocket one).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { subscriptionBody } from '../../../runner/engine/subscription-body.js';

const TOPIC = 'http://example.org/fhir/SubscriptionTopic/patient-create';
const CONTENT_URL = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content';
const MEDPLUM_TEMPLATE = (parse(readFileSync(new URL('../../../examples/medplum.yaml', import.meta.url), 'utf8')) as { subscriptions: { template: Record<string, unknown> } })
  .subscriptions.template;

type Body = Record<string, any>;

test('R4 with the Medplum template: the rest-hook fixture stays rest-hook, the rest of the template applies', () => {
  expect(MEDPLUM_TEMPLATE).toMatchObject({ channel: { type: 'websocket' } });
  const body = subscriptionBody({ fixture: { channel: 'rest-hook' }, topic: TOPIC, fhirVersion: 'R4', template: MEDPLUM_TEMPLATE }) as Body;
  expect(body.channel.type).toBe('rest-hook');
  expect(body.channel.endpoint).toBeDefined();
  expect(body.status).toBe('active'); // from the template
  const websocket = subscriptionBody({ fixture: { channel: 'websocket' }, topic: TOPIC, fhirVersion: 'R4', template: MEDPLUM_TEMPLATE }) as Body;
  expect(websocket.channel.type).toBe('websocket');
});

test('R4/R4B: the fixture content level wins over a template payload extension; other extensions stay', () => {
  const template = {
    channel: { type: 'websocket', _payload: { extension: [{ url: CONTENT_URL, valueCode: 'full-resource' }, { url: 'http://example.org/x', valueString: 'kept' }] } },
  };
  for (const fhirVersion of ['R4', 'R4B'] as const) {
    const body = subscriptionBody({ fixture: { channel: 'websocket', content: 'empty' }, topic: TOPIC, fhirVersion, template }) as Body;
    const extensions = body.channel._payload.extension as Body[];
    expect(extensions.filter((e) => e.url === CONTENT_URL)).toEqual([{ url: CONTENT_URL, valueCode: 'empty' }]);
    expect(extensions).toContainEqual({ url: 'http://example.org/x', valueString: 'kept' });
  }
  // a fixture that names no content level leaves the template's
  const open = subscriptionBody({ fixture: { channel: 'websocket' }, topic: TOPIC, fhirVersion: 'R4', template }) as Body;
  expect(open.channel._payload.extension).toContainEqual({ url: CONTENT_URL, valueCode: 'full-resource' });
});

test('R5: channelType.code and content follow the fixture; other template fields stay', () => {
  const template = { channelType: { code: 'websocket', display: 'from the template' }, content: 'full-resource', heartbeatPeriod: 30 };
  const body = subscriptionBody({ fixture: { channel: 'rest-hook', content: 'id-only' }, topic: TOPIC, fhirVersion: 'R5', template }) as Body;
  expect(body.channelType).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/subscription-channel-type', code: 'rest-hook', display: 'from the template' });
  expect(body.content).toBe('id-only');
  expect(body.heartbeatPeriod).toBe(30);
});

test('without a template the body is the plain one for the version', () => {
  const body = subscriptionBody({ fixture: { channel: 'websocket', content: 'empty', heartbeatPeriod: 2 }, topic: TOPIC, fhirVersion: 'R5' }) as Body;
  expect(body).toMatchObject({ resourceType: 'Subscription', topic: TOPIC, channelType: { code: 'websocket' }, content: 'empty', heartbeatPeriod: 2 });
});
