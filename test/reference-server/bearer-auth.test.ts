/**
 * Option bearerToken: every REST request needs `Authorization: Bearer <token>`, else 401 with an
 * OperationOutcome (code login) and a WWW-Authenticate: Bearer challenge. The websocket upgrade is
 * not authenticated (the binding token is the credential there).
 */
import { expect, test } from '@playwright/test';
import type { ReferenceServer } from '../../reference-server/src/server.js';
import { http, isNotification, start, subscriptionResource, TestSocket, tokenFrom } from './helpers.js';

const TOKEN = 'reference-bearer-7c1e.Az_~+/=';
const AUTH = { authorization: `Bearer ${TOKEN}` };

let server: ReferenceServer;
test.beforeAll(async () => {
  server = await start({ bearerToken: TOKEN });
});
test.afterAll(async () => {
  await server.close();
});

test('without credentials: 401, OperationOutcome code login, WWW-Authenticate: Bearer', async () => {
  for (const [method, path] of [['GET', 'metadata'], ['POST', 'Subscription'], ['POST', 'Subscription/x/$get-ws-binding-token'], ['GET', 'websocket'], ['GET', 'nowhere']]) {
    const result = await http(server, method!, path!);
    expect(result.status, `${method} ${path}`).toBe(401);
    expect(result.headers.get('www-authenticate'), `${method} ${path}`).toMatch(/^Bearer realm="[^"]+"$/);
    expect(result.json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
  }
});

test('a wrong token, another scheme, or the token without a scheme: 401 (invalid_token for a wrong bearer)', async () => {
  const wrong = await http(server, 'GET', 'metadata', { headers: { authorization: `Bearer ${TOKEN}x` } });
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
  for (const authorization of [`Basic ${TOKEN}`, TOKEN, 'Bearer', `Bearer ${TOKEN.slice(0, -1)}`]) {
    expect((await http(server, 'GET', 'metadata', { headers: { authorization } })).status, authorization).toBe(401);
  }
});

test('the right token opens REST (the scheme is case-insensitive); the websocket needs no header', async () => {
  expect((await http(server, 'GET', 'metadata', { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
  const created = await http(server, 'POST', 'Subscription', { body: subscriptionResource('R5'), headers: AUTH });
  expect(created.status).toBe(201);
  const id = String(created.json!.id);
  const issued = await http(server, 'POST', `Subscription/${id}/$get-ws-binding-token`, { headers: AUTH });
  expect(issued.status).toBe(200);
  const token = tokenFrom(issued.json!);
  const socket = await TestSocket.open(token.websocketUrl);
  try {
    socket.bind(token.token);
    await socket.waitFor(isNotification('handshake', id));
  } finally {
    socket.close();
  }
  expect(server.issuedTokens()).toContain(token.token);
});

test('an unauthenticated request with a large body is refused without reading it', async () => {
  const started = Date.now();
  const result = await http(server, 'POST', 'Patient', { body: 'x'.repeat(512 * 1024) });
  expect(result.status).toBe(401);
  expect(Date.now() - started).toBeLessThan(3_000);
});
