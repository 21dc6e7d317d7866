/**
 * The second identity (auth.otherIdentity): its headers, and the discovery probe that decides the
 * other-identity capability — only a 401 means the server does not accept it.
 */
import { test, expect } from '@playwright/test';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { defaultRunConfig, type RunConfig } from '../../../runner/config/run-config.js';
import { resolveOtherIdentity } from '../../../runner/engine/auth.js';
import { NO_OTHER_IDENTITY, probeOtherIdentity } from '../../../runner/engine/other-identity.js';

const MAIN = { 'X-Tenant': 'demo', authorization: 'Bearer main-bearer-1234' };

function configWith(otherIdentity: RunConfig['auth']['otherIdentity'], server = 'http://127.0.0.1:9/fhir'): RunConfig & { server: string } {
  const config = defaultRunConfig();
  config.auth = { bearerToken: 'main-bearer-1234', headers: { 'X-Tenant': 'demo', Authorization: 'Basic main' }, otherIdentity };
  config.timeouts.httpMs = 2_000;
  return { ...config, server };
}

/** A server answering GET Subscription with `status`, remembering the headers it saw. */
async function withServer(status: number, body: (url: string, seen: IncomingHttpHeaders[]) => Promise<void>): Promise<void> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.statusCode = status;
    res.setHeader('content-type', 'application/fhir+json');
    res.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as { port: number }).port}/fhir`, seen);
  } finally {
    server.close();
  }
}

test('headers: shared headers kept, its own over them, its bearer replaces any Authorization; secrets listed', () => {
  const other = resolveOtherIdentity(configWith({ bearerToken: 'other-bearer-5678', headers: { 'X-Api-Key': 'other-key-abcdefgh' } }))!;
  expect(other.headers).toEqual({ 'X-Tenant': 'demo', 'X-Api-Key': 'other-key-abcdefgh', authorization: 'Bearer other-bearer-5678' });
  expect(other.secrets).toEqual(expect.arrayContaining(['other-bearer-5678', 'other-key-abcdefgh']));
});

test('credentials are never inherited: with headers only, the main Authorization and Cookie stay behind', () => {
  const config = configWith({ headers: { 'X-Api-Key': 'other-key-abcdefgh' } });
  config.auth.headers.Cookie = 'session=main';
  expect(resolveOtherIdentity(config)!.headers).toEqual({ 'X-Tenant': 'demo', 'X-Api-Key': 'other-key-abcdefgh' });
});

test('probe: the same credentials as the main identity → unavailable, saying so, before any request', async () => {
  const probe = await probeOtherIdentity(configWith({ bearerToken: 'main-bearer-1234' }, 'http://127.0.0.1:9/fhir'), MAIN);
  expect(probe).toMatchObject({ available: false, reason: expect.stringContaining('same credentials as the main identity') });
});

test('no second identity, or an empty one: none', () => {
  expect(resolveOtherIdentity(configWith(undefined))).toBeUndefined();
  expect(resolveOtherIdentity(configWith({}))).toBeUndefined();
});

test('probe: not configured → unavailable with the sentence that says how to configure it', async () => {
  expect(await probeOtherIdentity(configWith(undefined), MAIN)).toEqual({ available: false, reason: NO_OTHER_IDENTITY, secrets: [] });
});

test('probe: 200 and 403 are both an accepted identity (a restricted one may be forbidden); its credentials were sent', async () => {
  for (const status of [200, 403]) {
    await withServer(status, async (url, seen) => {
      const probe = await probeOtherIdentity(configWith({ bearerToken: 'other-bearer-5678' }, url), MAIN);
      expect(probe.available).toBe(true);
      expect(seen[0]!.authorization).toBe('Bearer other-bearer-5678');
    });
  }
});

test('probe: 401 → unavailable, saying the server does not accept it; the token is still a secret', async () => {
  await withServer(401, async (url) => {
    const probe = await probeOtherIdentity(configWith({ bearerToken: 'other-bearer-5678' }, url), MAIN);
    expect(probe).toMatchObject({ available: false, secrets: ['other-bearer-5678'] });
    expect(probe.available === false && probe.reason).toMatch(/does not accept auth.otherIdentity.*401/);
  });
});

test('probe: no answer → unavailable with the network reason, within the HTTP timeout', async () => {
  const probe = await probeOtherIdentity(configWith({ bearerToken: 'other-bearer-5678' }, 'http://127.0.0.1:9/fhir'), MAIN);
  expect(probe.available === false && probe.reason).toMatch(/got no answer/);
});
