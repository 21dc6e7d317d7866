/**
 * "Nothing you can send produces a 5xx": a catalogue of hostile and odd requests, each of which must
 * get a 4xx (or 2xx) with an OperationOutcome, and the server must keep answering afterwards.
 */
import net from 'node:net';
import { expect, test } from '@playwright/test';
import type { ReferenceServer } from '../../reference-server/src/server.js';
import { createSubscription, http, start } from './helpers.js';

const OP = '$get-ws-binding-token';

interface Probe {
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

function deeplyNested(depth: number): string {
  return `{"resourceType":"Patient","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

function probes(subscriptionId: string): Probe[] {
  return [
    { method: 'POST', path: 'Subscription', body: '{"resourceType":' },
    { method: 'POST', path: 'Subscription', body: '{"resourceType":"Subscription","status":"requested","topic":42,"channelType":"websocket"}' },
    { method: 'POST', path: 'Subscription', body: '{"resourceType":"Subscription","channel":[],"criteria":{}}' },
    { method: 'POST', path: 'Subscription', body: '{"resourceType":"Subscription","status":"requested","topic":"x","channelType":{"code":null},"heartbeatPeriod":"9"}' },
    { method: 'POST', path: 'Subscription', body: '{"resourceType":"Subscription","id":{"x":1}}' },
    { method: 'POST', path: 'Subscription', body: 'true' },
    { method: 'POST', path: 'Subscription', body: '"Subscription"' },
    { method: 'POST', path: 'Patient', body: Buffer.from([0xff, 0xfe, 0x7b, 0x7d]) },
    { method: 'POST', path: 'Patient', body: deeplyNested(5_000) },
    { method: 'POST', path: 'Patient', body: deeplyNested(200_000) },
    { method: 'POST', path: 'Patient', body: `{"resourceType":"Patient","name":"${'x'.repeat(2 * 1024 * 1024)}"}` },
    { method: 'POST', path: `Subscription/${OP}`, body: 'x'.repeat(1024 * 1024 + 1) },
    { method: 'POST', path: `Subscription/${OP}`, body: '{"resourceType":"Parameters","parameter":[{"name":"id","valueId":{"a":1}}]}' },
    { method: 'POST', path: `Subscription/${OP}`, body: '{"resourceType":"Parameters","parameter":[{"name":{"x":1}}]}' },
    { method: 'POST', path: `Subscription/${OP}`, body: '{"resourceType":"Parameters","parameter":"id"}' },
    { method: 'POST', path: `Subscription/${subscriptionId}/${OP}`, body: '{}' },
    { method: 'POST', path: `Subscription/${subscriptionId}/${OP}`, body: '{}', headers: { 'Content-Type': 'application/fhir+xml' } },
    { method: 'GET', path: `Subscription/${OP}?id=%zz` },
    { method: 'GET', path: `Subscription/${OP}?%%%=%%%` },
    { method: 'GET', path: `Subscription/${OP}?id` },
    { method: 'GET', path: `Subscription/${OP}?id=&id=` },
    { method: 'GET', path: `Subscription/${OP}?id=${'a'.repeat(5000)}` },
    { method: 'GET', path: `Subscription/${OP}?id=%00` },
    { method: 'GET', path: `Subscription/${OP}?id=${encodeURIComponent('../../etc')}` },
    { method: 'GET', path: `Subscription/%E0%A4%A/${OP}` },
    { method: 'GET', path: `Subscription/${'%2F'.repeat(3)}/${OP}` },
    { method: 'GET', path: 'Subscription/..%2F..%2Fetc' },
    { method: 'GET', path: 'Subscription//x' },
    { method: 'GET', path: 'Subscription?_id=%zz&status=' },
    { method: 'GET', path: 'Subscription/a/b/c/d' },
    { method: 'GET', path: '%24get-ws-binding-token' },
    { method: 'GET', path: `${OP}` },
    { method: 'GET', path: 'metadata?_format=%' },
    { method: 'GET', path: 'métadata' },
    { method: 'DELETE', path: 'OperationDefinition/Subscription-get-ws-binding-token' },
    { method: 'DELETE', path: 'Patient/does-not-exist' },
    { method: 'PUT', path: 'Subscription/x', body: '' },
    { method: 'PUT', path: `Subscription/${'a'.repeat(65)}`, body: '{"resourceType":"Subscription"}' },
    { method: 'PATCH', path: `Subscription/${OP}`, body: '[]' },
    { method: 'OPTIONS', path: 'metadata' },
    { method: 'BREW', path: 'metadata' },
    { method: 'GET', path: 'metadata', headers: { Accept: 'text/html' } },
    { method: 'GET', path: 'metadata', headers: { Accept: ';;;,,,' } },
    { method: 'POST', path: 'Patient', body: '{"resourceType":"Patient"}', headers: { 'Content-Type': ';;' } },
  ];
}

async function send(server: ReferenceServer, probe: Probe): Promise<{ status: number; text: string; contentType: string }> {
  const url = new URL(server.url);
  const body = probe.body === undefined ? undefined : Buffer.isBuffer(probe.body) ? probe.body : Buffer.from(probe.body);
  // Raw HTTP: fetch refuses odd methods and rewrites some paths; a hostile client would not.
  const head = [
    `${probe.method} ${url.pathname}/${probe.path} HTTP/1.1`,
    `Host: ${url.host}`,
    'Connection: close',
    ...Object.entries({ ...(body ? { 'Content-Type': 'application/fhir+json' } : {}), ...probe.headers }).map(([k, v]) => `${k}: ${v}`),
    ...(body ? [`Content-Length: ${body.length}`] : []),
  ].join('\r\n');
  const raw = await rawExchange(url, Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body ?? Buffer.alloc(0)]));
  return parseResponse(raw);
}

function rawExchange(url: URL, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => (socket.destroy(), reject(new Error('no answer within 5 s'))), 5_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined); // a server that stops reading early may reset: the answer is already in
    socket.on('close', () => (clearTimeout(timer), resolve(Buffer.concat(chunks))));
    socket.write(payload, () => undefined);
  });
}

function parseResponse(raw: Buffer): { status: number; text: string; contentType: string } {
  const text = raw.toString('utf8');
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const contentType = /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '';
  return { status, text: rest.join('\r\n\r\n'), contentType };
}

test('no request in the hostile catalogue gets a 5xx; every 4xx carries an OperationOutcome', async () => {
  const server = await start();
  try {
    const id = await createSubscription(server);
    const failures: string[] = [];
    for (const probe of probes(id)) {
      const { status, text, contentType } = await send(server, probe);
      const label = `${probe.method} ${probe.path.slice(0, 80)} → ${status}`;
      if (status < 200 || status >= 500) failures.push(label);
      else if (status >= 400 && !(contentType.startsWith('application/fhir+json') && /"resourceType":\s*"OperationOutcome"/.test(text))) {
        failures.push(`${label} without OperationOutcome`);
      }
    }
    expect(failures).toEqual([]);
    expect((await http(server, 'GET', 'metadata')).status).toBe(200);
  } finally {
    await server.close();
  }
});

test('bodies over 1 MB → 413, whether declared up front or streamed', async () => {
  const server = await start();
  try {
    const big = await send(server, { method: 'POST', path: 'Patient', body: 'x'.repeat(1024 * 1024 + 10) });
    expect(big.status).toBe(413);
    const url = new URL(server.url);
    const chunked = Buffer.concat([
      Buffer.from(`POST ${url.pathname}/Patient HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`),
      ...Array.from({ length: 20 }, () => Buffer.from(`10000\r\n${'x'.repeat(0x10000)}\r\n`)),
      Buffer.from('0\r\n\r\n'),
    ]);
    expect(parseResponse(await rawExchange(url, chunked)).status).toBe(413);
  } finally {
    await server.close();
  }
});

test('unparseable HTTP gets a 400 OperationOutcome, not a dropped connection', async () => {
  const server = await start();
  try {
    const url = new URL(server.url);
    const answer = parseResponse(await rawExchange(url, Buffer.from('GARBAGE\r\n\r\n')));
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('OperationOutcome');
    const badHeader = parseResponse(await rawExchange(url, Buffer.from(`GET /fhir/metadata HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n`)));
    expect(badHeader.status).toBe(400);
  } finally {
    await server.close();
  }
});
