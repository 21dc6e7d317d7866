/**
 * Credentials go only to the origin of --server (the OAuth token endpoint: only to its own). Each
 * test points the harness at a hostile arrangement — a websocket-url, a redirect or a token endpoint
 * that names another origin — with a sniffer (test/support/credential-sniffer.ts) standing at that
 * other origin, and checks the sniffer never saw Authorization, Cookie or X-Api-Key.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startReferenceServer, type ReferenceServer } from '../../reference-server/src/server.js';
import { checkReachable } from '../../runner/cli/preflight.js';
import { defaultRunConfig, type RunConfig } from '../../runner/config/run-config.js';
import { resolveAuth } from '../../runner/engine/auth.js';
import { discoverTarget } from '../../runner/engine/discover-target.js';
import { probeOtherIdentity } from '../../runner/engine/other-identity.js';
import { HarnessError } from '../../runner/errors.js';
import { runLoad } from '../../runner/load/load-test.js';
import { HttpClient } from '../../runner/net/http-client.js';
import { runCli } from '../support/run-cli.js';
import { credentialsSeen, redirectReply, startSniffer, type Sniffer } from '../support/credential-sniffer.js';

const BEARER = 'main-bearer-0123456789';
const API_KEY = 'k7-abcd'; // 7 characters: short credentials are credentials too
const CREDENTIALS = { authorization: `Bearer ${BEARER}`, 'X-Api-Key': API_KEY, cookie: 'sid=session-42' };
const TIMEOUTS = { httpMs: 10_000, connectMs: 10_000, handshakeMs: 10_000, silenceMs: 500 };

async function withSniffers<T>(count: number, body: (sniffers: Sniffer[]) => Promise<T>, replies: Parameters<typeof startSniffer>[0][] = []): Promise<T> {
  const sniffers = await Promise.all(Array.from({ length: count }, (_, i) => startSniffer(replies[i])));
  try {
    return await body(sniffers);
  } finally {
    await Promise.all(sniffers.map((s) => s.close()));
  }
}

/** The reference server, announcing its websocket-url on the sniffer's origin (which forwards to it). */
async function referenceBehind(sniffer: Sniffer): Promise<ReferenceServer> {
  const server = await startReferenceServer({ fhirVersion: 'R5', bearerToken: BEARER, publicUrl: `${sniffer.origin}/fhir` });
  sniffer.forwardTo(Number(new URL(server.url).port));
  return server;
}

async function firstTopic(base: string): Promise<string> {
  const response = await fetch(`${base}/SubscriptionTopic`, { headers: { authorization: `Bearer ${BEARER}` }, signal: AbortSignal.timeout(5_000) });
  return ((await response.json()) as { entry: Array<{ resource: { url: string } }> }).entry[0]!.resource.url;
}

function configFor(server: string, auth: Partial<RunConfig['auth']> = {}): RunConfig & { server: string } {
  const config = defaultRunConfig();
  config.auth = { headers: {}, ...auth };
  config.timeouts = { ...TIMEOUTS, httpMs: 3_000 };
  return { ...config, server };
}

async function harnessErrorOf(promise: Promise<unknown>): Promise<HarnessError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, 'expected a HarnessError').toBeInstanceOf(HarnessError);
  return error as HarnessError;
}

test('load mode: no credential on a websocket upgrade to an origin other than --server', async () => {
  await withSniffers(1, async ([sniffer]) => {
    const server = await referenceBehind(sniffer!);
    try {
      const result = await runLoad({ baseUrl: server.url, headers: CREDENTIALS, clients: 3, timeouts: TIMEOUTS, fhirVersion: 'R5', topic: await firstTopic(server.url), deadlineMs: 30_000 });
      expect(result.errors).toEqual({});
      expect(result.succeeded).toBe(3);
    } finally {
      await server.close();
    }
    const upgrades = sniffer!.seen.filter((r) => r.upgrade);
    expect(upgrades.length, 'the upgrades went through the other origin').toBeGreaterThanOrEqual(4); // pilot + 3 clients
    expect(upgrades.map(credentialsSeen).flat()).toEqual([]);
  });
});

test('a normal run sends no credential on any websocket upgrade', async () => {
  test.setTimeout(120_000);
  await withSniffers(1, async ([sniffer]) => {
    const server = await referenceBehind(sniffer!);
    const dir = mkdtempSync(path.join(tmpdir(), 'fwc-cred-'));
    writeFileSync(path.join(dir, 'config.yaml'), `auth:\n  bearerToken: ${BEARER}\n  headers:\n    X-Api-Key: ${API_KEY}\n`);
    try {
      const run = await runCli(['--server', server.url, '--config', path.join(dir, 'config.yaml'), '--grep', '^binding\\.handshake\\.single ', '--report-dir', path.join(dir, 'report')]);
      expect(run.code, run.stderr).toBe(0);
    } finally {
      await server.close();
    }
    const upgrades = sniffer!.seen.filter((r) => r.upgrade);
    expect(upgrades.length).toBeGreaterThan(0);
    expect(upgrades.map(credentialsSeen).flat()).toEqual([]);
  });
});

