/**
 * Subscription/$get-ws-binding-token at type and instance level, POST and GET.
 *
 * - Instance level: the token covers that Subscription; `id` inputs are ignored (not even parsed).
 * - Type level: each `id` adds one Subscription; with none, every active websocket Subscription
 *   (the operation allows this or failing; variant no-ids-refused fails with 400).
 * - POST takes a Parameters body of `id` (valueId) or an empty body; GET takes `?id=a&id=b`.
 *   GET is SHALL on R4/R4B (affectsState=false) and allowed on R5 (MAY).
 * Errors: unknown Subscription 404 (deleted 410; variant unknown-subscription-400: 400 for both), malformed id 400, not websocket or not active 400,
 * malformed body 400, unsupported media type 415, other methods 405 — each with an OperationOutcome.
 * Fault get-only routes only instance-level GET: anything else is 404, as an unknown route.
 * Ownership (two or more identities, ownership.ts): another identity's Subscription is answered as
 * an unknown id, at both levels, and is left out of the no-`id` default (fault
 * binding-token-any-identity ignores ownership here, and only here).
 * Outputs: token (valueString), expiration (valueDateTime, UTC with Z), one subscription (valueString,
 * bare id) per covered Subscription, websocket-url (valueUrl).
 */
import { randomBytes } from 'node:crypto';
import type { ActiveFaults } from './faults.js';
import { formatInstant, formatWithOffset, isFhirId } from './fhir-primitives.js';
import { methodNotAllowed, outcomeReply, resourceReply, type Reply } from './fhir-responses.js';
import { UNRESTRICTED, type CallerAccess } from './ownership.js';
import { parseResourceBody } from './request-body.js';
import type { FhirResource } from './store.js';
import type { Lookup, SubscriptionDirectory } from './subscription-directory.js';
import { isRetired } from './subscriptions.js';
import type { TokenService } from './tokens.js';

export interface OperationRequest {
  method: string;
  level: 'type' | 'instance';
  instanceId?: string;
  query: URLSearchParams;
  body: Buffer;
  contentType?: string;
}

export interface OperationContext {
  faults: ActiveFaults;
  directory: SubscriptionDirectory;
  tokens: TokenService;
  /** Absolute ws:// or wss:// URL of the channel, as this client reaches the server. */
  websocketUrl: string;
  /** Which Subscriptions the caller may see (another identity's are unknown to it). */
  access: CallerAccess;
  now: () => number;
}

/** A problem that ends the request with a 4xx; the malformed-* faults turn some into crashes. */
class RequestProblem extends Error {
  constructor(
    readonly reply: Reply,
    message: string,
  ) {
    super(message);
  }
}

export function getWsBindingToken(request: OperationRequest, context: OperationContext): Reply {
  try {
    const refusal = refusedInvocation(request, context.faults);
    if (refusal) return refusal;
    const ids = coveredIds(request, context);
    const issued = context.tokens.issue(ids);
    return resourceReply(200, outputParameters(ids, issued.token, issued.expiresAtMs, context));
  } catch (error) {
    if (error instanceof RequestProblem) return error.reply;
    throw error;
  }
}

function refusedInvocation({ method, level }: OperationRequest, faults: ActiveFaults): Reply | undefined {
  if (faults.has('operation-absent')) return outcomeReply(404, 'not-supported', 'operation $get-ws-binding-token is not supported on Subscription');
  // Before the 405 of other methods: a router that never registered the route knows no method for it.
  if (faults.has('get-only') && (method !== 'GET' || level === 'type')) return unknownRoute(method, level);
  const allowed = ['GET', 'POST'].filter((m) => !(m === 'POST' && faults.has('post-refused')) && !(m === 'GET' && faults.has('get-refused')));
  if (!allowed.includes(method)) return methodNotAllowed(method, allowed);
  if ((level === 'instance' && faults.has('no-instance-level')) || (level === 'type' && faults.has('no-type-level'))) {
    return outcomeReply(404, 'not-supported', `$get-ws-binding-token is not supported at ${level} level on this server`);
  }
  return undefined;
}

/** Fault get-only: what a router without the route answers (Medplum's only route is instance-level GET). */
function unknownRoute(method: string, level: 'type' | 'instance'): Reply {
  return outcomeReply(404, 'not-found', `Not found: no route for ${method} at ${level} level`);
}

