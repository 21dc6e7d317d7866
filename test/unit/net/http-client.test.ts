import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { HttpClient } from '../../../runner/net/http-client.js';
import { Transcript } from '../../../runner/evidence/transcript.js';
import { mask } from '../../../runner/evidence/redact.js';
import { HarnessError } from '../../../runner/errors.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const routes: Record<string, Handler> = {
  '/hang': () => undefined,
  '/drip-forever': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    const timer = setInterval(() => res.write('x'), 50);
    res.on('close', () => clearInterval(timer));
  },
  '/drip-complete': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    const bytes = [...'{"resourceType":"Bundle"}'];
    const timer = setInterval(() => {
      const next = bytes.shift();
      if (next === undefined) {
        clearInterval(timer);
        res.end();
      } else res.write(next);
    }, 5);
  },
  '/html': (_req, res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body>Bad Gateway</body></html>');
  },
  '/garbage': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end('{"resourceType": "Parameters", oops');
  },
  '/json-as-text': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('{"resourceType":"OperationOutcome"}');
  },
  '/big': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(Buffer.alloc(5 * 1024 * 1024, 'a'));
  },
  '/cut-mid-body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': '1000' });
    res.write('{"resourceType":"Param');
    setTimeout(() => res.socket?.destroy(), 20);
  },
  '/reset-before-response': (req) => req.socket.destroy(),
  '/empty': (_req, res) => {
    res.writeHead(204);
    res.end();
  },
  '/echo': (req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/fhir+json', 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
  },
};

let server: http.Server;
let base: string;

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/fhir/, '').split('?')[0];
    const handler = routes[path] ?? routes['/echo'];
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('a hanging server yields a timeout error within the bound, not an exception', async () => {
  const client = new HttpClient({ baseUrl: base, timeoutMs: 300 });
  const started = Date.now();
  const result = await client.request({ method: 'GET', path: 'hang' });
  const elapsed = Date.now() - started;
  expect(result.ok).toBe(false);
  expect(result.error).toBe('timed out after 300 ms waiting for the response headers');
  expect(elapsed).toBeGreaterThanOrEqual(290);
  expect(elapsed).toBeLessThan(1500);
});

test('the timeout covers the body: a server dripping bytes forever is cut off', async () => {
  const client = new HttpClient({ baseUrl: base, timeoutMs: 400 });
  const started = Date.now();
  const result = await client.request({ method: 'GET', path: 'drip-forever' });
  expect(Date.now() - started).toBeLessThan(1500);
  expect(result.ok).toBe(true);
  expect(result.status).toBe(200);
  expect(result.error).toMatch(/^timed out after 400 ms reading the body \(\d+ bytes received\)$/);
  expect(result.text).toMatch(/^x+$/);
});

test('a body dripped slowly but completely within the timeout is assembled and parsed', async () => {
  const client = new HttpClient({ baseUrl: base, timeoutMs: 5000 });
  const result = await client.request({ method: 'GET', path: 'drip-complete' });
  expect(result.error).toBeUndefined();
  expect(result.json).toEqual({ resourceType: 'Bundle' });
});

test('HTML comes back as text, with the status, and a jsonError', async () => {
  const client = new HttpClient({ baseUrl: base });
  const result = await client.request({ method: 'GET', path: 'html' });
  expect(result).toMatchObject({ ok: true, status: 502, text: '<html><body>Bad Gateway</body></html>' });
  expect(result.headers['content-type']).toBe('text/html');
  expect(result.json).toBeUndefined();
  expect(result.jsonError).toMatch(/^not JSON: /);
});

test('garbage JSON: text kept, jsonError set, nothing thrown', async () => {
  const client = new HttpClient({ baseUrl: base });
  const result = await client.request({ method: 'GET', path: 'garbage' });
  expect(result.text).toBe('{"resourceType": "Parameters", oops');
  expect(result.jsonError).toMatch(/^not JSON: /);
});

test('JSON is parsed whatever the content-type says', async () => {
  const client = new HttpClient({ baseUrl: base });
  const result = await client.request({ method: 'GET', path: 'json-as-text' });
  expect(result.json).toEqual({ resourceType: 'OperationOutcome' });
});

test('a 5 MB body is read up to the cap, marked truncated, and not parsed', async () => {
  const transcript = new Transcript({ maxTextBytes: 1024 });
  const client = new HttpClient({ baseUrl: base, maxBodyBytes: 1024 * 1024, transcript });
  const result = await client.request({ method: 'GET', path: 'big' });
  expect(result.ok).toBe(true);
  expect(result.truncated).toBe(true);
  expect(result.text?.startsWith('a'.repeat(1024 * 1024))).toBe(true);
  expect(result.text?.endsWith('…[truncated: read limit of 1048576 bytes reached]')).toBe(true);
  expect(result.jsonError).toContain('longer than the read limit of 1048576 bytes');
  const entry = transcript.entries()[0];
  expect(entry.kind === 'http' && entry.response?.bodyTruncated).toBe(true);
  expect(entry.kind === 'http' && entry.response?.body?.length).toBeLessThan(1100);
});

test('a connection closed mid-response keeps the partial body and says what happened', async () => {
  const client = new HttpClient({ baseUrl: base, timeoutMs: 3000 });
  const result = await client.request({ method: 'GET', path: 'cut-mid-body' });
  expect(result.ok).toBe(true);
  expect(result.status).toBe(200);
  expect(result.text).toBe('{"resourceType":"Param');
  expect(result.error).toMatch(/while reading the body \(22 bytes received\)$/);
  expect(result.jsonError).toMatch(/^the body is incomplete, so not JSON/);
});

