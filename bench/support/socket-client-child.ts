/**
 * Child-process entry: a websocket client population for the socket-scale benchmark. Each process
 * has its own file-descriptor limit, so several of these together can hold more sockets than one
 * process could. Over IPC:
 *   ← { type: 'grow', id, count, concurrency, burst }  open `count` more sockets and bind each with
 *      the token; burst: open them all first, then send every bind at once and time each
 *      bind → handshake. → { type: 'grown', id, bound, failed, errors, latency: { p50, p99, max } }
 *   ← { type: 'count', id } → { type: 'count', id, open }  bound sockets still open
 *   ← { type: 'close' }     terminate every socket and exit
 * Waits are bounded by FWC_STEP_TIMEOUT_MS per socket phase.
 */
import WebSocket from 'ws';
import { summariseLatencies } from '../../runner/load/latency-summary.js';

const url = process.env.FWC_WS_URL!;
const token = process.env.FWC_TOKEN!;
const stepTimeoutMs = Number(process.env.FWC_STEP_TIMEOUT_MS ?? 20_000);
const bound: WebSocket[] = [];

interface Grow { type: 'grow'; id: number; count: number; concurrency: number; burst: boolean }

process.on('message', (message: Grow | { type: 'count'; id: number } | { type: 'close' }) => {
  if (message.type === 'grow') void grow(message).then((reply) => process.send?.(reply));
  if (message.type === 'count') process.send?.({ type: 'count', id: message.id, open: bound.filter((s) => s.readyState === WebSocket.OPEN).length });
  if (message.type === 'close') {
    for (const socket of bound) socket.terminate();
    setTimeout(() => process.exit(0), 100);
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });

async function grow(request: Grow): Promise<Record<string, unknown>> {
  const errors: Record<string, number> = {};
  const fail = (reason: string) => void (errors[reason] = (errors[reason] ?? 0) + 1);
  const sockets = await inBatches(request.count, request.concurrency, () => open().then((r) => (typeof r === 'string' ? (fail(r), undefined) : r)));
  const opened = sockets.filter((s): s is WebSocket => s !== undefined);
  const latencies: number[] = [];
  const bindOne = async (socket: WebSocket) => {
    const result = await bind(socket);
    if (typeof result === 'string') {
      fail(result);
      socket.terminate();
    } else {
      latencies.push(result);
      bound.push(socket);
    }
  };
  if (request.burst) await Promise.all(opened.map(bindOne));
  else await inBatches(opened.length, request.concurrency, (i) => bindOne(opened[i]!));
  return { type: 'grown', id: request.id, bound: latencies.length, failed: request.count - latencies.length, errors, latency: summariseLatencies(latencies) };
}

async function inBatches<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

function open(): Promise<WebSocket | string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      resolve('connect: timed out');
    }, stepTimeoutMs);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(`connect: ${error.code ?? error.message}`);
    });
    socket.on('error', () => undefined);
  });
}

/** Resolves with the bind → handshake time in ms, or a reason. */
function bind(socket: WebSocket): Promise<number | string> {
  return new Promise((resolve) => {
    const sentAt = performance.now();
    const timer = setTimeout(() => finish('handshake: timed out'), stepTimeoutMs);
    const onMessage = (data: WebSocket.RawData) => {
      const text = data.toString();
      finish(text.includes('"handshake"') ? Math.round((performance.now() - sentAt) * 10) / 10 : `handshake: got ${text.slice(0, 60)}`);
    };
    const onClose = (code: number) => finish(`handshake: closed ${code}`);
    const finish = (result: number | string) => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve(result);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(`bind-with-token ${token}`);
  });
}