test('HttpClient: a request to another origin carries none of the credentials; its own origin gets them', async () => {
  await withSniffers(2, async ([home, elsewhere]) => {
    const http = new HttpClient({ baseUrl: `${home!.origin}/fhir`, headers: { ...CREDENTIALS, 'X-Tenant': 'acme' }, timeoutMs: 3_000 });
    await http.request({ method: 'GET', path: 'metadata' });
    await http.request({ method: 'GET', url: `${elsewhere!.origin}/fhir/metadata`, headers: { 'X-Api-Key': API_KEY } });
    await http.request({ method: 'GET', url: `${home!.localhostOrigin}/fhir/metadata` }); // same port, another host name: another origin
    expect(credentialsSeen(home!.seen[0]!)).toEqual(['authorization', 'cookie', 'x-api-key']);
    expect(elsewhere!.seen.map(credentialsSeen).flat()).toEqual([]);
    expect(elsewhere!.seen[0]!.headers['x-tenant'], 'what is not a credential still goes').toBe('acme');
    expect(home!.seen.slice(1).map(credentialsSeen).flat()).toEqual([]);
  });
});

test('HttpClient with followRedirects: a hop to another origin carries no credential', async () => {
  await withSniffers(2, async ([home, elsewhere]) => {
    home!.answerWith(redirectReply(302, `${elsewhere!.origin}/fhir/metadata`));
    const result = await new HttpClient({ baseUrl: `${home!.origin}/fhir`, headers: CREDENTIALS, timeoutMs: 3_000, followRedirects: true }).request({ method: 'GET', path: 'metadata' });
    expect(result.status).toBe(200);
    expect(credentialsSeen(home!.seen[0]!)).toEqual(['authorization', 'cookie', 'x-api-key']);
    expect(elsewhere!.seen).toHaveLength(1);
    expect(credentialsSeen(elsewhere!.seen[0]!)).toEqual([]);
  });
});

test('OAuth2: a token endpoint answering 307 to another origin is not followed; the client secret stays home', async () => {
  await withSniffers(2, async ([tokenEndpoint, elsewhere]) => {
    tokenEndpoint!.answerWith(redirectReply(307, `${elsewhere!.origin}/token`));
    const config = configFor('http://127.0.0.1:9/fhir', { oauth2: { tokenUrl: `${tokenEndpoint!.origin}/token`, clientId: 'client', clientSecret: 'client-secret-xyz' } });
    const error = await harnessErrorOf(resolveAuth(config));
    expect(error.code).toBe('FWC_ERR_CONFIG');
    expect(error.message).toContain(`answered 307, redirecting to ${elsewhere!.origin}: not followed`);
    expect(error.message).not.toContain('client-secret-xyz');
    expect(tokenEndpoint!.seen[0]!.body).toContain('client_secret=client-secret-xyz');
    expect(elsewhere!.seen, 'nothing reached the other origin').toEqual([]);
  });
});

