/**
 * TLS (reference-server/src/tls.ts): https:// and wss:// with the bundled certificate, trusted
 * only by a client given the bundled test CA; bad material is an option error, never a crash.
 * The test process cannot use NODE_EXTRA_CA_CERTS (read at start-up), so requests pass the CA.
 */
import { test, expect } from '@playwright/test';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startReferenceServer } from '../../reference-server/src/server.js';
import { ReferenceServerOptionError } from '../../reference-server/src/options.js';
import { BUNDLED_TEST_CA_FILE, bundledTls } from '../../reference-server/src/tls.js';

const CA = readFileSync(fileURLToPath(BUNDLED_TEST_CA_FILE), 'utf8');

function request(url: string, options: https.RequestOptions & { body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ca: CA, timeout: 5_000, ...options }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end(options.body);
  });
}

test('https base, wss websocket-url, and a token that binds over wss', async () => {
  const server = await startReferenceServer({ tls: bundledTls() });
  try {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/fhir$/);
    expect(server.websocketUrl).toMatch(/^wss:\/\//);
    const created = await request(`${server.url}/Subscription`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Subscription', status: 'requested', topic: 'http://example.org/fhir/SubscriptionTopic/patient-create', channelType: { code: 'websocket' }, content: 'id-only' }),
    });
    expect(created.status).toBe(201);
    const id = JSON.parse(created.body).id as string;
    const issued = await request(`${server.url}/Subscription/${id}/$get-ws-binding-token`, { method: 'POST' });
    const parameters = JSON.parse(issued.body).parameter as Array<{ name: string; valueString?: string; valueUrl?: string }>;
    const websocketUrl = parameters.find((p) => p.name === 'websocket-url')!.valueUrl!;
    expect(websocketUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/fhir\/websocket$/);
    const token = parameters.find((p) => p.name === 'token')!.valueString!;
    const socket = new WebSocket(websocketUrl, { ca: CA, handshakeTimeout: 5_000 });
    const first = await new Promise<string>((resolve, reject) => {
      socket.on('open', () => socket.send(`bind-with-token ${token}`));
      socket.on('message', (data) => resolve(String(data)));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('no handshake within 5 s')), 5_000).unref();
    });
    socket.terminate();
    expect(JSON.parse(first)).toMatchObject({ resourceType: 'Bundle', type: 'subscription-notification' });
  } finally {
    await server.close();
  }
});

test('a client that does not trust the test CA is refused by TLS itself', async () => {
  const server = await startReferenceServer({ tls: bundledTls() });
  try {
    await expect(request(`${server.url}/metadata`, { ca: undefined })).rejects.toThrow(/unable to verify|self.signed|certificate/i);
  } finally {
    await server.close();
  }
});

test('bad TLS material is an option error naming the problem, before listening', async () => {
  await expect(startReferenceServer({ tls: { cert: 'not a certificate', key: 'not a key' } })).rejects.toThrow(ReferenceServerOptionError);
  await expect(startReferenceServer({ tls: { cert: bundledTls().cert } } as never)).rejects.toThrow(/tls must be \{ cert, key \}/);
  const mismatched = { cert: CA, key: bundledTls().key };
  await expect(startReferenceServer({ tls: mismatched })).rejects.toThrow(/tls: the certificate and key cannot be used/);
});
