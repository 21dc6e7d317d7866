/**
 * The one list of credential headers and the origin rule built on it (credential-headers.ts,
 * origin-policy.ts, check-credentials.ts).
 */
import { test, expect } from '@playwright/test';
import { checkTokenUrl, isLoopback, withoutPassword } from '../../../runner/config/check-credentials.js';
import { credentialsOf, isCredentialHeader, withoutCredentials } from '../../../runner/net/credential-headers.js';
import { headersForOrigin, originOf, sameOrigin } from '../../../runner/net/origin-policy.js';

test('credential headers: the standard ones and names that read like one; not Sec-WebSocket-Key, WWW-Authenticate or a tenant', () => {
  const credentials = ['Authorization', 'proxy-authorization', 'Cookie', 'X-Api-Key', 'api-key', 'apikey', 'X-API_KEY', 'Ocp-Apim-Subscription-Key', 'X-Auth-Token', 'X-Access-Token', 'X-Session-Id', 'X-Client-Secret', 'X-Amz-Security-Token', 'X-Password'];
  const others = ['Accept', 'Content-Type', 'X-Tenant', 'Sec-WebSocket-Key', 'WWW-Authenticate', 'Prefer', 'X-Request-Id', 'Keep-Alive'];
  expect(credentials.filter((name) => !isCredentialHeader(name))).toEqual([]);
  expect(others.filter(isCredentialHeader)).toEqual([]);
  expect(withoutCredentials({ 'X-Api-Key': 'k', 'X-Tenant': 't', Authorization: 'a' })).toEqual({ 'X-Tenant': 't' });
  expect(credentialsOf({ 'X-Api-Key': 'k', 'X-Tenant': 't' })).toEqual({ 'x-api-key': 'k' });
});

test('origins: scheme, host and port; ws/wss count as http/https; default ports written out', () => {
  expect(originOf('ws://Example.org/fhir/websocket')).toBe('http://example.org:80');
  expect(sameOrigin('wss://example.org/ws', 'https://example.org:443/fhir')).toBe(true);
  expect(sameOrigin('ws://example.org/ws', 'https://example.org/fhir')).toBe(false);
  expect(sameOrigin('http://127.0.0.1:8080/a', 'http://localhost:8080/a')).toBe(false);
  expect(sameOrigin('http://127.0.0.1:8080/a', 'http://127.0.0.1:8081/a')).toBe(false);
  expect(sameOrigin('not a url', 'not a url')).toBe(false);
  const headers = { authorization: 'Bearer x', 'X-Tenant': 't' };
  expect(headersForOrigin('ws://127.0.0.1:8080/ws', 'http://127.0.0.1:8080/fhir', headers)).toEqual(headers);
  expect(headersForOrigin('ws://evil.example/ws', 'http://127.0.0.1:8080/fhir', headers)).toEqual({ 'X-Tenant': 't' });
});

test('tokenUrl: https anywhere, plain http only to this machine; loopback recognised; passwords hidden in messages', () => {
  for (const ok of ['https://idp.example.org/token', 'http://127.0.0.1:9000/token', 'http://localhost/token', 'http://[::1]:8/token']) expect(() => checkTokenUrl(ok), ok).not.toThrow();
  for (const bad of ['http://idp.example.org/token', 'http://192.168.1.2/token', 'https://u:p@idp.example.org/token', 'nonsense']) expect(() => checkTokenUrl(bad), bad).toThrow();
  expect(isLoopback('127.8.9.10')).toBe(true);
  expect(isLoopback('127.example.org')).toBe(false);
  expect(withoutPassword('see http://user:pw@host:1/fhir and https://x@y/')).toBe('see http://***@host:1/fhir and https://***@y/');
});

test('a header value a config file gives as a number is still a credential, and no crash', async () => {
  const { headerSecrets } = await import('../../../runner/engine/auth.js');
  expect(headerSecrets({ 'X-Api-Key': 1234567 as unknown as string, 'X-Count': 5 as unknown as string })).toEqual(['1234567']);
});