test('OAuth2: a plain http:// tokenUrl is refused unless it is this machine', async () => {
  for (const tokenUrl of ['http://idp.example.org/token', 'http://10.0.0.5:8080/token', 'ftp://127.0.0.1/token']) {
    const error = await harnessErrorOf(resolveAuth(configFor('http://127.0.0.1:9/fhir', { oauth2: { tokenUrl, clientId: 'c', clientSecret: 's' } })));
    expect(error.code, tokenUrl).toBe('FWC_ERR_CONFIG');
    expect(error.message, tokenUrl).toMatch(/auth\.oauth2\.tokenUrl .*(plain http|must be https)/);
  }
  await withSniffers(1, async ([tokenEndpoint]) => {
    tokenEndpoint!.answerWith(() => 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 27\r\nconnection: close\r\n\r\n{"access_token":"at-12345"}');
    const auth = await resolveAuth(configFor('http://127.0.0.1:9/fhir', { oauth2: { tokenUrl: `${tokenEndpoint!.localhostOrigin}/token`, clientId: 'c', clientSecret: 's' } }));
    expect(auth.headers.authorization).toBe('Bearer at-12345');
    expect(auth.secrets).toContain('at-12345');
  });
});

test('discovery: a redirect of /metadata to another origin is not followed and stops the run naming both origins', async () => {
  await withSniffers(2, async ([target, elsewhere]) => {
    target!.answerWith(redirectReply(301, `${elsewhere!.origin}/fhir/metadata`));
    const server = `${target!.origin}/fhir`;
    const preflight = await harnessErrorOf(checkReachable(server, { 'X-Api-Key': API_KEY, cookie: 'sid=1' }));
    expect(preflight.message).toContain(`GET /metadata on ${target!.origin} answered 301, redirecting to another origin (${elsewhere!.origin}): not followed`);
    const discovery = await harnessErrorOf(discoverTarget(configFor(server, { headers: { 'X-Api-Key': API_KEY }, bearerToken: BEARER })));
    expect(discovery.code).toBe('FWC_ERR_CONFIG');
    expect(discovery.message).toContain(elsewhere!.origin);
    expect(elsewhere!.seen, 'nothing reached the other origin').toEqual([]);
    expect(target!.seen.length).toBe(2);

    const run = await runCli(['--server', server, '--report-dir', path.join(mkdtempSync(path.join(tmpdir(), 'fwc-redirect-')), 'r')]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`FWC_ERR_CONFIG: GET /metadata on ${target!.origin} answered 301, redirecting to another origin (${elsewhere!.origin})`);
  });
});

test('discovery: a redirect within the origin is followed by the reachability check and reported', async () => {
  await withSniffers(1, async ([target]) => {
    let hops = 0;
    target!.answerWith((request) => (hops++ === 0 ? redirectReply(308, '/fhir/metadata/')(request) : 'HTTP/1.1 200 OK\r\ncontent-type: application/fhir+json\r\ncontent-length: 38\r\nconnection: close\r\n\r\n{"resourceType":"CapabilityStatement"}'));
    const notes: string[] = [];
    await checkReachable(`${target!.origin}/fhir`, { 'X-Api-Key': API_KEY }, undefined, (line) => notes.push(line));
    expect(target!.seen.map((r) => r.path)).toEqual(['/fhir/metadata', '/fhir/metadata/']);
    expect(target!.seen.map(credentialsSeen)).toEqual([['x-api-key'], ['x-api-key']]);
    expect(notes).toEqual([expect.stringContaining('redirected within the server\'s origin (308 /fhir/metadata → /fhir/metadata/)')]);
  });
});

test('the second identity inherits none of the main credentials (X-Api-Key included), only shared headers', async () => {
  await withSniffers(1, async ([target]) => {
    const config = configFor(`${target!.origin}/fhir`, { headers: { 'X-Api-Key': API_KEY, Cookie: 'sid=main', 'X-Tenant': 'acme' }, otherIdentity: { bearerToken: 'other-bearer-987654' } });
    const other = await probeOtherIdentity(config, { ...config.auth.headers, authorization: `Bearer ${BEARER}` });
    expect(other.available).toBe(true);
    const probe = target!.seen[0]!;
    expect(credentialsSeen(probe)).toEqual(['authorization']);
    expect(probe.headers.authorization).toBe('Bearer other-bearer-987654');
    expect(probe.headers['x-tenant']).toBe('acme');
  });
});

test('a password in --server is refused and never echoed; a credential with a newline is a config error naming it, not its value', async () => {
  const password = 'pw-s3cret-123';
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-cred-'));
  for (const server of [`http://user:${password}@127.0.0.1:9/fhir`, `http://user:${password}@127.0.0.1:bad/fhir`]) {
    const run = await runCli(['--server', server, '--report-dir', path.join(dir, 'r1')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('FWC_ERR_CONFIG');
    expect(`${run.stdout}${run.stderr}`).not.toContain(password);
  }
  const viaEnv = await runCli(['--report-dir', path.join(dir, 'r2')], { FHIR_SERVER: `http://user:${password}@127.0.0.1:9/fhir` });
  expect(viaEnv.code).toBe(2);
  expect(viaEnv.stderr).not.toContain(password);

  writeFileSync(path.join(dir, 'config.yaml'), 'auth:\n  bearerToken: ${env:TOKEN_WITH_NEWLINE}\n  headers:\n    X-Api-Key: ${env:KEY_WITH_CR}\n');
  const bearer = await runCli(['--server', 'http://127.0.0.1:9/fhir', '--config', path.join(dir, 'config.yaml'), '--report-dir', path.join(dir, 'r3')], { TOKEN_WITH_NEWLINE: 'tok-line-one\ntok-line-two', KEY_WITH_CR: 'ok' });
  expect(bearer.code).toBe(2);
  expect(bearer.stderr.trim()).toMatch(/^fhir-ws-conformance: FWC_ERR_CONFIG: auth\.bearerToken contains a newline at position 13/);
  expect(bearer.stderr).not.toContain('tok-line');
  const header = await runCli(['--server', 'http://127.0.0.1:9/fhir', '--config', path.join(dir, 'config.yaml'), '--report-dir', path.join(dir, 'r4')], { TOKEN_WITH_NEWLINE: 'fine-token', KEY_WITH_CR: 'key\r' });
  expect(header.code).toBe(2);
  expect(header.stderr).toContain('FWC_ERR_CONFIG: auth.headers.X-Api-Key contains a carriage return');
});
