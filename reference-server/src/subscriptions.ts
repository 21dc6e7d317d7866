/**
 * Subscription resources in the version's shape — R5 core, or the R4/R4B backport profile —
 * validated on create/update and read back as one version-neutral model.
 *
 * Problems are reported all at once. Structural ones (wrong type, missing element, bad code) make a
 * 400; well-formed requests the server will not honour (unknown topic, unsupported channel type,
 * MIME type or filter) make a 422, as SEC-02 asks: reject rather than silently deliver something else.
 */
import { isBackport, type FhirVersion } from './fhir-version.js';
import type { FhirResource } from './store.js';
import type { TopicCatalogue } from './topics.js';

export const CHANNEL_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/subscription-channel-type';
export const BACKPORT_SD = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
const EXT = {
  payloadContent: `${BACKPORT_SD}/backport-payload-content`,
  heartbeatPeriod: `${BACKPORT_SD}/backport-heartbeat-period`,
  timeout: `${BACKPORT_SD}/backport-timeout`,
  maxCount: `${BACKPORT_SD}/backport-max-count`,
  filterCriteria: `${BACKPORT_SD}/backport-filter-criteria`,
};

export type ChannelKind = 'websocket' | 'rest-hook';
export type ContentLevel = 'empty' | 'id-only' | 'full-resource';
const CONTENT_LEVELS: readonly string[] = ['empty', 'id-only', 'full-resource'];
const SUPPORTED_CHANNELS: readonly string[] = ['websocket', 'rest-hook'];
/** A resource type name: classic R4 criteria ("Patient"), as opposed to a topic canonical. */
const CLASSIC_CRITERIA = /^[A-Z][A-Za-z]{1,63}$/;
/** R5 defaults a missing `content` to id-only here (the backport makes it mandatory). */
const DEFAULT_CONTENT: ContentLevel = 'id-only';

export interface SubscriptionModel {
  id: string;
  status: string;
  topicUrl: string;
  channel: ChannelKind;
  content: ContentLevel;
  contentType: string;
  heartbeatPeriod?: number; // seconds
  timeout?: number;
  maxCount?: number;
}

export interface Problem {
  kind: 'structure' | 'business-rule';
  message: string;
}

export type SubscriptionValidation = { ok: true; resource: FhirResource } | { ok: false; status: 400 | 422; problems: Problem[] };

const STATUSES: Record<FhirVersion, readonly string[]> = {
  R4: ['requested', 'active', 'error', 'off'],
  R4B: ['requested', 'active', 'error', 'off', 'entered-in-error'],
  R5: ['requested', 'active', 'error', 'off', 'entered-in-error'],
};

/** Statuses in which a Subscription must not be bound or notified, and its tokens are revoked. */
export function isRetired(status: string): boolean {
  return status === 'off' || status === 'entered-in-error' || status === 'error';
}

/**
 * Validate a Subscription for create/update and return the resource to store: the server decides
 * the status (a requested websocket Subscription becomes active; nothing needs a handshake first).
 */
export function validateSubscription(body: FhirResource, version: FhirVersion, topics: TopicCatalogue): SubscriptionValidation {
  const problems: Problem[] = [];
  const read = isBackport(version) ? readBackport(body, problems) : readR5(body, problems);
  if (typeof body.status !== 'string' || !STATUSES[version].includes(body.status)) {
    problems.push(structure(`Subscription.status must be one of ${STATUSES[version].join(', ')}`));
  }
  if (read.topicUrl !== undefined && !topics.byUrl(read.topicUrl)) {
    const where = isBackport(version) ? 'Subscription.criteria' : 'Subscription.topic';
    problems.push(rule(`${where} names an unknown topic "${read.topicUrl}"; known topics: ${topics.describeAccepted()}`));
  }
  if (problems.length > 0) {
    const status = problems.some((problem) => problem.kind === 'structure') ? 400 : 422;
    return { ok: false, status, problems };
  }
  const resource = structuredClone(body);
  resource.status = decideStatus(String(body.status), read.channel!);
  return { ok: true, resource };
}

