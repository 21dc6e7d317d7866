/** Auth headers: bearer, extra headers, OAuth2 client credentials against a real token endpoint. */
import { test, expect } from '@playwright/test';
import { createServer } from 'node:http';
import { defaultRunConfig } from '../../../runner/config/run-config.js';
import { resolveAuth } from '../../../runner/engine/auth.js';

test('a bearer token and extra headers; every credential is a secret to redact', async () => {
  const config = defaultRunConfig();
  config.auth = { bearerToken: 'bearer-secret-123', headers: { 'X-Api-Key': 'key-secret-4567', 'X-Tenant': 'a' } };
  const auth = await resolveAuth(config);
  expect(auth.headers).toEqual({ authorization: 'Bearer bearer-secret-123', 'X-Api-Key': 'key-secret-4567', 'X-Tenant': 'a' });
  expect(auth.secrets).toEqual(expect.arrayContaining(['bearer-secret-123', 'key-secret-4567']));
});

test('OAuth2 client credentials: the grant is posted, the access token becomes the bearer', async () => {
  let received = '';
  const server = createServer((req, res) => {
    req.on('data', (d) => (received += d));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: 'issued-access-token', token_type: 'bearer' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const config = defaultRunConfig();
    config.auth.oauth2 = { tokenUrl: `http://127.0.0.1:${port}/token`, clientId: 'suite', clientSecret: 'client-secret-xyz', scope: 'system/*.rs' };
    const auth = await resolveAuth(config);
    expect(auth.headers.authorization).toBe('Bearer issued-access-token');
    expect(Object.fromEntries(new URLSearchParams(received))).toEqual({ grant_type: 'client_credentials', client_id: 'suite', client_secret: 'client-secret-xyz', scope: 'system/*.rs' });
    expect(auth.secrets).toEqual(expect.arrayContaining(['client-secret-xyz', 'issued-access-token']));
  } finally {
    server.close();
  }
});

test('OAuth2: a token endpoint that refuses is a config error naming the status', async () => {
  const server = createServer((_req, res) => {
    res.statusCode = 401;
    res.end('{"error":"invalid_client"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const config = defaultRunConfig();
    config.auth.oauth2 = { tokenUrl: `http://127.0.0.1:${port}/token`, clientId: 'x', clientSecret: 'y' };
    await expect(resolveAuth(config)).rejects.toThrow('auth.oauth2: the token endpoint answered 401 without an access_token');
  } finally {
    server.close();
  }
});
