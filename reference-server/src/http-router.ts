/**
 * Maps HTTP requests under the FHIR base to handlers. Every answer is FHIR JSON; every problem a
 * 4xx with an OperationOutcome. A handler that throws (a bug, or a *-500 fault) is answered with a
 * 500 OperationOutcome as the last resort, so no request can take the server down.
 *
 * With the bearerToken option, a request without one of those bearer tokens gets 401 before anything
 * else; the token names the caller's identity, which decides the Subscriptions it sees (ownership.ts).
 *
 * Routes (relative to the base):
 *   GET metadata                                   CapabilityStatement
 *   GET|POST Subscription/$get-ws-binding-token    type level
 *   GET|POST Subscription/<id>/$get-ws-binding-token instance level
 *   GET <type>  POST <type>                        search, create
 *   GET|PUT|DELETE <type>/<id>                     read, update, delete (as the type allows)
 *   GET websocket (no upgrade)                     426: this is the websocket channel
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './bearer-auth.js';
import { issuedTokenOf, type BindingTokenBearers } from './binding-token-bearer.js';
import { capabilityStatement } from './capability-statement.js';
import type { Endpoints } from './endpoints.js';
import { WEBSOCKET_SEGMENT } from './endpoints.js';
import type { ActiveFaults } from './faults.js';
import { isFhirId } from './fhir-primitives.js';
import { acceptsJson, methodNotAllowed, outcomeReply, resourceReply, writeReply, type Reply } from './fhir-responses.js';
import type { FhirVersion } from './fhir-version.js';
import { getWsBindingToken } from './operation-get-ws-binding-token.js';
import { MAX_BODY_BYTES } from './options.js';
import type { CallerAccess, SubscriptionOwnership } from './ownership.js';
import type { CallerQuota, SubscriptionQuota } from './subscription-quota.js';
import { readBoundedBody } from './request-body.js';
import { createResource, deleteResource, readResource, searchResources, updateResource, type RestContext } from './resource-interactions.js';
import type { ResourceStore } from './store.js';
import type { SubscriptionDirectory } from './subscription-directory.js';
import type { TokenService } from './tokens.js';
import type { TopicCatalogue } from './topics.js';
import type { EventDispatcher } from './event-dispatch.js';
import type { EventHistory } from './event-history.js';
import { EVENTS_OPERATION, STATUS_OPERATION, subscriptionStatusOperation } from './operation-subscription-status.js';

export interface RouterContext {
  basePath: string;
  version: FhirVersion;
  faults: ActiveFaults;
  store: ResourceStore;
  topics: TopicCatalogue;
  tokens: TokenService;
  directory: SubscriptionDirectory;
  endpoints: Endpoints;
  startedAt: number;
  now: () => number;
  /** The identities' tokens; when any, every request needs one as Authorization: Bearer (bearer-auth.ts). */
  bearerTokens: readonly string[];
  ownership: SubscriptionOwnership;
  subscriptionQuota: SubscriptionQuota;
  /** Variant binding-token-as-bearer only: the binding tokens REST requests may present as bearer. */
  bindingBearers?: BindingTokenBearers;
  dispatcher: EventDispatcher;
  history: EventHistory;
}

type Interaction = 'read' | 'search' | 'create' | 'update' | 'delete';
const ALL: readonly Interaction[] = ['read', 'search', 'create', 'update', 'delete'];
const READ_ONLY: readonly Interaction[] = ['read', 'search'];
const OPERATION = '$get-ws-binding-token';

interface Route {
  method: string;
  segments: string[];
  query: URLSearchParams;
  request: IncomingMessage;
  body: Buffer;
  fhirBase: string;
  /** What the authenticated caller may see. */
  access: CallerAccess;
  quota: CallerQuota;
  /** The Authorization header the caller was authenticated with. */
  authorization?: string;
}

export function createRequestHandler(context: RouterContext): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(request, context)
      .catch((error: unknown) => lastResort(error))
      .then((reply) => writeReply(response, reply, context.faults))
      .catch(() => response.destroy());
  };
}

function lastResort(error: unknown): Reply {
  const message = error instanceof Error ? error.message : String(error);
  return outcomeReply(500, 'exception', `internal error: ${message}`);
}

async function handle(request: IncomingMessage, context: RouterContext): Promise<Reply> {
  const authorization = context.bindingBearers?.effectiveAuthorization(request.headers.authorization, context.now()) ?? request.headers.authorization;
  const caller = authenticate({ ...request.headers, authorization }, context.bearerTokens);
  if ('reply' in caller) return caller.reply;
  const parsed = parseTarget(request.url ?? '/', context.basePath);
  if ('reply' in parsed) return parsed.reply;
  const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
  if (!acceptsJson(request.headers.accept, parsed.query.get('_format'))) {
    return outcomeReply(406, 'not-supported', 'this server answers in application/fhir+json only');
  }
  const read = await readBoundedBody(request, MAX_BODY_BYTES);
  if (!read.ok) return read.reply;
  const fhirBase = context.endpoints.fhirBaseFor(request);
  const access = context.ownership.accessFor(caller.identity);
  const quota = context.subscriptionQuota.for(caller.identity);
  return route({ method, segments: parsed.segments, query: parsed.query, request, body: read.body, fhirBase, access, quota, authorization }, context);
}

