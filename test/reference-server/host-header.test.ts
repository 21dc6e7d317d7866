/**
 * Regression (found by the fuzzer, seed 3034739918): a Host header with a port above 65535 made the
 * operation answer 500 "Invalid URL" while building websocket-url. Such a Host is ignored now.
 */
import { request } from 'node:http';
import { expect, test } from '@playwright/test';
import { startReferenceServer } from '../../reference-server/src/server.js';

function postWithHost(url: URL, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { host, 'content-type': 'application/fhir+json', 'content-length': '0' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a Host header with an impossible port still gets a token and a usable websocket-url', async () => {
  const server = await startReferenceServer();
  try {
    const created = await fetch(`${server.url}/Subscription`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Subscription', status: 'requested', topic: 'http://example.org/fhir/SubscriptionTopic/patient-create',
        channelType: { system: 'http://terminology.hl7.org/CodeSystem/subscription-channel-type', code: 'websocket' }, content: 'id-only',
      }),
    });
    const { id } = (await created.json()) as { id: string };
    for (const host of ['evil.example:99999', 'evil.example:65536']) {
      const answer = await postWithHost(new URL(`${server.url}/Subscription/${id}/$get-ws-binding-token`), host);
      expect(answer.status, answer.body).toBe(200);
      expect(answer.body).toContain(server.websocketUrl);
    }
  } finally {
    await server.close();
  }
});
