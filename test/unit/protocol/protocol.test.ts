/**
 * The protocol layer's pure parts (runner/protocol/) and how `auto` reads discovery's answer
 * (runner/engine/resolve-invocation.ts): request building per level × method × body, the inverse,
 * the bind wire forms, the token-loop order, and when a 4xx is only a missing route.
 */
import { test, expect } from '@playwright/test';
import { missingRoute, resolveOperation, tokenInvocationOrder } from '../../../runner/engine/resolve-invocation.js';
import { nothingLearned, type Learned } from '../../../runner/engine/target.js';
import { BIND_FORMS, bindMessage, isBindMessage } from '../../../runner/protocol/bind-message.js';
import { invocationOf, invocationRequest, operationRequest, SINGLE_ORDER, type Invocation } from '../../../runner/protocol/invocation.js';
import { readIssuedToken } from '../../../runner/protocol/issued-token.js';
import type { HttpResult } from '../../../runner/net/http-client.js';

/** Discovery's answer for a server where exactly these invocations work (the others answered `status`). */
function learnedWith(working: Invocation[], status = 404): Learned {
  const invocations = SINGLE_ORDER.map((invocation) => (working.includes(invocation) ? { invocation, works: true, status: 200, detail: 'ok' } : { invocation, works: false, status, detail: String(status) }));
  return { ...nothingLearned(), invocations, invocation: SINGLE_ORDER.find((i) => working.includes(i)) };
}
const ALL = [...SINGLE_ORDER];
const GET_ONLY = learnedWith(['instance-get'], 404);

test('each named invocation builds its request, and invocationOf names it back', () => {
  expect(operationRequest(invocationRequest('instance-post', ['a']))).toEqual({ method: 'POST', path: 'Subscription/a/$get-ws-binding-token', body: { resourceType: 'Parameters' } });
  expect(operationRequest(invocationRequest('instance-post-empty', ['a']))).toEqual({ method: 'POST', path: 'Subscription/a/$get-ws-binding-token', emptyBody: true });
  expect(operationRequest(invocationRequest('instance-get', ['a']))).toEqual({ method: 'GET', path: 'Subscription/a/$get-ws-binding-token', query: undefined });
  expect(operationRequest(invocationRequest('type-post', ['a', 'b']))).toEqual({
    method: 'POST',
    path: 'Subscription/$get-ws-binding-token',
    body: { resourceType: 'Parameters', parameter: [{ name: 'id', valueId: 'a' }, { name: 'id', valueId: 'b' }] },
  });
  expect(operationRequest(invocationRequest('type-get', ['a', 'b']))).toEqual({ method: 'GET', path: 'Subscription/$get-ws-binding-token', query: { id: ['a', 'b'] } });
  for (const invocation of SINGLE_ORDER) expect(invocationOf(invocationRequest(invocation, ['a']))).toBe(invocation);
  expect(invocationOf({ level: 'instance', method: 'POST', body: 'empty', raw: '{' })).toBe('instance-post');
});

test('the three bind forms on the wire, each recognised as a bind', () => {
  expect(BIND_FORMS.map((f) => bindMessage(f, 'T'))).toEqual(['bind-with-token T', 'bind-with-token: T', '{"type":"bind-with-token","payload":{"token":"T"}}']);
  for (const form of BIND_FORMS) expect(isBindMessage(bindMessage(form, 'T'))).toBe(true);
  expect(isBindMessage('bind-with-token ')).toBe(true); // an empty token is still a bind (forged.empty)
  expect(isBindMessage('hello')).toBe(false);
  expect(isBindMessage('{"type":"ping"}')).toBe(false);
});

test('method and level auto follow discovery: a GET-only server is asked by GET, at the level the step pins', () => {
  expect(resolveOperation({ level: 'instance', id: 'x', method: 'auto' }, GET_ONLY)).toMatchObject({ level: 'instance', method: 'GET', id: 'x' });
  // no type level there: still GET, and the type-level route's 404 then marks the answer as a missing route
  expect(resolveOperation({ level: 'type', ids: ['x'], method: 'auto' }, GET_ONLY)).toMatchObject({ level: 'type', method: 'GET', ids: ['x'] });
  expect(resolveOperation({ level: 'auto', id: 'x', method: 'POST', raw: '{' }, GET_ONLY)).toMatchObject({ level: 'instance', method: 'POST', id: 'x', raw: '{' });
  expect(resolveOperation({ level: 'instance', id: 'x', method: 'auto' }, learnedWith(ALL))).toMatchObject({ level: 'instance', method: 'POST' });
  // only the empty-body POST works: auto takes its body too
  expect(resolveOperation({ level: 'instance', id: 'x', method: 'auto' }, learnedWith(['instance-post-empty']))).toMatchObject({ method: 'POST', body: 'empty' });
  // type level only: level auto moves the id into the id inputs
  expect(resolveOperation({ level: 'auto', id: 'x', method: 'auto' }, learnedWith(['type-get']))).toEqual({ level: 'type', method: 'GET', ids: ['x'] });
  // nothing learned: POST at the instance level, as before discovery existed
  expect(resolveOperation({ level: 'auto', id: 'x', method: 'auto' }, nothingLearned())).toMatchObject({ level: 'instance', method: 'POST' });
});

test('a 4xx is a missing route only when discovery got the very same status from that route for a known id', () => {
  expect(missingRoute('type-get', 404, GET_ONLY)?.invocation).toBe('type-get');
  expect(missingRoute('type-get', 400, GET_ONLY)).toBeUndefined();
  expect(missingRoute('instance-get', 404, GET_ONLY)).toBeUndefined(); // the route works: a 404 there is an answer
  expect(missingRoute('instance-post', 405, learnedWith(['instance-get'], 405))?.status).toBe(405);
  expect(missingRoute('instance-post', 500, learnedWith(['instance-get'], 500))).toBeUndefined(); // a 5xx is never a refusal
  expect(missingRoute('instance-post', 404, nothingLearned())).toBeUndefined();
});

test('getToken tries discovery\'s invocation first, then the working ones, the same order every time', () => {
  expect(tokenInvocationOrder(1, 'auto', GET_ONLY)).toEqual(['instance-get', 'type-get', 'instance-post', 'instance-post-empty', 'type-post']);
  expect(tokenInvocationOrder(2, undefined, GET_ONLY)).toEqual(['type-get', 'type-post']);
  expect(tokenInvocationOrder(1, 'type', learnedWith(ALL))).toEqual(['type-post', 'type-get']);
  expect(tokenInvocationOrder(1, 'instance-get', learnedWith(ALL))).toEqual(['instance-get']);
  expect(tokenInvocationOrder(1, 'auto', nothingLearned())).toEqual([...SINGLE_ORDER]);
});

test('an issued token is read leniently (any value[x]); without token or websocket-url there is none', () => {
  const answer = (parameter: unknown[]): HttpResult => ({ ok: true, status: 200, headers: {}, json: { resourceType: 'Parameters', parameter } }) as unknown as HttpResult;
  const issued = readIssuedToken(answer([{ name: 'token', valueCode: 't' }, { name: 'websocket-url', valueString: 'ws://x' }, { name: 'subscription', valueReference: 'Subscription/a' }]), 'instance-get', ['b']);
  expect(issued).toMatchObject({ token: 't', websocketUrl: 'ws://x', subscriptions: ['a'], invocation: 'instance-get' });
  expect(readIssuedToken(answer([{ name: 'token', valueString: 't' }]), 'instance-get', ['a'])).toBeUndefined();
});
