/**
 * The Subscription resources the suite creates, in the shape of the target's FHIR version:
 * R5 core (topic, channelType, content) or the R4/R4B backport profile (criteria holds the topic,
 * channel.payload carries the content extension). A config template is merged over the result,
 * for servers with conventions of their own — but the fixture's channel type and content level win
 * over it: a template written for websocket Subscriptions (`channel: {type: websocket}`) must not
 * turn the rest-hook fixture into a websocket one, or the scenario would test something else than
 * it says and record a profile fact about a Subscription that was never created.
 */
import type { FhirVersion, SubscriptionFixture } from '../scenario/model.js';

const CHANNEL_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/subscription-channel-type';
const BACKPORT_SD = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export interface SubscriptionRequest {
  fixture: Pick<SubscriptionFixture, 'channel' | 'content' | 'heartbeatPeriod' | 'contentType'>;
  topic: string;
  fhirVersion: FhirVersion;
  template?: Record<string, unknown>;
  /** rest-hook needs an endpoint; nothing listens there and the suite never triggers it. */
  restHookEndpoint?: string;
}

export function subscriptionBody(request: SubscriptionRequest): Record<string, unknown> {
  const body = request.fhirVersion === 'R5' ? r5Body(request) : backportBody(request);
  if (!request.template) return body;
  const merged = deepMerge(body, request.template);
  return request.fhirVersion === 'R5' ? r5FixtureWins(merged, request.fixture) : backportFixtureWins(merged, request.fixture);
}

const CONTENT_EXTENSION = `${BACKPORT_SD}/backport-payload-content`;

/** channelType.code and content as the fixture says (other template fields in channelType stay). */
function r5FixtureWins(body: Record<string, unknown>, fixture: SubscriptionRequest['fixture']): Record<string, unknown> {
  const coding = isPlainObject(body.channelType) ? body.channelType : {};
  return {
    ...body,
    channelType: { ...coding, system: CHANNEL_TYPE_SYSTEM, code: fixture.channel },
    ...(fixture.content !== undefined ? { content: fixture.content } : {}),
  };
}

/** channel.type and the payload's content extension as the fixture says (other extensions stay). */
function backportFixtureWins(body: Record<string, unknown>, fixture: SubscriptionRequest['fixture']): Record<string, unknown> {
  const channel = isPlainObject(body.channel) ? body.channel : {};
  const withType = { ...channel, type: fixture.channel };
  if (fixture.content === undefined) return { ...body, channel: withType };
  const payload = isPlainObject(channel._payload) ? channel._payload : {};
  const others = Array.isArray(payload.extension) ? payload.extension.filter((e) => !(isPlainObject(e) && e.url === CONTENT_EXTENSION)) : [];
  const extension = [...others, { url: CONTENT_EXTENSION, valueCode: fixture.content }];
  return { ...body, channel: { ...withType, _payload: { ...payload, extension } } };
}

function r5Body({ fixture, topic, restHookEndpoint }: SubscriptionRequest): Record<string, unknown> {
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'fhir-ws-conformance test subscription',
    topic,
    channelType: { system: CHANNEL_TYPE_SYSTEM, code: fixture.channel },
    ...(fixture.channel === 'rest-hook' ? { endpoint: restHookEndpoint ?? 'http://127.0.0.1:9/unused' } : {}),
    contentType: fixture.contentType ?? 'application/fhir+json',
    content: fixture.content ?? 'id-only',
    ...(fixture.heartbeatPeriod !== undefined ? { heartbeatPeriod: fixture.heartbeatPeriod } : {}),
  };
}

function backportBody({ fixture, topic, restHookEndpoint }: SubscriptionRequest): Record<string, unknown> {
  const channelExtensions =
    fixture.heartbeatPeriod !== undefined
      ? [{ url: `${BACKPORT_SD}/backport-heartbeat-period`, valueUnsignedInt: fixture.heartbeatPeriod }]
      : undefined;
  return {
    resourceType: 'Subscription',
    meta: { profile: [`${BACKPORT_SD}/backport-subscription`] },
    status: 'requested',
    reason: 'fhir-ws-conformance test subscription',
    criteria: topic,
    channel: {
      ...(channelExtensions ? { extension: channelExtensions } : {}),
      type: fixture.channel,
      ...(fixture.channel === 'rest-hook' ? { endpoint: restHookEndpoint ?? 'http://127.0.0.1:9/unused' } : {}),
      payload: fixture.contentType ?? 'application/fhir+json',
      _payload: {
        extension: [{ url: CONTENT_EXTENSION, valueCode: fixture.content ?? 'id-only' }],
      },
    },
  };
}

/** Objects merge key by key; arrays and scalars in the template replace. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
