/**
 * Issue 11 item 8: discovery's CapabilityStatement read is capped in decoded bytes. It went through
 * fhir-kit-client, which reads whole bodies: a 100 MB statement cost ~500 MB of memory, a gzip bomb
 * (4 MB inflating to 4 GB) 2.6 GB. The hostile server below produces its body only as fast as the
 * client reads it, so the bytes it produced show how much the client took in.
 */
import type http from 'node:http';
import zlib from 'node:zlib';
import { test, expect } from '@playwright/test';
import { defaultRunConfig } from '../../runner/config/run-config.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../runner/net/http-client.js';
import { fetchCapabilityStatement } from '../../runner/engine/read-capability-statement.js';
import { startHostileFhirServer } from '../support/hostile-fhir-server.js';

const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

/** Writes `total` bytes of a CapabilityStatement-looking JSON body into `sink`, respecting back-pressure. */
function pumpBody(sink: NodeJS.WritableStream, total: number, produced: { bytes: number }, done: () => void): void {
  const head = '{"resourceType":"CapabilityStatement","padding":"';
  sink.write(head);
  produced.bytes += head.length;
  const pump = (): void => {
    while (produced.bytes < total) {
      produced.bytes += CHUNK.length;
      if (!sink.write(CHUNK)) return void sink.once('drain', pump);
    }
    done();
  };
  pump();
}

function hugeBody(produced: { bytes: number }) {
  return (res: http.ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'application/fhir+json', 'Content-Length': String(100 * MB + 2) });
    res.on('close', () => res.destroy());
    pumpBody(res, 100 * MB, produced, () => res.end('"}'));
  };
}

/** A gzip stream of (up to) 4 GB of JSON, compressed on the fly: the client's reading drives it. */
function gzipBomb(produced: { bytes: number }) {
  return (res: http.ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'application/fhir+json', 'Content-Encoding': 'gzip' });
    const gzip = zlib.createGzip({ level: 9 });
    gzip.pipe(res);
    res.on('close', () => gzip.destroy());
    pumpBody(gzip, 4096 * MB, produced, () => gzip.end('"}'));
  };
}

/**
 * What the server may have produced: the cap plus what sits in socket buffers on the way. Compressed
 * at ~1000:1, a few buffered kilobytes of the bomb stand for tens of megabytes inflated, so its
 * bound is looser; a whole-body read produces 100 MB, or GBs until the timeout.
 */
const CASES = [
  ['a 100 MB statement', hugeBody, DEFAULT_MAX_BODY_BYTES + 24 * MB],
  ['a gzip bomb (4 GB inflated)', gzipBomb, 256 * MB],
] as const;

for (const [name, body, producedAtMost] of CASES) {
  test(`${name} is read up to the cap, then left to discovery.metadata.available`, async () => {
    const produced = { bytes: 0 };
    const server = await startHostileFhirServer({ metadata: body(produced) });
    try {
      const config = { ...defaultRunConfig(), server: server.url, timeouts: { ...defaultRunConfig().timeouts, httpMs: 30_000 } };
      const started = Date.now();
      const read = await fetchCapabilityStatement(config, {});
      expect(read.capabilityStatement, 'a statement over the cap is not used').toBeUndefined();
      expect(read.unresponsive).toBeUndefined();
      expect(Date.now() - started, 'reading stopped at the cap, long before the HTTP timeout').toBeLessThan(20_000);
      expect(produced.bytes).toBeLessThan(producedAtMost);
    } finally {
      await server.close();
    }
  });
}
