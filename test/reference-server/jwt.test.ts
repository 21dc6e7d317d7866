import { expect, test } from '@playwright/test';
import { createSubscription, getToken, isNotification, isOutcome, start, TestSocket } from './helpers.js';

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The JWT tamperings the suite's forge step performs, done by hand. */
function forgeries(token: string, otherId: string): Record<string, string> {
  const [header, claims, signature] = token.split('.') as [string, string, string];
  const claimsObject = decode(claims);
  return {
    'alg none': `${encode({ alg: 'none', typ: 'JWT' })}.${claims}.`,
    'claims changed': `${header}.${encode({ ...claimsObject, subscriptions: [otherId] })}.${signature}`,
    'signature removed': `${header}.${claims}.`,
    'exp forward': `${header}.${encode({ ...claimsObject, exp: Number(claimsObject.exp) + 3600 })}.${signature}`,
    'alg HS512 same signature': `${encode({ alg: 'HS512', typ: 'JWT' })}.${claims}.${signature}`,
    'signature of another length': `${header}.${claims}.${signature}AA`,
    'two parts': `${header}.${claims}`,
  };
}

test('JWT mode: HS256 tokens with subscriptions and exp claims bind; tampered ones never do', async () => {
  const server = await start({ tokenFormat: 'jwt' });
  const socket = await TestSocket.open(server.websocketUrl);
  try {
    const a = await createSubscription(server);
    const b = await createSubscription(server);
    const { token, expiration } = await getToken(server, [a]);
    const [header, claims] = token.split('.') as [string, string, string];
    expect(decode(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decode(claims)).toMatchObject({ iss: 'fhir-ws-reference-server', subscriptions: [a], exp: Date.parse(expiration) / 1000 });

    for (const [name, forged] of Object.entries(forgeries(token, b))) {
      const from = socket.frames.length;
      socket.bind(forged);
      await socket.waitFor(isOutcome, { from }).catch((error: Error) => {
        throw new Error(`${name}: ${error.message}`);
      });
    }
    expect(socket.frames.some(isNotification('handshake'))).toBe(false);
    socket.bind(token);
    await socket.waitFor(isNotification('handshake', a));
  } finally {
    socket.close();
    await server.close();
  }
});

test('JWT mode: expired tokens are refused even with a valid signature', async () => {
  const server = await start({ tokenFormat: 'jwt', tokenTtlSeconds: 1 });
  const socket = await TestSocket.open(server.websocketUrl);
  try {
    const id = await createSubscription(server);
    const { token, expiration } = await getToken(server, [id]);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiration) - Date.now() + 50));
    socket.bind(token);
    await socket.waitFor(isOutcome);
    expect(socket.frames.some(isNotification('handshake'))).toBe(false);
  } finally {
    socket.close();
    await server.close();
  }
});
