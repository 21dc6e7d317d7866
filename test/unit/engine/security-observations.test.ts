/**
 * Security observations after discovery, against the reference server on real sockets: whether the
 * binding token works as a REST bearer and renews itself (only probed when the run has credentials
 * of its own), whether websocket-url carries it, and the entropy estimate. No token value is kept.
 */
import { test, expect } from '@playwright/test';
import { discoverTarget } from '../../../runner/engine/discover-target.js';
import { startReferenceServer } from '../../../reference-server/src/server.js';
import type { ReferenceServerOptions } from '../../../reference-server/src/options.js';
import { testRunConfig } from '../../suite/in-process-suite.js';

const BEARER = 'security-probe-bearer-4f2a';

async function observed(options: ReferenceServerOptions, withCredentials: boolean): Promise<{ facts: Record<string, string>; issued: string[] }> {
  const server = await startReferenceServer({ port: 0, ...options, ...(withCredentials ? { bearerToken: BEARER } : {}) });
  try {
    const config = testRunConfig(server.url, server.options.fhirVersion);
    if (withCredentials) config.auth = { ...config.auth, headers: { ...config.auth.headers, authorization: `Bearer ${BEARER}` } };
    const target = await discoverTarget(config);
    return { facts: target.learned.security ?? {}, issued: server.issuedTokens() };
  } finally {
    await server.close();
  }
}

test('medplum-like: the binding token is a REST bearer and renews itself', async () => {
  const { facts, issued } = await observed({ preset: 'medplum-like' }, true);
  expect(facts.bindingTokenRestBearer).toMatch(/^accepted: GET Subscription\/\S+ with only the binding token as bearer → 200$/);
  expect(facts.bindingTokenSelfRenewal).toMatch(/^yes: instance-get with only the binding token as bearer → 200 with a new token$/);
  expect(facts.tokenInUrl).toBe('no: websocket-url has no query string (the token travels only inside the socket)');
  expect(facts.tokenEntropy).toMatch(/^not estimated: a signed JWT/);
  for (const token of issued) expect(JSON.stringify(facts)).not.toContain(token);
});

test('the reference server: the binding token is refused as a bearer (401) and cannot renew itself; 256-bit opaque tokens', async () => {
  const { facts } = await observed({ fhirVersion: 'R5' }, true);
  expect(facts.bindingTokenRestBearer).toMatch(/^refused: .* → 401$/);
  expect(facts.bindingTokenSelfRenewal).toMatch(/^no: instance-post with only the binding token as bearer → 401$/);
  // a few random base64url tokens lack '-' and '_' now and then: the estimate then names the alphabet it saw
  expect(facts.tokenEntropy).toMatch(/^≈ 2\d\d bits at most: (64 symbols \(base64url\)|62 symbols \(letters and digits\)) × 43 characters/);
});

test('without credentials of its own the run does not probe the bearer questions, and says why', async () => {
  const { facts } = await observed({ fhirVersion: 'R4', faults: ['uuid-tokens'] }, false);
  expect(facts.bindingTokenRestBearer).toMatch(/^not probed: the run has no credentials of its own/);
  expect(facts.bindingTokenSelfRenewal).toBe(facts.bindingTokenRestBearer);
  expect(facts.tokenEntropy).toMatch(/^≈ 122 bits: UUID v4/);
});

test('legacy-only: no token, no observations', async () => {
  expect((await observed({ preset: 'legacy-only' }, false)).facts).toEqual({});
});
