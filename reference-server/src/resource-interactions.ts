/**
 * The RESTful interactions on stored resources: read, search, create, update, delete. Subscriptions
 * are validated in the version's shape (subscriptions.ts); other resource types only need to be
 * JSON objects of the right resourceType. Writes fire topics through the store's change events.
 * A resource the caller may not see (another identity's Subscription, ownership.ts) is answered
 * like an id that was never created: 404 on read and delete, left out of searches; a PUT to it is
 * 404 too, since the caller cannot create an id that is taken.
 */
import { isFhirId } from './fhir-primitives.js';
import type { FhirVersion } from './fhir-version.js';
import { FHIR_JSON, operationOutcome, outcomeReply, resourceReply, type Reply } from './fhir-responses.js';
import { isXmlMimeType } from './notification-format.js';
import type { CallerAccess } from './ownership.js';
import type { CallerQuota } from './subscription-quota.js';
import { parseResourceBody } from './request-body.js';
import type { FhirResource, ResourceStore } from './store.js';
import { subscriptionModel, validateSubscription } from './subscriptions.js';
import type { ActiveFaults } from './faults.js';
import type { TopicCatalogue } from './topics.js';

export interface RestContext {
  version: FhirVersion;
  store: ResourceStore;
  topics: TopicCatalogue;
  fhirBase: string;
  /** What this caller may see, and the record of what it creates. */
  access: CallerAccess;
  faults: ActiveFaults;
  /** How many more Subscriptions this caller may create (subscription-quota.ts). */
  quota: CallerQuota;
}

export interface WriteRequest {
  body: Buffer;
  contentType?: string;
}

export function readResource(type: string, id: string, { store, access }: RestContext): Reply {
  if (!access.sees(type, id)) return notKnown(type, id);
  const read = store.read(type, id);
  if (read.state === 'deleted') return outcomeReply(410, 'deleted', `${type}/${id} has been deleted`);
  if (read.state === 'missing') return notKnown(type, id);
  return resourceReply(200, read.resource, versionHeaders(read.resource));
}

/** Search parameters understood per type; `_`-prefixed result parameters are ignored. */
const SEARCH_PARAMETERS: Record<string, Record<string, (resource: FhirResource) => string[]>> = {
  Subscription: { status: (r) => [String(r.status)] },
  SubscriptionTopic: { url: (r) => [String(r.url)], status: (r) => [String(r.status)] },
  OperationDefinition: { url: (r) => [String(r.url)], code: (r) => [String(r.code)] },
};

export function searchResources(type: string, query: URLSearchParams, context: RestContext): Reply {
  const applied: Array<[string, string]> = [];
  let matches = context.store.list(type).filter((resource) => context.access.sees(type, String(resource.id)));
  for (const [name, value] of query) {
    const extract = name === '_id' ? (r: FhirResource) => [String(r.id)] : SEARCH_PARAMETERS[type]?.[name];
    if (!extract) continue; // unknown parameters are ignored (FHIR's lenient default); the self link shows what applied
    const wanted = value.split(',');
    matches = matches.filter((resource) => extract(resource).some((candidate) => wanted.includes(candidate)));
    applied.push([name, value]);
  }
  const self = `${context.fhirBase}/${type}${applied.length ? `?${new URLSearchParams(applied).toString()}` : ''}`;
  return resourceReply(200, {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    link: [{ relation: 'self', url: self }],
    entry: matches.map((resource) => ({
      fullUrl: `${context.fhirBase}/${type}/${String(resource.id)}`,
      resource,
      search: { mode: 'match' },
    })),
  });
}

export function createResource(type: string, request: WriteRequest, context: RestContext): Reply {
  const checked = checkedBody(type, request, context);
  if (!checked.ok) return checked.reply;
  const { id: _ignored, ...withoutId } = checked.resource; // the server assigns ids on create
  const refusal = type === 'Subscription' ? context.quota.refusal() : undefined;
  if (refusal) return refusal;
  const created = context.store.create(withoutId as FhirResource);
  context.access.claim(type, String(created.id));
  if (type === 'Subscription') context.quota.record(String(created.id));
  return resourceReply(201, created, {
    ...versionHeaders(created),
    Location: `${context.fhirBase}/${type}/${String(created.id)}/_history/${versionOf(created)}`,
  });
}

