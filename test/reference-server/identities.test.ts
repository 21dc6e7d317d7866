/**
 * Several bearer identities (option bearerToken as a list) and Subscription ownership (OP-18): a
 * Subscription belongs to the identity that created it; for any other identity it does not exist —
 * read, update, delete, search and both levels of $get-ws-binding-token answer as for an unknown id.
 * Topics still notify every matching Subscription. With one identity or none nothing changes.
 */
import { expect, test } from '@playwright/test';
import type { ReferenceServer } from '../../reference-server/src/server.js';
import { http, idParameters, isNotification, start, subscriptionResource, TestSocket, tokenFrom, type HttpResult, type Json } from './helpers.js';

const OP = '$get-ws-binding-token';
const OWNER_TOKEN = 'identity-owner-4b1d.Az_~';
const OTHER_TOKEN = 'identity-other-9e27.Az_~';
const UNKNOWN_ID = 'never-created-1';

type Caller = (method: string, path: string, body?: unknown) => Promise<HttpResult>;

function callerWith(server: ReferenceServer, bearer: string): Caller {
  return (method, path, body) => http(server, method, path, { headers: { authorization: `Bearer ${bearer}` }, ...(body !== undefined ? { body } : {}) });
}

async function createdId(caller: Caller, server: ReferenceServer): Promise<string> {
  const created = await caller('POST', 'Subscription', subscriptionResource(server.options.fhirVersion));
  expect(created.status, created.text).toBe(201);
  return String(created.json!.id);
}

/** The answer with the id replaced, so another identity's id can be compared with an unknown one. */
function shapeOf(result: HttpResult, id: string): { status: number; body: string } {
  return { status: result.status, body: result.text.replaceAll(id, '<id>') };
}

function searchIds(result: HttpResult): string[] {
  expect(result.status, result.text).toBe(200);
  return ((result.json!.entry ?? []) as Json[]).map((entry) => String(entry.resource.id));
}

