/**
 * Presets helios-like, argonaut-like and legacy-only from the client's side, on real sockets: the
 * combination each server's client meets (each entry is proved on its own in faults.test.ts).
 */
import { expect, test } from '@playwright/test';
import type { PresetName } from '../../reference-server/src/presets.js';
import type { ReferenceServer } from '../../reference-server/src/server.js';
import { createPatient, createSubscription, http, isNotification, start, TestSocket, tokenFrom, type Json } from './helpers.js';

const OP = '$get-ws-binding-token';

async function withPreset(preset: PresetName, body: (server: ReferenceServer) => Promise<void>): Promise<void> {
  const server = await start({ preset });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

test('helios-like: GET at instance level only; 30 s single-use UUID tokens; text binds; a second bind closes the socket', async () => {
  await withPreset('helios-like', async (server) => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/); // the FHIR base is the root
    const [a, b] = [await createSubscription(server), await createSubscription(server)];
    expect((await http(server, 'POST', `Subscription/${a}/${OP}`)).status).toBe(405);
    expect((await http(server, 'GET', `Subscription/${OP}?id=${a}`)).status).toBe(404);
    expect((await http(server, 'GET', `Subscription/no-such/${OP}`)).status).toBe(404);
    const restHook = await createSubscription(server, { channel: 'rest-hook' });
    expect((await http(server, 'GET', `Subscription/${restHook}/${OP}`)).status).toBe(400);
    const issued = await http(server, 'GET', `Subscription/${a}/${OP}`);
    const token = tokenFrom(issued.json!);
    expect(token.token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(token.subscriptions).toEqual([]);
    expect(Date.parse(token.expiration) - Date.now()).toBeLessThanOrEqual(31_000);
    const socket = await TestSocket.open(token.websocketUrl);
    try {
      socket.bind(token.token, 'colon');
      await socket.waitFor(isNotification('handshake', a));
      socket.bind(tokenFrom((await http(server, 'GET', `Subscription/${b}/${OP}`)).json!).token, 'space');
      expect((await socket.waitForClose()).code).toBe(1008);
    } finally {
      socket.close();
    }
    const reused = await TestSocket.open(token.websocketUrl);
    try {
      reused.bind(token.token, 'space'); // used once already
      expect((await reused.waitForClose()).code).toBe(1008);
    } finally {
      reused.close();
    }
  });
});

test('argonaut-like: ids at type level, subscriptions comma-joined, websocket-url as valueString, no handshake, keepalive text, legacy bind', async () => {
  await withPreset('argonaut-like', async (server) => {
    const [a, b] = [await createSubscription(server, { heartbeatPeriod: 1 }), await createSubscription(server)];
    const issued = await http(server, 'POST', `Subscription/${OP}`, { body: { resourceType: 'Parameters', parameter: [{ name: 'ids', valueString: `${a},${b}` }] } });
    expect(issued.status, issued.text).toBe(200);
    const parameters = issued.json!.parameter as Json[];
    expect(parameters.find((p) => p.name === 'subscriptions')).toEqual({ name: 'subscriptions', valueString: `${a},${b}` });
    expect(parameters.find((p) => p.name === 'websocket-url')).toHaveProperty('valueString');
    expect(parameters.find((p) => p.name === 'expiration')?.valueDateTime).toMatch(/\+05:00$/);
    const unknown = await http(server, 'GET', `Subscription/no-such/${OP}`);
    expect([unknown.status, unknown.headers.get('content-type')]).toEqual([404, 'text/plain; charset=utf-8']);
    const token = tokenFrom(issued.json!);
    const socket = await TestSocket.open(token.websocketUrl);
    try {
      socket.bind(token.token, 'space');
      const [keepalive] = await socket.waitFor((frame) => typeof frame === 'string' && frame.startsWith('keepalive '), { within: 2_500 });
      expect(keepalive).toMatch(/^keepalive \d{4}-/);
      expect(socket.frames.filter(isNotification('handshake'))).toEqual([]);
      socket.send(`bind ${b}`);
      await socket.waitFor((frame) => frame === `bound ${b}`);
      await createPatient(server);
      await socket.waitFor((frame) => frame === `ping ${b}`);
      await socket.waitFor(isNotification('event-notification', a));
    } finally {
      socket.close();
    }
  });
});

test('legacy-only: no operation, the endpoint advertised the pre-R5 way, bind <id> → bound <id> → ping <id>', async () => {
  await withPreset('legacy-only', async (server) => {
    const id = await createSubscription(server);
    for (const path of [`Subscription/${id}/${OP}`, `Subscription/${OP}`]) expect((await http(server, 'POST', path)).status).toBe(404);
    const metadata = (await http(server, 'GET', 'metadata')).json!;
    const endpoint = metadata.rest[0].extension[0];
    expect(endpoint).toEqual({ url: 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket', valueUri: server.websocketUrl });
    const socket = await TestSocket.open(endpoint.valueUri);
    try {
      socket.send(`bind ${id}`);
      await socket.waitFor((frame) => frame === `bound ${id}`);
      await createPatient(server);
      await socket.waitFor((frame) => frame === `ping ${id}`);
    } finally {
      socket.close();
    }
  });
});
