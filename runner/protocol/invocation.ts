/**
 * How $get-ws-binding-token is called, as the operations framework spells it: two levels (instance,
 * type) × two methods (POST, GET), and for POST a Parameters body or none. The five named
 * invocations are the ways the suite asks for a token; a ConcreteInvocation is one HTTP request.
 * Steps, discovery, load mode and reproductions all build their requests here.
 */
import type { HttpRequest } from '../net/http-client.js';

export const OPERATION_NAME = '$get-ws-binding-token';

/** The five ways to ask for a token, in the order tried for one Subscription (POST is SHALL, so first). */
export type Invocation = 'instance-post' | 'instance-post-empty' | 'instance-get' | 'type-post' | 'type-get';

export const SINGLE_ORDER: readonly Invocation[] = ['instance-post', 'instance-post-empty', 'instance-get', 'type-post', 'type-get'];
/** A token for several Subscriptions (or for all: no id) exists only at type level. */
export const MANY_ORDER: readonly Invocation[] = ['type-post', 'type-get'];

export type InvocationLevel = 'instance' | 'type';
export type InvocationMethod = 'POST' | 'GET';

/** One request: level and method decided (never 'auto'). */
export interface ConcreteInvocation {
  level: InvocationLevel;
  method: InvocationMethod;
  /** The instance id (instance level). */
  id?: string;
  /** Input `id` parameters: a Parameters body for POST, a query string for GET. */
  ids?: string[];
  /** POST only: "parameters" (default) or "empty" (no body at all, Content-Length: 0). */
  body?: 'parameters' | 'empty';
  /** POST only: this text as the body instead (malformed-input checks). */
  raw?: string;
}

export function levelOf(invocation: Invocation): InvocationLevel {
  return invocation.startsWith('type') ? 'type' : 'instance';
}

export function methodOf(invocation: Invocation): InvocationMethod {
  return invocation.endsWith('-get') ? 'GET' : 'POST';
}

/** The request a named invocation sends for these Subscriptions (instance level: the first one). */
export function invocationRequest(invocation: Invocation, subscriptions: readonly string[]): ConcreteInvocation {
  switch (invocation) {
    case 'instance-post': return { level: 'instance', id: subscriptions[0], method: 'POST', body: 'parameters' };
    case 'instance-post-empty': return { level: 'instance', id: subscriptions[0], method: 'POST', body: 'empty' };
    case 'instance-get': return { level: 'instance', id: subscriptions[0], method: 'GET' };
    case 'type-post': return { level: 'type', method: 'POST', ids: [...subscriptions] };
    case 'type-get': return { level: 'type', method: 'GET', ids: [...subscriptions] };
  }
}

/** Which named invocation a concrete request is an instance of (a raw POST body counts as a Parameters POST). */
export function invocationOf(op: Pick<ConcreteInvocation, 'level' | 'method' | 'body' | 'raw'>): Invocation {
  if (op.method === 'GET') return op.level === 'type' ? 'type-get' : 'instance-get';
  if (op.level === 'type') return 'type-post';
  return op.body === 'empty' && op.raw === undefined ? 'instance-post-empty' : 'instance-post';
}

export function operationPath(op: Pick<ConcreteInvocation, 'level' | 'id'>): string {
  return op.level === 'instance' ? `Subscription/${encodeURIComponent(op.id ?? '')}/${OPERATION_NAME}` : `Subscription/${OPERATION_NAME}`;
}

export function operationRequest(op: ConcreteInvocation): HttpRequest {
  const path = operationPath(op);
  const ids = op.ids ?? [];
  if (op.method === 'GET') return { method: 'GET', path, query: ids.length > 0 ? { id: ids } : undefined };
  if (op.raw !== undefined) return { method: 'POST', path, body: op.raw, headers: { 'content-type': 'application/fhir+json' } };
  if (op.body === 'empty') return { method: 'POST', path, emptyBody: true };
  // FHIR JSON forbids empty arrays: with no ids the Parameters resource has no `parameter` at all.
  const parameter = ids.map((id) => ({ name: 'id', valueId: id }));
  return { method: 'POST', path, body: { resourceType: 'Parameters', ...(parameter.length > 0 ? { parameter } : {}) } };
}