test('a connection reset before any response is an error, not an exception', async () => {
  const client = new HttpClient({ baseUrl: base, timeoutMs: 3000 });
  const result = await client.request({ method: 'GET', path: 'reset-before-response' });
  expect(result.ok).toBe(false);
  expect(result.status).toBeUndefined();
  expect(result.error).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
});

test('a refused connection is described in words', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const client = new HttpClient({ baseUrl: `http://127.0.0.1:${port}/fhir`, timeoutMs: 3000 });
  const result = await client.request({ method: 'GET', path: 'metadata' });
  expect(result).toMatchObject({ ok: false, error: 'connection refused (ECONNREFUSED)' });
});

test('request shape: url joining, repeated query keys, default Accept, JSON body content-type', async () => {
  const client = new HttpClient({ baseUrl: `${base}/`, headers: { Authorization: 'Bearer abcdef123456' } });
  const result = await client.request({
    method: 'post',
    path: '/Subscription/$get-ws-binding-token',
    query: { id: ['a', 'b'], _format: 'json' },
    body: { resourceType: 'Parameters' },
  });
  const echo = result.json as { method: string; url: string; headers: Record<string, string>; body: string };
  expect(echo.method).toBe('POST');
  expect(echo.url).toBe('/fhir/Subscription/$get-ws-binding-token?id=a&id=b&_format=json');
  expect(echo.headers.accept).toBe('application/fhir+json');
  expect(echo.headers['content-type']).toBe('application/fhir+json');
  expect(echo.headers.authorization).toBe('Bearer abcdef123456');
  expect(JSON.parse(echo.body)).toEqual({ resourceType: 'Parameters' });
  expect(result.headers['set-cookie']).toBe('a=1\nb=2');
});

test('a string body is sent as is; request headers override client headers case-insensitively', async () => {
  const client = new HttpClient({ baseUrl: base, headers: { accept: 'application/json' } });
  const result = await client.request({ method: 'POST', path: 'x', body: '{garbage', headers: { 'Content-Type': 'text/plain', Accept: '*/*' } });
  const echo = result.json as { headers: Record<string, string>; body: string };
  expect(echo.body).toBe('{garbage');
  expect(echo.headers['content-type']).toBe('text/plain');
  expect(echo.headers.accept).toBe('*/*');
});

test('a POST with no body sends Content-Length: 0 and the transcript shows it', async () => {
  const transcript = new Transcript();
  const client = new HttpClient({ baseUrl: base, transcript });
  const result = await client.request({ method: 'POST', path: 'Subscription/a/$get-ws-binding-token', emptyBody: true });
  const echo = result.json as { headers: Record<string, string>; body: string };
  expect(echo.headers['content-length']).toBe('0');
  expect(echo.body).toBe('');
  const entry = transcript.entries()[0];
  expect(entry.kind === 'http' && entry.request.headers['Content-Length']).toBe('0');
  expect(entry.kind === 'http' && entry.request.body).toBeUndefined();
});

test('an absolute url is used as is; an empty 204 body gives empty text and no jsonError', async () => {
  const client = new HttpClient({ baseUrl: 'http://unused.invalid/fhir' });
  const result = await client.request({ method: 'DELETE', url: `${base}/empty` });
  expect(result).toMatchObject({ ok: true, status: 204, text: '' });
  expect(result.jsonError).toBeUndefined();
});

test('every exchange is recorded redacted, errors too', async () => {
  const transcript = new Transcript();
  transcript.setStep(4);
  const client = new HttpClient({ baseUrl: base, transcript, headers: { Authorization: 'Bearer secret-access-token' }, timeoutMs: 200 });
  await client.request({ method: 'GET', path: 'echo' });
  await client.request({ method: 'GET', path: 'hang' });
  const [ok, failed] = transcript.entries();
  expect(JSON.stringify(transcript.entries())).not.toContain('secret-access-token');
  expect(ok).toMatchObject({ kind: 'http', seq: 1, step: 4, response: { status: 200 } });
  expect(ok.kind === 'http' && ok.request.headers.Authorization).toBe(`Bearer ${mask('secret-access-token')}`);
  expect(failed).toMatchObject({ kind: 'http', seq: 2, error: 'timed out after 200 ms waiting for the response headers' });
  expect(failed.kind === 'http' && failed.response).toBeUndefined();
});

test('redirects are returned, not followed, by default', async () => {
  const redirecting = http.createServer((_req, res) => {
    res.writeHead(302, { location: `${base}/echo` });
    res.end();
  });
  await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`;
    const result = await new HttpClient({ baseUrl: url }).request({ method: 'GET', path: '' });
    expect(result.status).toBe(302);
    const followed = await new HttpClient({ baseUrl: url, followRedirects: true }).request({ method: 'GET', path: '' });
    expect(followed.status).toBe(200);
  } finally {
    redirecting.closeAllConnections();
    await new Promise((resolve) => redirecting.close(resolve));
  }
});

test('a bad base URL or option is a configuration error at construction', () => {
  expect(() => new HttpClient({ baseUrl: 'not a url' })).toThrow(HarnessError);
  expect(() => new HttpClient({ baseUrl: 'ftp://h/' })).toThrow(/must use http or https/);
  expect(() => new HttpClient({ baseUrl: 'http://h/', timeoutMs: 0 })).toThrow(/timeoutMs must be a positive integer/);
});