export function updateResource(type: string, id: string, request: WriteRequest, context: RestContext): Reply {
  const checked = checkedBody(type, request, context);
  if (!checked.ok) return checked.reply;
  if (checked.resource.id !== id) {
    return outcomeReply(400, 'invalid', `the body's id (${JSON.stringify(checked.resource.id)}) must equal the id in the URL (${id})`);
  }
  if (!context.access.sees(type, id)) return notKnown(type, id); // no update-as-create either: the id is taken
  const createsSubscription = type === 'Subscription' && context.store.read(type, id).state !== 'found';
  const refusal = createsSubscription ? context.quota.refusal() : undefined;
  if (refusal) return refusal;
  const { resource, created } = context.store.update({ ...checked.resource, id });
  if (created) context.access.claim(type, id);
  if (created && type === 'Subscription') context.quota.record(id);
  return resourceReply(created ? 201 : 200, resource, versionHeaders(resource));
}

export function deleteResource(type: string, id: string, { store, access }: RestContext): Reply {
  if (!access.sees(type, id)) return notKnown(type, id);
  if (!store.delete(type, id)) {
    const gone = store.read(type, id).state === 'deleted';
    return gone ? outcomeReply(410, 'deleted', `${type}/${id} is already deleted`) : notKnown(type, id);
  }
  return resourceReply(200, operationOutcome('informational', `${type}/${id} deleted`, 'information'));
}

function checkedBody(type: string, request: WriteRequest, context: RestContext): { ok: true; resource: FhirResource } | { ok: false; reply: Reply } {
  const parsed = parseResourceBody(request.body, request.contentType, type);
  if (!parsed.ok) return parsed;
  const resource = parsed.resource as FhirResource;
  if (resource.id !== undefined && (typeof resource.id !== 'string' || !isFhirId(resource.id))) {
    return { ok: false, reply: outcomeReply(400, 'value', `${type}.id must be a valid id ([A-Za-z0-9.-], 1 to 64 characters)`) };
  }
  if (type !== 'Subscription') return { ok: true, resource };
  const validation = validateSubscription(resource, context.version, context.topics);
  const refusal = validation.ok ? refusedByVariant(validation.resource, context) : undefined;
  if (refusal) return { ok: false, reply: outcomeReply(422, 'business-rule', refusal) };
  if (validation.ok) return { ok: true, resource: validation.resource };
  const code = validation.status === 400 ? 'structure' : 'business-rule';
  return { ok: false, reply: outcomeReply(validation.status, code, validation.problems.map((problem) => problem.message)) };
}

/** Valid Subscriptions a variant's server chooses not to offer (a legitimate refusal at creation). */
function refusedByVariant(subscription: FhirResource, context: RestContext): string | undefined {
  const model = subscriptionModel(subscription, context.version);
  if (context.faults.has('websocket-only') && model.channel !== 'websocket') return 'this server offers websocket Subscriptions only';
  if (context.faults.has('xml-refused') && isXmlMimeType(model.contentType)) return `this server sends notifications as ${FHIR_JSON} only, not ${model.contentType}`;
  return undefined;
}

function notKnown(type: string, id: string): Reply {
  return outcomeReply(404, 'not-found', `${type}/${id} is not known`);
}

function versionOf(resource: FhirResource): string {
  return String((resource.meta as { versionId?: string } | undefined)?.versionId ?? '1');
}

function versionHeaders(resource: FhirResource): Record<string, string> {
  const lastUpdated = (resource.meta as { lastUpdated?: string } | undefined)?.lastUpdated;
  return {
    ETag: `W/"${versionOf(resource)}"`,
    ...(lastUpdated ? { 'Last-Modified': new Date(lastUpdated).toUTCString() } : {}),
  };
}
