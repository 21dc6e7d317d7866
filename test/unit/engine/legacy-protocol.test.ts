/**
 * Recognising the pre-R5 websocket protocol after discovery, on real sockets: the reference server
 * with preset legacy-only (no operation; `bind <id>` → `bound <id>` at the endpoint its
 * CapabilityStatement advertises) is recognised in one sentence; a server whose operation works is
 * not, even when it also speaks the legacy protocol; nor is a server that advertises no endpoint.
 */
import { test, expect } from '@playwright/test';
import { discoverTarget } from '../../../runner/engine/discover-target.js';
import { advertisedWebsocketEndpoint, WEBSOCKET_EXTENSION_URL } from '../../../runner/engine/legacy-protocol.js';
import { startReferenceServer, type ReferenceServer } from '../../../reference-server/src/server.js';
import type { ReferenceServerOptions } from '../../../reference-server/src/options.js';
import { testRunConfig } from '../../suite/in-process-suite.js';

async function discovered(options: ReferenceServerOptions, bindForm: 'auto' | 'json' = 'auto'): Promise<{ learned: Record<string, unknown>; server: ReferenceServer }> {
  const server = await startReferenceServer({ port: 0, ...options });
  try {
    // a pinned bind form skips the bind-form warm-up: the probe then asks for a token itself
    const target = await discoverTarget({ ...testRunConfig(server.url, 'R4'), bindForm });
    return { learned: target.learned, server };
  } finally {
    await server.close();
  }
}

test('legacy-only: recognised, with the advertised endpoint, in the sentence the verdict line prints', async () => {
  const { learned, server } = await discovered({ preset: 'legacy-only' });
  expect(learned.invocation).toBeUndefined();
  expect(learned.legacyProtocol).toBe(
    `speaks the pre-R5 websocket protocol (\`bind <id>\`, at ${server.websocketUrl}) but does not implement $get-ws-binding-token`,
  );
});

test('legacy-only with a pinned bind form (no warm-up): the probe asks for a token itself, then recognises it', async () => {
  const { learned } = await discovered({ preset: 'legacy-only' }, 'json');
  expect(learned.legacyProtocol).toMatch(/^speaks the pre-R5 websocket protocol/);
});

test('a working operation beside the legacy protocol: nothing to recognise, warm-up or not', async () => {
  for (const bindForm of ['auto', 'json'] as const) {
    const { learned } = await discovered({ fhirVersion: 'R4', faults: ['legacy-bind-protocol'] }, bindForm);
    expect(learned.invocation, bindForm).toBeDefined();
    expect(learned.legacyProtocol, bindForm).toBeUndefined();
  }
});

test('no operation and no advertised endpoint: not recognised (nothing is guessed)', async () => {
  const { learned } = await discovered({ fhirVersion: 'R4', faults: ['operation-absent'] });
  expect(learned.invocation).toBeUndefined();
  expect(learned.legacyProtocol).toBeUndefined();
});

test('the advertised endpoint: the websocket extension on CapabilityStatement.rest, ws(s) URLs of visible ASCII only', () => {
  const statement = (valueUri: unknown) => ({ rest: [{ mode: 'server', extension: [{ url: WEBSOCKET_EXTENSION_URL, valueUri }] }] });
  expect(advertisedWebsocketEndpoint(statement('ws://h/fhir/websocket'))).toBe('ws://h/fhir/websocket');
  expect(advertisedWebsocketEndpoint({ rest: [{ extension: [{ url: WEBSOCKET_EXTENSION_URL, valueUrl: 'wss://h/ws' }] }] })).toBe('wss://h/ws');
  expect(advertisedWebsocketEndpoint(statement('http://h/websocket'))).toBeUndefined();
  expect(advertisedWebsocketEndpoint(statement('ws://h/\u001b[31mred'))).toBeUndefined();
  expect(advertisedWebsocketEndpoint(statement(`ws://h/${'a'.repeat(400)}`))).toBeUndefined();
  expect(advertisedWebsocketEndpoint(statement(42))).toBeUndefined();
  expect(advertisedWebsocketEndpoint({ rest: 'nope' })).toBeUndefined();
  expect(advertisedWebsocketEndpoint(undefined)).toBeUndefined();
});