test.describe('two identities', () => {
  let server: ReferenceServer;
  let owner: Caller;
  let other: Caller;
  test.beforeAll(async () => {
    server = await start({ bearerToken: [OWNER_TOKEN, OTHER_TOKEN] });
    owner = callerWith(server, OWNER_TOKEN);
    other = callerWith(server, OTHER_TOKEN);
  });
  test.afterAll(async () => {
    await server.close();
  });

  test('either token opens REST; any other token, or none, is 401', async () => {
    expect((await owner('GET', 'metadata')).status).toBe(200);
    expect((await other('GET', 'metadata')).status).toBe(200);
    expect((await callerWith(server, `${OTHER_TOKEN}x`)('GET', 'metadata')).status).toBe(401);
    expect((await http(server, 'GET', 'metadata')).status).toBe(401);
    expect(server.options.bearerTokens).toEqual([OWNER_TOKEN, OTHER_TOKEN]);
  });

  test("read: the owner gets the Subscription, the other identity the same 404 as for an id never created", async () => {
    const id = await createdId(owner, server);
    expect((await owner('GET', `Subscription/${id}`)).status).toBe(200);
    const foreign = await other('GET', `Subscription/${id}`);
    expect(foreign.json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    expect(shapeOf(foreign, id)).toEqual(shapeOf(await other('GET', `Subscription/${UNKNOWN_ID}`), UNKNOWN_ID));
    expect(shapeOf(foreign, id).status).toBe(404);
  });

  test('search: the other identity never sees it (plain, by _id, by status); the owner does', async () => {
    const id = await createdId(owner, server);
    for (const query of ['', `?_id=${id}`, '?status=active', '?_count=1']) {
      expect(searchIds(await other('GET', `Subscription${query}`)), query).not.toContain(id);
    }
    const byId = await other('GET', `Subscription?_id=${id}`);
    expect(byId.json!.total).toBe(0);
    expect(searchIds(await owner('GET', `Subscription?_id=${id}`))).toEqual([id]);
  });

  test('update and delete by the other identity: 404, and the Subscription is untouched', async () => {
    const id = await createdId(owner, server);
    const body = { ...subscriptionResource(server.options.fhirVersion), id, status: 'off' };
    for (const [method, payload] of [['PUT', body], ['DELETE', undefined]] as const) {
      const refused = await other(method, `Subscription/${id}`, payload);
      expect(refused.status, method).toBe(404);
      expect(refused.json, method).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    }
    const read = await owner('GET', `Subscription/${id}`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ status: 'active', meta: { versionId: '1' } });
  });

  test('a deleted Subscription stays its owner\'s: 410 for the owner, 404 for the other identity, who cannot PUT it back', async () => {
    const id = await createdId(owner, server);
    expect((await owner('DELETE', `Subscription/${id}`)).status).toBe(200);
    expect((await owner('GET', `Subscription/${id}`)).status).toBe(410);
    expect((await other('GET', `Subscription/${id}`)).status).toBe(404);
    expect((await other('DELETE', `Subscription/${id}`)).status).toBe(404);
    expect((await other('PUT', `Subscription/${id}`, { ...subscriptionResource(server.options.fhirVersion), id })).status).toBe(404);
    expect((await owner('GET', `Subscription/${id}`)).status).toBe(410);
  });

  test('PUT creating a new id makes it the creator\'s', async () => {
    const id = `put-created-${Date.now()}`;
    expect((await other('PUT', `Subscription/${id}`, { ...subscriptionResource(server.options.fhirVersion), id })).status).toBe(201);
    expect((await other('GET', `Subscription/${id}`)).status).toBe(200);
    expect((await owner('GET', `Subscription/${id}`)).status).toBe(404);
    expect((await owner('POST', `Subscription/${id}/${OP}`)).status).toBe(404);
  });

  test('instance-level $get-ws-binding-token: 404 OperationOutcome for the other identity (POST and GET), a token for the owner', async () => {
    const id = await createdId(owner, server);
    for (const method of ['POST', 'GET']) {
      const foreign = await other(method, `Subscription/${id}/${OP}`);
      expect(foreign.json, method).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
      expect(shapeOf(foreign, id), method).toEqual(shapeOf(await other(method, `Subscription/${UNKNOWN_ID}/${OP}`), UNKNOWN_ID));
      expect(foreign.status, method).toBe(404);
    }
    const issued = await owner('POST', `Subscription/${id}/${OP}`);
    expect(issued.status).toBe(200);
    expect(tokenFrom(issued.json!).subscriptions).toEqual([id]);
  });

  test("type-level $get-ws-binding-token: an `id` naming the owner's Subscription is answered exactly like an unknown id", async () => {
    const id = await createdId(owner, server);
    const ownId = await createdId(other, server);
    const foreign = await other('POST', `Subscription/${OP}`, idParameters([id]));
    expect(shapeOf(foreign, id)).toEqual(shapeOf(await other('POST', `Subscription/${OP}`, idParameters([UNKNOWN_ID])), UNKNOWN_ID));
    expect(foreign.status).toBe(404);
    const mixed = await other('POST', `Subscription/${OP}`, idParameters([ownId, id]));
    expect(shapeOf(mixed, id)).toEqual(shapeOf(await other('POST', `Subscription/${OP}`, idParameters([ownId, UNKNOWN_ID])), UNKNOWN_ID));
    const viaGet = await other('GET', `Subscription/${OP}?id=${id}`);
    expect(shapeOf(viaGet, id)).toEqual(shapeOf(await other('GET', `Subscription/${OP}?id=${UNKNOWN_ID}`), UNKNOWN_ID));
    const issued = await owner('POST', `Subscription/${OP}`, idParameters([id]));
    expect(issued.status).toBe(200);
    expect(tokenFrom(issued.json!).subscriptions).toEqual([id]);
  });

  test("type level without `id`: each identity's token covers only its own active websocket Subscriptions", async () => {
    const fresh = await start({ bearerToken: [OWNER_TOKEN, OTHER_TOKEN] });
    try {
      const [freshOwner, freshOther] = [callerWith(fresh, OWNER_TOKEN), callerWith(fresh, OTHER_TOKEN)];
      const ownerIds = [await createdId(freshOwner, fresh), await createdId(freshOwner, fresh)];
      const none = await freshOther('POST', `Subscription/${OP}`);
      expect(none.status).toBe(404); // as on a server with no websocket Subscription at all
      expect(none.json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
      const otherId = await createdId(freshOther, fresh);
      expect(tokenFrom((await freshOther('POST', `Subscription/${OP}`)).json!).subscriptions).toEqual([otherId]);
      expect(tokenFrom((await freshOwner('POST', `Subscription/${OP}`)).json!).subscriptions.sort()).toEqual(ownerIds.sort());
    } finally {
      await fresh.close();
    }
  });

  test("the owner's token binds; a Patient created by the other identity still notifies the owner's Subscription", async () => {
    const id = await createdId(owner, server);
    const { token, websocketUrl } = tokenFrom((await owner('POST', `Subscription/${id}/${OP}`)).json!);
    const socket = await TestSocket.open(websocketUrl);
    try {
      socket.bind(token);
      await socket.waitFor(isNotification('handshake', id));
      expect((await other('POST', 'Patient', { resourceType: 'Patient' })).status).toBe(201);
      await socket.waitFor(isNotification('event-notification', id));
    } finally {
      socket.close();
    }
  });

  test('no answer names a bearer token', async () => {
    const id = await createdId(owner, server);
    const answers = [await other('GET', `Subscription/${id}`), await other('POST', `Subscription/${id}/${OP}`), await callerWith(server, 'wrong')('GET', 'metadata')];
    for (const answer of answers) {
      expect(answer.text).not.toContain(OWNER_TOKEN);
      expect(answer.text).not.toContain(OTHER_TOKEN);
    }
  });
});

test.describe('one identity or none: no ownership', () => {
  const cases: Array<[string, string | string[] | undefined]> = [['no bearer token', undefined], ['one token as a string', OWNER_TOKEN], ['one token as a list', [OWNER_TOKEN]]];
  for (const [label, bearerToken] of cases) {
    test(`${label}: Subscriptions are read, searched and tokened as before`, async () => {
      const server = await start(bearerToken === undefined ? {} : { bearerToken });
      try {
        const caller = callerWith(server, OWNER_TOKEN);
        const id = await createdId(caller, server);
        expect((await caller('GET', `Subscription/${id}`)).status).toBe(200);
        expect(searchIds(await caller('GET', `Subscription?_id=${id}`))).toEqual([id]);
        expect(tokenFrom((await caller('POST', `Subscription/${OP}`)).json!).subscriptions).toEqual([id]);
        expect((await http(server, 'GET', 'metadata')).status).toBe(bearerToken === undefined ? 200 : 401);
        expect(server.options.bearerTokens).toEqual(bearerToken === undefined ? undefined : [OWNER_TOKEN]);
      } finally {
        await server.close();
      }
    });
  }
});
