/**
 * Child-process entry: runs the reference server alone in its process, so its memory (RSS, heap)
 * and file descriptors are its own and a crash cannot take the measuring process with it.
 * Started by spawn-reference-server.ts with --expose-gc; talks over the IPC channel:
 *   → { type: 'ready', url, websocketUrl }      once listening
 *   ← { type: 'sample', id }  → { type: 'sample', id, heapUsed, rss, openFds, gcExposed }
 *   ← { type: 'close' }       → closes the server and exits 0
 * If the parent goes away (IPC disconnects) the child exits too: no orphans.
 */
import { readdirSync } from 'node:fs';
import { startReferenceServer } from '../../reference-server/src/server.js';
import type { ReferenceServerOptions } from '../../reference-server/src/options.js';

export const OPTIONS_ENV = 'FWC_REFERENCE_OPTIONS';

interface SampleRequest { type: 'sample'; id: number }
interface CloseRequest { type: 'close' }

const options = JSON.parse(process.env[OPTIONS_ENV] ?? '{}') as ReferenceServerOptions;
const server = await startReferenceServer(options);
const send = (message: unknown): void => void process.send?.(message);

send({ type: 'ready', url: server.url, websocketUrl: server.websocketUrl });

process.on('message', (message: SampleRequest | CloseRequest) => {
  if (message.type === 'sample') send({ type: 'sample', id: message.id, ...sample() });
  if (message.type === 'close') void server.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));

function sample(): { heapUsed: number; rss: number; openFds: number; gcExposed: boolean } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc(); // a second pass collects what the first one's finalisers released
  }
  const memory = process.memoryUsage();
  return { heapUsed: memory.heapUsed, rss: memory.rss, openFds: countOpenFds(), gcExposed: !!gc };
}

function countOpenFds(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1; // not Linux
  }
}