function coveredIds(request: OperationRequest, context: OperationContext): string[] {
  const { faults } = context;
  if (request.level === 'instance') {
    const instanceId = checkedId(request.instanceId ?? '', 'the Subscription id in the URL', faults);
    const honoursIds = faults.has('instance-honours-id');
    const bodyIds = inputIds(request, faults, !honoursIds); // parsed either way: a broken body is still a 400
    return unique([instanceId, ...(honoursIds ? bodyIds : [])]).map((id) => checkedSubscription(id, 'instance', context));
  }
  if (faults.has('ids-input-name')) return legacyIdsInput(request, faults).map((id) => checkedSubscription(id, 'type', context));
  const ids = unique(inputIds(request, faults));
  if (ids.length === 0) return allWebsocketSubscriptions(context);
  const covered = faults.has('type-level-first-id-only') ? ids.slice(0, 1) : ids;
  return covered.map((id) => checkedSubscription(id, 'type', context));
}

function allWebsocketSubscriptions(context: OperationContext): string[] {
  const { faults, directory } = context;
  if (faults.has('no-ids-500')) throw new Error('no-ids-500: type-level call without ids');
  if (faults.has('no-ids-refused')) problem(400, 'required', 'this server needs at least one `id` at type level');
  const access = tokenAccess(context);
  const ids = directory.activeWebsocketIds().filter((id) => access.sees('Subscription', id));
  if (ids.length === 0) problem(404, 'not-found', 'there is no active websocket Subscription to cover');
  return ids;
}

/** The Subscription must exist, use the websocket channel and be usable (not off/error). */
function checkedSubscription(id: string, level: 'type' | 'instance', context: OperationContext): string {
  const { directory, faults } = context;
  const found: Lookup = tokenAccess(context).sees('Subscription', id) ? directory.find(id) : { state: 'missing' };
  if (faults.has('unknown-id-accepted') && found.state !== 'live') return id;
  const where = level === 'instance' ? `Subscription/${id}` : `id parameter "${id}"`;
  if (found.state !== 'live' && faults.has('unknown-subscription-400')) {
    problem(400, 'invalid', `Error reading subscription: ${where} ${found.state === 'missing' ? 'not found' : 'deleted'}`);
  }
  if (found.state === 'missing') problem(404, 'not-found', `${where}: no such Subscription`);
  if (found.state === 'deleted') problem(410, 'deleted', `${where}: the Subscription has been deleted`);
  const { model } = found as Extract<typeof found, { model: unknown }>;
  if (model.channel !== 'websocket' && !faults.has('rest-hook-tokens')) problem(400, 'business-rule', `${where}: not a websocket Subscription (channel ${model.channel})`);
  if (isRetired(model.status)) problem(400, 'business-rule', `${where}: the Subscription is ${model.status}`);
  return id;
}

/** Whose Subscriptions a token may cover: the caller's own, or (fault) anyone's. */
function tokenAccess({ access, faults }: OperationContext): CallerAccess {
  return faults.has('binding-token-any-identity') ? UNRESTRICTED : access;
}

/** The `id` inputs of either method. `parseOnly`: instance level checks the body is sound but ignores ids. */
function inputIds(request: OperationRequest, faults: ActiveFaults, parseOnly = false): string[] {
  const raw = request.method === 'GET' ? queryIds(request.query) : bodyIds(request, faults);
  return parseOnly ? raw : raw.map((id) => checkedId(id, `id parameter "${id}"`, faults));
}

/**
 * Fault ids-input-name (the Argonaut RI): the pre-release input `ids`, each value possibly a
 * comma-joined list; `id` and anything else is ignored; no `ids` at all is a 400.
 */
function legacyIdsInput(request: OperationRequest, faults: ActiveFaults): string[] {
  const values = request.method === 'GET' ? request.query.getAll('ids') : legacyIdsFromBody(request);
  const ids = unique(values.flatMap((value) => value.split(',')).map((id) => id.trim()).filter(Boolean));
  if (ids.length === 0) problem(400, 'required', 'no subscription ids: pass `ids`');
  return ids.map((id) => checkedId(id, `ids value "${id}"`, faults));
}

function legacyIdsFromBody(request: OperationRequest): string[] {
  if (request.body.length === 0) return [];
  const list = parseParameters(request).parameter;
  if (!Array.isArray(list)) return [];
  return (list as Array<{ name?: unknown; valueString?: unknown }>).filter((p) => p?.name === 'ids' && typeof p.valueString === 'string').map((p) => p.valueString as string);
}

function queryIds(query: URLSearchParams): string[] {
  const unknown = [...new Set(query.keys())].filter((name) => name !== 'id' && !name.startsWith('_'));
  if (unknown.length > 0) problem(400, 'invalid', `unknown parameter ${unknown.join(', ')}; the only input is id`);
  return query.getAll('id');
}