function decideStatus(requested: string, channel: ChannelKind): string {
  if (requested !== 'requested') return requested;
  // A websocket Subscription is ready as soon as it exists; rest-hook delivery is not implemented,
  // so a rest-hook Subscription stays requested (it exists for "not a websocket" checks).
  return channel === 'websocket' ? 'active' : 'requested';
}

/** The model of a stored (already validated) Subscription. */
export function subscriptionModel(resource: FhirResource, version: FhirVersion): SubscriptionModel {
  const read = isBackport(version) ? readBackport(resource, []) : readR5(resource, []);
  return {
    id: String(resource.id),
    status: String(resource.status),
    topicUrl: read.topicUrl ?? '',
    channel: read.channel ?? 'websocket',
    content: read.content ?? DEFAULT_CONTENT,
    contentType: read.contentType ?? 'application/fhir+json',
    ...(read.heartbeatPeriod !== undefined ? { heartbeatPeriod: read.heartbeatPeriod } : {}),
    ...(read.timeout !== undefined ? { timeout: read.timeout } : {}),
    ...(read.maxCount !== undefined ? { maxCount: read.maxCount } : {}),
  };
}

type ReadFields = Partial<Omit<SubscriptionModel, 'id' | 'status'>>;

function readR5(body: FhirResource, problems: Problem[]): ReadFields {
  const fields: ReadFields = {};
  fields.topicUrl = requiredUri(body.topic, 'Subscription.topic', problems);
  const channelType = body.channelType as Record<string, unknown> | undefined;
  if (!isObject(channelType) || typeof channelType.code !== 'string') {
    problems.push(structure('Subscription.channelType must be a Coding with a code (websocket)'));
  } else if (channelType.system !== undefined && channelType.system !== CHANNEL_TYPE_SYSTEM) {
    problems.push(rule(`Subscription.channelType.system must be ${CHANNEL_TYPE_SYSTEM}`));
  } else {
    fields.channel = supportedChannel(channelType.code, 'Subscription.channelType.code', problems);
  }
  if (fields.channel === 'rest-hook') requiredUri(body.endpoint, 'Subscription.endpoint (rest-hook)', problems);
  fields.content = contentLevel(body.content, 'Subscription.content', problems, false);
  fields.contentType = mimeType(body.contentType, 'Subscription.contentType', problems, false);
  fields.heartbeatPeriod = unsignedInt(body.heartbeatPeriod, 'Subscription.heartbeatPeriod', problems, 1);
  fields.timeout = unsignedInt(body.timeout, 'Subscription.timeout', problems, 0);
  fields.maxCount = unsignedInt(body.maxCount, 'Subscription.maxCount', problems, 1);
  if (body.filterBy !== undefined) problems.push(rule('Subscription.filterBy is not supported by this server (filters are not evaluated)'));
  return fields;
}

