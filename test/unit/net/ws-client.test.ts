import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsClient, type Frame } from '../../../runner/net/ws-client.js';
import { Transcript } from '../../../runner/evidence/transcript.js';
import { Redactor, mask } from '../../../runner/evidence/redact.js';

/** Server behaviours chosen by the path the client connects to. */
const behaviours: Record<string, (socket: WebSocket) => void> = {
  // answers each message after a short delay: a reply to "bind" is the handshake
  '/reply': (socket) => {
    socket.on('message', (data) => {
      const text = data.toString();
      setTimeout(() => socket.send(text === 'bind' ? JSON.stringify({ type: 'handshake' }) : `echo ${text}`), 50);
    });
  },
  '/chatter': (socket) => {
    socket.send('x');
    socket.send('y');
  },
  '/burst': (socket) => {
    for (let i = 0; i < 8; i++) socket.send(`frame ${i}`);
  },
  '/binary': (socket) => socket.send(Buffer.from([1, 2, 3]), { binary: true }),
  '/big': (socket) => socket.send('z'.repeat(2000)),
  '/close-after-message': (socket) => {
    socket.on('message', () => setTimeout(() => socket.close(4001, 'bye'), 50));
  },
  '/silent': () => undefined,
};

let wss: WebSocketServer;
let wsBase: string;

test.beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (socket, request) => behaviours[request.url ?? '/silent']?.(socket));
  await new Promise<void>((resolve) => wss.on('listening', resolve));
  wsBase = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise((resolve) => wss.close(resolve));
});

async function open(path: string, transcript?: Transcript, extra: Partial<Parameters<typeof WsClient.connect>[1]> = {}): Promise<WsClient> {
  const result = await WsClient.connect(`${wsBase}${path}`, { name: 'ws1', timeoutMs: 2000, transcript, ...extra });
  if (!result.client) throw new Error(`connect failed: ${result.error}`);
  return result.client;
}

const isHandshake = (frame: Frame): boolean => (frame.json as { type?: string } | undefined)?.type === 'handshake';

test('waitFor resolves as soon as the frame arrives, long before the window ends', async () => {
  const client = await open('/reply');
  try {
    client.send('bind');
    const result = await client.waitFor(isHandshake, { withinMs: 5000 });
    expect(result.met).toBe(true);
    expect(result.matched).toHaveLength(1);
    expect(result.matched[0]).toMatchObject({ index: 0, text: '{"type":"handshake"}', json: { type: 'handshake' } });
    expect(result.elapsedMs).toBeLessThan(1000);
  } finally {
    await client.close();
  }
});

