/**
 * Websocket fuzz frames: random text (ASCII, unicode, control characters), near-misses of the three
 * bind forms, JSON of the wrong shape, binds with forged and real tokens, random binary frames, and
 * oversize frames (over the server's 64 KB frame limit). Deterministic for a seed.
 */
import type { Random } from './prng.js';

export type WsFrame =
  | { kind: 'text'; text: string; label: string }
  | { kind: 'binary'; bytes: Buffer; label: string };

/** The reference server's frame limit is 64 KB; oversize frames go beyond it. */
export const SERVER_FRAME_LIMIT = 64 * 1024;

export function bindText(form: 'space' | 'colon' | 'json', token: string): string {
  if (form === 'space') return `bind-with-token ${token}`;
  if (form === 'colon') return `bind-with-token: ${token}`;
  return JSON.stringify({ type: 'bind-with-token', payload: { token } });
}

export function generateWsFrame(rng: Random, validToken: string): WsFrame {
  const text = (label: string, value: string): WsFrame => ({ kind: 'text', text: value, label });
  const forged = () => rng.pick([
    validToken.slice(0, -1),
    `${validToken}x`,
    validToken.toUpperCase(),
    rng.string(validToken.length, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
    '',
    ' ',
    'null',
    'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    validToken.repeat(3),
  ]);
  return rng.weighted<() => WsFrame>([
    [10, () => text('valid bind', bindText(rng.pick(['space', 'colon', 'json'] as const), validToken))],
    [15, () => text('forged bind', bindText(rng.pick(['space', 'colon', 'json'] as const), forged()))],
    [10, () => text('random ASCII', rng.string(rng.int(0, 300), ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'))],
    [6, () => text('random unicode', rng.string(rng.int(1, 200), 'aé日本語🙂\u202e\u200b\ufeff\u0000\u0007\n\r\t'))],
    [10, () => text('bind near-miss', rng.pick([
      'bind-with-token',
      'bind-with-token:',
      'BIND-WITH-TOKEN abc',
      'bind-with-tokenabc',
      ' bind-with-token  \t abc  ',
      `bind-with-token ${validToken} ${validToken}`,
      `bind-with-token:${validToken}`,
      `bind-with-token\n${validToken}`,
      'bind-with-token: bind-with-token: x',
      `unbind ${validToken}`,
      'ping',
    ]))],
    [12, () => text('odd JSON', rng.pick([
      '{}',
      '[]',
      'null',
      '{"type":"bind-with-token"}',
      '{"type":"bind-with-token","payload":null}',
      '{"type":"bind-with-token","payload":{"token":42}}',
      '{"type":"bind-with-token","payload":{"token":{"$ne":""}}}',
      `{"type":"BIND-WITH-TOKEN","payload":{"token":"${validToken}"}}`,
      `{"type":"bind-with-token","payload":{"token":"${validToken}"},"__proto__":{"x":1}}`,
      '{"type":"bind-with-token","payload":{"token":"' + 'a'.repeat(60_000) + '"}}',
      `${'['.repeat(5000)}`,
      '{"type":',
      '{"resourceType":"Bundle"}',
    ]))],
    [5, () => text('empty', '')],
    [8, () => ({ kind: 'binary', bytes: rng.bytes(rng.int(0, 2000)), label: 'random binary' })],
    [3, () => ({ kind: 'binary', bytes: Buffer.from(bindText('space', validToken)), label: 'bind as binary' })],
    [4, () => text('long text under the limit', `bind-with-token ${'t'.repeat(rng.int(10_000, SERVER_FRAME_LIMIT - 100))}`)],
  ])();
}

/** A frame over the server's limit (the server must close the socket, code 1009, and carry on). */
export function oversizeFrame(rng: Random): WsFrame {
  const size = SERVER_FRAME_LIMIT + rng.int(1, 200_000);
  return rng.chance(0.5)
    ? { kind: 'text', text: `bind-with-token ${'o'.repeat(size)}`, label: `oversize text (${size} bytes)` }
    : { kind: 'binary', bytes: Buffer.alloc(size, 7), label: `oversize binary (${size} bytes)` };
}