function bodyIds(request: OperationRequest, faults: ActiveFaults): string[] {
  try {
    const unknown = [...new Set(request.query.keys())].filter((name) => !name.startsWith('_'));
    if (unknown.length > 0) problem(400, 'invalid', `with POST, pass ${unknown.join(', ')} in the Parameters body, not the query`);
    if (request.body.length === 0) {
      if (faults.has('empty-body-rejected')) problem(400, 'required', 'a Parameters body is required');
      return [];
    }
    return idsFromParameters(parseParameters(request));
  } catch (error) {
    if (faults.has('malformed-body-500') && error instanceof RequestProblem) throw new Error(`malformed-body-500: ${error.message}`);
    throw error;
  }
}

function parseParameters(request: OperationRequest): Record<string, unknown> {
  const parsed = parseResourceBody(request.body, request.contentType, 'Parameters');
  if (!parsed.ok) throw new RequestProblem(parsed.reply, `malformed Parameters body (HTTP ${parsed.reply.status})`);
  return parsed.resource;
}

function idsFromParameters(parameters: Record<string, unknown>): string[] {
  const list = parameters.parameter ?? [];
  if (!Array.isArray(list)) problem(400, 'structure', 'Parameters.parameter must be an array');
  return (list as unknown[]).map((entry, index) => {
    const { name, valueId } = (entry ?? {}) as { name?: unknown; valueId?: unknown };
    if (name !== 'id') problem(400, 'invalid', `Parameters.parameter[${index}]: unknown parameter ${JSON.stringify(name)}; the only input is id`);
    if (typeof valueId !== 'string') problem(400, 'structure', `Parameters.parameter[${index}]: id needs a valueId`);
    return valueId as string;
  });
}

function checkedId(id: string, where: string, faults: ActiveFaults): string {
  if (isFhirId(id)) return id;
  if (faults.has('malformed-id-500')) throw new Error(`malformed-id-500: ${where} is not an id`);
  return problem(400, 'value', `${where} is not a valid id ([A-Za-z0-9.-], 1 to 64 characters)`);
}

function problem(status: number, code: Parameters<typeof outcomeReply>[1], message: string): never {
  throw new RequestProblem(outcomeReply(status, code, message), message);
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function outputParameters(ids: string[], token: string, expiresAtMs: number, context: OperationContext): FhirResource {
  return {
    resourceType: 'Parameters',
    parameter: [...tokenOutputs(token, context.faults), expirationOutput(expiresAtMs, context), ...subscriptionOutputs(ids, context.faults), websocketUrlOutput(context)],
  };
}

function tokenOutputs(token: string, faults: ActiveFaults): Array<Record<string, unknown>> {
  if (faults.has('missing-token')) return [];
  if (faults.has('token-wrong-type')) return [{ name: 'token', valueCode: token }];
  const outputs: Array<Record<string, unknown>> = [{ name: 'token', valueString: token }];
  if (faults.has('repeated-token')) outputs.push({ name: 'token', valueString: randomBytes(32).toString('base64url') });
  return outputs;
}

function expirationOutput(expiresAtMs: number, { faults, now }: OperationContext): Record<string, unknown> {
  const stated = faults.has('expiration-in-past') ? now() - 3_600_000 : expiresAtMs;
  let value = faults.has('expiration-offset') ? formatWithOffset(stated, 300) : formatInstant(stated);
  if (faults.has('expiration-no-timezone')) value = value.replace(/(Z|[+-]\d\d:\d\d)$/, '');
  return { name: 'expiration', valueDateTime: value };
}

function subscriptionOutputs(ids: string[], faults: ActiveFaults): Array<Record<string, unknown>> {
  if (faults.has('subscription-output-omitted')) return [];
  if (faults.has('legacy-output-names')) return [{ name: 'subscriptions', valueString: ids.join(',') }];
  const render = (id: string): string =>
    faults.has('subscription-output-reference') ? `Subscription/${id}` : faults.has('subscription-output-wrong') ? `${id}-other` : id;
  return ids.map((id) => ({ name: 'subscription', valueString: render(id) }));
}

function websocketUrlOutput({ faults, websocketUrl }: OperationContext): Record<string, unknown> {
  const url = new URL(websocketUrl);
  if (faults.has('websocket-url-relative')) return { name: 'websocket-url', valueUrl: url.pathname };
  if (faults.has('websocket-url-http')) return { name: 'websocket-url', valueUrl: websocketUrl.replace(/^ws/, 'http') };
  if (faults.has('websocket-url-string')) return { name: 'websocket-url', valueString: websocketUrl };
  if (faults.has('websocket-url-wrong-path')) return { name: 'websocket-url', valueUrl: websocketUrl.replace(/\/websocket$/, '/ws') };
  return { name: 'websocket-url', valueUrl: websocketUrl };
}