function parseTarget(target: string, basePath: string): { segments: string[]; query: URLSearchParams } | { reply: Reply } {
  let url: URL;
  try {
    url = new URL(target, 'http://reference.invalid');
  } catch {
    return { reply: outcomeReply(400, 'structure', 'the request target is not a valid URL') };
  }
  const path = url.pathname;
  if (path !== basePath && !path.startsWith(`${basePath}/`)) {
    return { reply: outcomeReply(404, 'not-found', `not a FHIR endpoint; the FHIR base is ${basePath || '/'}`) };
  }
  const rest = path.slice(basePath.length).replace(/^\//, '');
  try {
    const segments = rest === '' ? [] : rest.split('/').map((segment) => decodeURIComponent(segment));
    return { segments, query: url.searchParams };
  } catch {
    return { reply: outcomeReply(400, 'structure', 'the path has malformed percent-encoding') };
  }
}

function route(r: Route, context: RouterContext): Reply {
  const [type, second, third, ...more] = r.segments;
  if (type === undefined || r.segments.some((segment) => segment === '')) {
    return outcomeReply(404, 'not-found', 'nothing here; start with GET metadata');
  }
  if (type === 'metadata' && r.segments.length === 1) return metadata(r, context);
  if (type === WEBSOCKET_SEGMENT && r.segments.length === 1) {
    return outcomeReply(426, 'not-supported', 'this is the websocket channel: connect with a websocket upgrade', { Upgrade: 'websocket' });
  }
  const allowed = interactionsFor(type, context);
  if (!allowed) return outcomeReply(404, 'not-supported', `resource type ${JSON.stringify(type)} is not supported by this server`);
  if (more.length > 0 || (third !== undefined && !third.startsWith('$'))) {
    return outcomeReply(404, 'not-supported', `${r.segments.join('/')}: not supported (no history, compartments or sub-paths)`);
  }
  if (second?.startsWith('$')) return operation(r, context, type, second, 'type');
  if (third !== undefined) return operation(r, context, type, third, 'instance', second);
  return second === undefined ? typeInteraction(r, context, type, allowed) : instanceInteraction(r, context, type, second, allowed);
}

function metadata(r: Route, context: RouterContext): Reply {
  if (r.method !== 'GET') return methodNotAllowed(r.method, ['GET']);
  return resourceReply(200, capabilityStatement({ ...context, fhirBase: r.fhirBase }));
}

function operation(r: Route, context: RouterContext, type: string, name: string, level: 'type' | 'instance', instanceId?: string): Reply {
  if (type === 'Subscription' && (name === STATUS_OPERATION || name === EVENTS_OPERATION) && instanceId !== undefined) {
    const sees = (id: string) => r.access.sees('Subscription', id);
    return subscriptionStatusOperation(name, r.method, instanceId, r.query, { ...context, fhirBase: r.fhirBase, sees });
  }
  if (type !== 'Subscription' || name !== OPERATION) {
    return outcomeReply(404, 'not-supported', `operation ${name} is not supported on ${type}; this server knows Subscription/${OPERATION}`);
  }
  const reply = getWsBindingToken(
    {
      method: r.method,
      level,
      ...(instanceId !== undefined ? { instanceId } : {}),
      query: r.query,
      body: r.body,
      ...(r.request.headers['content-type'] ? { contentType: r.request.headers['content-type'] } : {}),
    },
    { ...context, websocketUrl: context.endpoints.websocketUrlFor(r.request), access: r.access },
  );
  const issued = context.bindingBearers && reply.status === 200 ? issuedTokenOf(reply.body) : undefined;
  if (issued) context.bindingBearers!.remember(issued.token, r.authorization, issued.expiresAtMs);
  return reply;
}

function typeInteraction(r: Route, context: RouterContext, type: string, allowed: readonly Interaction[]): Reply {
  const rest = restContext(r, context);
  if (r.method === 'GET' && allowed.includes('search')) return searchResources(type, r.query, rest);
  if (r.method === 'POST' && allowed.includes('create')) return createResource(type, writeRequest(r), rest);
  return methodNotAllowed(r.method, [allowed.includes('search') ? 'GET' : '', allowed.includes('create') ? 'POST' : ''].filter(Boolean));
}

function instanceInteraction(r: Route, context: RouterContext, type: string, id: string, allowed: readonly Interaction[]): Reply {
  const methods: Record<string, Interaction> = { GET: 'read', PUT: 'update', DELETE: 'delete' };
  const interaction = methods[r.method];
  if (!interaction || !allowed.includes(interaction)) {
    return methodNotAllowed(r.method, Object.entries(methods).filter(([, i]) => allowed.includes(i)).map(([m]) => m));
  }
  if (!isFhirId(id)) return outcomeReply(400, 'value', `${JSON.stringify(id)} is not a valid id ([A-Za-z0-9.-], 1 to 64 characters)`);
  const rest = restContext(r, context);
  if (interaction === 'read') return readResource(type, id, rest);
  if (interaction === 'update') return updateResource(type, id, writeRequest(r), rest);
  return deleteResource(type, id, rest);
}

/** Which interactions a type offers; undefined: not a type this server serves. */
function interactionsFor(type: string, context: RouterContext): readonly Interaction[] | undefined {
  if (type === 'Subscription') return ALL;
  if (type === 'OperationDefinition') return READ_ONLY;
  if (type === 'SubscriptionTopic') return context.version === 'R4' ? undefined : READ_ONLY; // no such resource in R4
  return context.topics.resourceTypes().includes(type) ? ALL : undefined;
}

function restContext(r: Route, context: RouterContext): RestContext {
  return { version: context.version, store: context.store, topics: context.topics, fhirBase: r.fhirBase, access: r.access, faults: context.faults, quota: r.quota };
}

function writeRequest(r: Route): { body: Buffer; contentType?: string } {
  const contentType = r.request.headers['content-type'];
  return { body: r.body, ...(contentType ? { contentType } : {}) };
}