function readBackport(body: FhirResource, problems: Problem[]): ReadFields {
  const fields: ReadFields = {};
  fields.topicUrl = requiredUri(body.criteria, 'Subscription.criteria (the topic canonical)', problems);
  if (extensionsOf((body._criteria as Record<string, unknown> | undefined)?.extension).some((e) => e.url === EXT.filterCriteria)) {
    problems.push(rule('backport-filter-criteria is not supported by this server (filters are not evaluated)'));
  }
  const channel = body.channel as Record<string, unknown> | undefined;
  if (!isObject(channel)) {
    problems.push(structure('Subscription.channel is required'));
    return fields;
  }
  if (typeof channel.type !== 'string') problems.push(structure('Subscription.channel.type is required (websocket)'));
  else fields.channel = supportedChannel(channel.type, 'Subscription.channel.type', problems);
  if (fields.channel === 'rest-hook') requiredUri(channel.endpoint, 'Subscription.channel.endpoint (rest-hook)', problems);
  // Classic R4 criteria (a resource type; accepted only under variant criteria-resource-type) follow
  // core R4: payload is optional; none means notifications without content, a MIME type alone the resource.
  const classic = typeof body.criteria === 'string' && CLASSIC_CRITERIA.test(body.criteria);
  fields.contentType = mimeType(channel.payload, 'Subscription.channel.payload', problems, !classic);
  const payloadExtensions = extensionsOf((channel._payload as Record<string, unknown> | undefined)?.extension);
  fields.content = contentLevel(extensionValue(payloadExtensions, EXT.payloadContent, 'valueCode'),
    'Subscription.channel.payload extension backport-payload-content (valueCode)', problems, !classic);
  if (classic) fields.content ??= channel.payload === undefined ? 'empty' : 'full-resource';
  const channelExtensions = extensionsOf(channel.extension);
  fields.heartbeatPeriod = unsignedInt(extensionValue(channelExtensions, EXT.heartbeatPeriod, 'valueUnsignedInt'),
    'backport-heartbeat-period valueUnsignedInt', problems, 1);
  fields.timeout = unsignedInt(extensionValue(channelExtensions, EXT.timeout, 'valueUnsignedInt'), 'backport-timeout valueUnsignedInt', problems, 0);
  fields.maxCount = unsignedInt(extensionValue(channelExtensions, EXT.maxCount, 'valuePositiveInt'), 'backport-max-count valuePositiveInt', problems, 1);
  return fields;
}

function structure(message: string): Problem {
  return { kind: 'structure', message };
}
function rule(message: string): Problem {
  return { kind: 'business-rule', message };
}
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredUri(value: unknown, where: string, problems: Problem[]): string | undefined {
  if (typeof value !== 'string' || value === '' || /\s/.test(value)) {
    problems.push(structure(`${where} is required and must be a URI without whitespace`));
    return undefined;
  }
  return value;
}

function supportedChannel(code: string, where: string, problems: Problem[]): ChannelKind | undefined {
  if (SUPPORTED_CHANNELS.includes(code)) return code as ChannelKind;
  problems.push(rule(`${where} "${code}" is not supported; this server supports ${SUPPORTED_CHANNELS.join(', ')}`));
  return undefined;
}

function contentLevel(value: unknown, where: string, problems: Problem[], required: boolean): ContentLevel | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value === 'string' && CONTENT_LEVELS.includes(value)) return value as ContentLevel;
  problems.push(structure(`${where} must be one of ${CONTENT_LEVELS.join(', ')}`));
  return undefined;
}

/** JSON and XML notifications are produced (notification-format.ts), so only those may be asked for (WS-11). */
function mimeType(value: unknown, where: string, problems: Problem[], required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(structure(`${where} must be a MIME type such as application/fhir+json`));
    return undefined;
  }
  const essence = value.split(';')[0]!.trim().toLowerCase();
  if (!['application/fhir+json', 'application/json', 'application/fhir+xml', 'application/xml'].includes(essence)) {
    problems.push(rule(`${where} "${value}" is not supported; notifications are sent as application/fhir+json or application/fhir+xml`));
    return undefined;
  }
  return value;
}

function unsignedInt(value: unknown, where: string, problems: Problem[], minimum: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2_147_483_647) {
    problems.push(structure(`${where} must be a non-negative integer`));
    return undefined;
  }
  if (value < minimum) {
    problems.push(rule(`${where} must be at least ${minimum}`));
    return undefined;
  }
  return value;
}

interface Extension {
  url?: unknown;
  [value: string]: unknown;
}
function extensionsOf(value: unknown): Extension[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
function extensionValue(extensions: Extension[], url: string, valueKey: string): unknown {
  return extensions.find((extension) => extension.url === url)?.[valueKey];
}
