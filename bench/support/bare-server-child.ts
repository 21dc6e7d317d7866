/**
 * Child-process entry for the throughput baseline: a bare node:http server that reads the request
 * body and answers every request with one fixed response (the bytes the reference server gave for
 * $get-ws-binding-token). It is the ceiling for "this machine, node:http, keep-alive, this response".
 *   env FWC_BARE_RESPONSE: JSON { status, headers, body }
 *   → IPC { type: 'ready', url }; ← { type: 'close' }
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface FixedResponse { status: number; headers: Record<string, string>; body: string }

const fixed = JSON.parse(process.env.FWC_BARE_RESPONSE ?? '{"status":200,"headers":{},"body":""}') as FixedResponse;
const body = Buffer.from(fixed.body, 'utf8');
const headers = { ...fixed.headers, 'content-length': String(body.length) };

const server = http.createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(fixed.status, headers);
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
process.on('message', (message: { type?: string }) => {
  if (message.type === 'close') {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  }
});
process.on('disconnect', () => process.exit(0));