test('on timeout, waitFor reports not met and lists every frame that did arrive', async () => {
  const client = await open('/chatter');
  try {
    const started = Date.now();
    const result = await client.waitFor((frame) => frame.text === 'z', { withinMs: 300, since: 'open' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(result.met).toBe(false);
    expect(result.matched).toEqual([]);
    expect(result.all.map((frame) => frame.text)).toEqual(['x', 'y']);
    expect(result.all[0].jsonError).toMatch(/^not JSON/);
  } finally {
    await client.close();
  }
});

test('count: waits for several matches; frames already buffered count at once', async () => {
  const client = await open('/chatter');
  try {
    await client.waitFor((frame) => frame.text === 'y', { withinMs: 2000, since: 'open' });
    const started = Date.now();
    const result = await client.waitFor((frame) => typeof frame.text === 'string', { withinMs: 2000, since: 'open', count: 2 });
    expect(result.met).toBe(true);
    expect(Date.now() - started).toBeLessThan(500); // far below the 2 s window: resolved at once, not by waiting
  } finally {
    await client.close();
  }
});

test("since 'last-send' ignores frames received before the send; 'open' sees them", async () => {
  const client = await open('/reply');
  try {
    client.send('one');
    await client.waitFor((frame) => frame.text === 'echo one', { withinMs: 2000 });
    client.send('two');
    const sinceSend = await client.waitFor((frame) => frame.text === 'echo one', { withinMs: 200 });
    expect(sinceSend.met).toBe(false);
    expect(sinceSend.all.map((frame) => frame.text)).toEqual(['echo two']);
    const sinceOpen = await client.waitFor((frame) => frame.text === 'echo one', { withinMs: 200, since: 'open' });
    expect(sinceOpen.met).toBe(true);
  } finally {
    await client.close();
  }
});

test('fullWindow keeps collecting after the count is reached', async () => {
  const client = await open('/chatter');
  try {
    const result = await client.waitFor(() => true, { withinMs: 250, since: 'open', fullWindow: true });
    expect(result.met).toBe(true);
    expect(result.matched).toHaveLength(2);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(240);
  } finally {
    await client.close();
  }
});

test('expectNone holds for the whole window when nothing matches, and fails at once when something does', async () => {
  const client = await open('/chatter');
  try {
    const quiet = await client.expectNone((frame) => frame.text === 'z', { forMs: 300, since: 'open' });
    expect(quiet.ok).toBe(true);
    expect(quiet.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(quiet.all).toHaveLength(2);
    const started = Date.now();
    const noisy = await client.expectNone((frame) => frame.text === 'x', { forMs: 5000, since: 'open' });
    expect(noisy.ok).toBe(false);
    expect(noisy.offending.map((frame) => frame.text)).toEqual(['x']);
    expect(Date.now() - started).toBeLessThan(500);
  } finally {
    await client.close();
  }
});

test('a server that accepts TCP and never answers the upgrade gives a bounded error', async () => {
  const sockets: net.Socket[] = [];
  const mute = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
  const transcript = new Transcript();
  try {
    const started = Date.now();
    const result = await WsClient.connect(`ws://127.0.0.1:${(mute.address() as AddressInfo).port}/ws`, { name: 'ws1', timeoutMs: 300, transcript });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result.client).toBeUndefined();
    expect(result.error).toBe('timed out after 300 ms waiting for the websocket upgrade (HTTP 101)');
    expect(transcript.entries()).toEqual([expect.objectContaining({ kind: 'ws', event: 'connect-failed', error: result.error })]);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => mute.close(resolve));
  }
});

test('an HTTP 404 answer to the upgrade is reported with its status', async () => {
  const server = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('no websocket here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const result = await WsClient.connect(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`, { name: 'ws1', timeoutMs: 2000 });
    expect(result.error).toBe('the server answered HTTP 404 Not Found instead of 101 Switching Protocols');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('refused connections and invalid URLs are errors, not exceptions', async () => {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const refused = await WsClient.connect(`ws://127.0.0.1:${port}/`, { name: 'ws1', timeoutMs: 2000 });
  expect(refused.error).toBe('connection refused (ECONNREFUSED)');
  const invalid = await WsClient.connect('http//nonsense', { name: 'ws1' });
  expect(invalid.error).toMatch(/^invalid websocket URL: /);
});

test('a close by the server is detected: waitForClose and pending waits end early with its code', async () => {
  const client = await open('/close-after-message');
  client.send('anything');
  const started = Date.now();
  const waiting = client.waitFor(isHandshake, { withinMs: 5000 });
  const closed = await client.waitForClose(5000);
  expect(closed.closed).toBe(true);
  expect(closed.info).toMatchObject({ code: 4001, reason: 'bye', byClient: false });
  const result = await waiting;
  expect(result.met).toBe(false);
  expect(result.closed?.code).toBe(4001);
  expect(Date.now() - started).toBeLessThan(1000);
  expect(client.send('late')).toEqual({ sent: false, error: 'not sent: the socket is closed' });
});

test('waitForClose times out when the socket stays open', async () => {
  const client = await open('/silent');
  try {
    const result = await client.waitForClose(200);
    expect(result.closed).toBe(false);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(190);
  } finally {
    await client.close();
  }
  expect(client.closed?.byClient).toBe(true);
});

test('binary frames are buffered and recorded as "<binary N bytes>"', async () => {
  const transcript = new Transcript();
  const client = await open('/binary', transcript);
  try {
    const result = await client.waitFor((frame) => frame.binary === true, { withinMs: 2000, since: 'open' });
    expect(result.matched[0]).toMatchObject({ binary: true, bytes: 3 });
    expect(result.matched[0].text).toBeUndefined();
    expect(transcript.entries()).toContainEqual(expect.objectContaining({ event: 'frame', direction: 'received', data: '<binary 3 bytes>', binary: true }));
  } finally {
    await client.close();
  }
});

test('a frame over maxPayload closes the socket and is reported as an error', async () => {
  const client = await open('/big', undefined, { maxPayload: 1024 });
  const closed = await client.waitForClose(2000);
  expect(closed.closed).toBe(true);
  expect(client.frames()).toEqual([]);
  expect(client.errors).toEqual(['Max payload size exceeded (WS_ERR_UNSUPPORTED_MESSAGE_LENGTH)']);
});

test('beyond maxBufferedBytes the first and the latest frames are kept, those between dropped, with one transcript note', async () => {
  const transcript = new Transcript();
  // 'frame i' is 7 bytes, counted with 256 bytes of overhead: half the budget holds two frames.
  const client = await open('/burst', transcript, { maxBufferedBytes: 263 * 4 + 100 });
  try {
    const waited = await client.waitFor((frame) => frame.text === 'frame 7', { withinMs: 2000, since: 'open' });
    expect(waited.met).toBe(true);
    expect(client.frames().map((frame) => frame.index)).toEqual([0, 1, 6, 7]);
    expect(client.droppedFrames).toBe(4);
    const notes = transcript.entries().filter((entry) => entry.kind === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ text: expect.stringContaining('the first 2 frames and the latest are kept') });
  } finally {
    await client.close();
  }
});

test('a wait counts every matching frame (matchedCount), beside the ones it keeps', async () => {
  const client = await open('/burst');
  try {
    const waited = await client.waitFor((frame) => frame.text?.startsWith('frame') === true, { count: 1, withinMs: 300, since: 'open', fullWindow: true });
    expect(waited.matchedCount).toBe(8);
    expect(waited.matched.map((frame) => frame.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  } finally {
    await client.close();
  }
});

test('the transcript gets open, sent and received frames (redacted) and close', async () => {
  const redactor = new Redactor();
  redactor.add('binding-token-xyz');
  const transcript = new Transcript({ redactor });
  const client = await open('/reply', transcript);
  client.send('binding-token-xyz');
  await client.waitFor((frame) => frame.text?.startsWith('echo') === true, { withinMs: 2000 });
  await client.close();
  const events = transcript.entries().map((entry) => (entry.kind === 'ws' ? [entry.event, entry.direction, entry.data ?? entry.closeCode] : []));
  expect(events).toEqual([
    ['open', undefined, undefined],
    ['frame', 'sent', mask('binding-token-xyz')],
    ['frame', 'received', `echo ${mask('binding-token-xyz')}`],
    ['close', undefined, 1000],
  ]);
});

test('a predicate that throws counts as no match instead of breaking the wait', async () => {
  const client = await open('/chatter');
  try {
    const result = await client.waitFor(() => {
      throw new Error('bug in a matcher');
    }, { withinMs: 150, since: 'open' });
    expect(result.met).toBe(false);
    expect(result.all).toHaveLength(2);
  } finally {
    await client.close();
  }
});
