import { expect, test } from '@playwright/test';
import type { ReferenceServer } from '../../reference-server/src/server.js';
import { createSubscription, http, idParameters, start, tokenFrom, type Json } from './helpers.js';

const OP = '$get-ws-binding-token';

test.describe('$get-ws-binding-token on R5', () => {
  let server: ReferenceServer;
  let a: string;
  let b: string;
  let restHook: string;
  test.beforeAll(async () => {
    server = await start();
    a = await createSubscription(server);
    b = await createSubscription(server);
    restHook = await createSubscription(server, { channel: 'rest-hook' });
  });
  test.afterAll(async () => {
    await server.close();
  });

  function expectOutcome(result: { status: number; json: Json | undefined }, status: number): void {
    expect(result.status).toBe(status);
    expect(result.json).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] });
  }

  test('instance POST with a Parameters body: the four outputs, ids ignored', async () => {
    const before = Date.now();
    const result = await http(server, 'POST', `Subscription/${a}/${OP}`, { body: idParameters([b]) });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toContain('application/fhir+json');
    const names = (result.json!.parameter as Json[]).map((p) => Object.keys(p).sort().join('+') + ':' + p.name);
    expect(names).toEqual(['name+valueString:token', 'name+valueDateTime:expiration', 'name+valueString:subscription', 'name+valueUrl:websocket-url']);
    const token = tokenFrom(result.json!);
    expect(token.subscriptions).toEqual([a]);
    expect(token.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits, base64url
    expect(token.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const expiresAt = Date.parse(token.expiration);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 61_000);
    expect(token.websocketUrl).toBe(server.websocketUrl);
  });

  test('instance POST with an empty body and instance GET both work', async () => {
    expect(tokenFrom((await http(server, 'POST', `Subscription/${a}/${OP}`)).json!).subscriptions).toEqual([a]);
    const get = await http(server, 'GET', `Subscription/${a}/${OP}?id=${b}`);
    expect(get.status).toBe(200);
    expect(tokenFrom(get.json!).subscriptions).toEqual([a]);
  });

  test('type level: one id, several ids (deduplicated), GET with repeated id', async () => {
    const single = await http(server, 'POST', `Subscription/${OP}`, { body: idParameters([a]) });
    expect(tokenFrom(single.json!).subscriptions).toEqual([a]);
    const several = await http(server, 'POST', `Subscription/${OP}`, { body: idParameters([a, b, a]) });
    expect(tokenFrom(several.json!).subscriptions).toEqual([a, b]);
    const get = await http(server, 'GET', `Subscription/${OP}?id=${a}&id=${b}`);
    expect(tokenFrom(get.json!).subscriptions).toEqual([a, b]);
  });

  test('type level without ids covers every active websocket Subscription, not rest-hook ones', async () => {
    const result = await http(server, 'POST', `Subscription/${OP}`);
    expect(result.status).toBe(200);
    const covered = tokenFrom(result.json!).subscriptions;
    expect(covered).toEqual(expect.arrayContaining([a, b]));
    expect(covered).not.toContain(restHook);
  });

  test('unknown Subscription: 404 at instance level and at type level', async () => {
    expectOutcome(await http(server, 'POST', `Subscription/no-such/${OP}`), 404);
    expectOutcome(await http(server, 'POST', `Subscription/${OP}`, { body: idParameters([a, 'no-such']) }), 404);
    expectOutcome(await http(server, 'GET', `Subscription/${OP}?id=no-such`), 404);
  });

  test('malformed ids: 65 characters or an underscore → 400 at both levels', async () => {
    const long = 'a'.repeat(65);
    for (const bad of [long, 'has_underscore', 'a b']) {
      expectOutcome(await http(server, 'POST', `Subscription/${encodeURIComponent(bad)}/${OP}`), 400);
      expectOutcome(await http(server, 'POST', `Subscription/${OP}`, { body: idParameters([bad]) }), 400);
      expectOutcome(await http(server, 'GET', `Subscription/${OP}?id=${encodeURIComponent(bad)}`), 400);
    }
    expectOutcome(await http(server, 'GET', `Subscription/${OP}?id=`), 400);
  });

  test('malformed bodies → 400 (or 415 for a non-JSON media type)', async () => {
    const bodies: unknown[] = [
      'not json',
      '{"resourceType":"Parameters"',
      { resourceType: 'Patient' },
      { resourceType: 'Parameters', parameter: { name: 'id' } },
      { resourceType: 'Parameters', parameter: [{ name: 'ids', valueString: `${a},${b}` }] },
      { resourceType: 'Parameters', parameter: [{ name: 'id', valueString: a }] },
      { resourceType: 'Parameters', parameter: [null] },
      [],
      'null',
    ];
    for (const body of bodies) {
      expectOutcome(await http(server, 'POST', `Subscription/${OP}`, { body }), 400);
      expectOutcome(await http(server, 'POST', `Subscription/${a}/${OP}`, { body }), 400);
    }
    expectOutcome(await http(server, 'POST', `Subscription/${OP}`, { body: 'id=a', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415);
  });

  test('not a websocket Subscription, or off, or deleted → 4xx', async () => {
    expectOutcome(await http(server, 'POST', `Subscription/${restHook}/${OP}`), 400);
    expectOutcome(await http(server, 'POST', `Subscription/${OP}`, { body: idParameters([restHook]) }), 400);
    const off = await createSubscription(server);
    const read = await http(server, 'GET', `Subscription/${off}`);
    await http(server, 'PUT', `Subscription/${off}`, { body: { ...read.json, status: 'off' } });
    expectOutcome(await http(server, 'POST', `Subscription/${off}/${OP}`), 400);
    const gone = await createSubscription(server);
    await http(server, 'DELETE', `Subscription/${gone}`);
    expectOutcome(await http(server, 'POST', `Subscription/${gone}/${OP}`), 410);
  });

  test('other methods → 405 with Allow; unknown or misplaced parameters → 400', async () => {
    const put = await http(server, 'PUT', `Subscription/${a}/${OP}`, { body: idParameters([]) });
    expectOutcome(put, 405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expectOutcome(await http(server, 'DELETE', `Subscription/${OP}`), 405);
    expectOutcome(await http(server, 'GET', `Subscription/${OP}?ids=${a}`), 400);
    expectOutcome(await http(server, 'POST', `Subscription/${OP}?id=${a}`), 400);
    expect((await http(server, 'GET', `Subscription/${OP}?id=${a}&_format=json&_pretty=true`)).status).toBe(200);
  });

  test('websocket-url follows the Host the client used', async () => {
    const viaLocalhost = server.url.replace('127.0.0.1', 'localhost');
    const result = await http(server, 'POST', `${viaLocalhost}/Subscription/${a}/${OP}`);
    expect(tokenFrom(result.json!).websocketUrl).toBe(`${viaLocalhost.replace('http', 'ws')}/websocket`);
  });
});

test.describe('$get-ws-binding-token on the backport', () => {
  for (const version of ['R4', 'R4B'] as const) {
    test(`${version}: GET is supported at both levels (affectsState=false)`, async () => {
      const server = await start({ fhirVersion: version });
      try {
        const a = await createSubscription(server);
        const b = await createSubscription(server);
        const several = await http(server, 'GET', `Subscription/${OP}?id=${a}&id=${b}`);
        expect(several.status).toBe(200);
        expect(tokenFrom(several.json!).subscriptions).toEqual([a, b]);
        expect(tokenFrom((await http(server, 'GET', `Subscription/${a}/${OP}`)).json!).subscriptions).toEqual([a]);
        expect(tokenFrom((await http(server, 'POST', `Subscription/${OP}`, { body: idParameters([b]) })).json!).subscriptions).toEqual([b]);
      } finally {
        await server.close();
      }
    });
  }
});
