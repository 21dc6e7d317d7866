/**
 * Child-process entry: runs the reference server alone in its process, so its memory (RSS, heap)
 * and file descriptors are its own and a crash cannot take the measuring process with it.
 * Started by spawn-reference-server.ts with --expose-gc; talks over the IPC channel:
 *   → { type: 'ready', url, websocketUrl }      once listening
 *   ← { type: 'sample', id }  → { type: 'sample', id, heapUsed, gcExposed }
 *      (RSS and open descriptors are read by the parent from /proc: at the descriptor limit this
 *      process could not open /proc files itself — process.memoryUsage() throws EMFILE there)
 *   ← { type: 'close' }       → closes the server and exits 0
 * If the parent goes away (IPC disconnects) the child exits too: no orphans.
 */
import { getHeapStatistics } from 'node:v8';
import { startReferenceServer } from '../../reference-server/src/server.js';
import type { ReferenceServerOptions } from '../../reference-server/src/options.js';

const OPTIONS_ENV = 'FWC_REFERENCE_OPTIONS';

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

function sample(): { heapUsed: number; gcExposed: boolean } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc(); // a second pass collects what the first one's finalisers released
  }
  return { heapUsed: getHeapStatistics().used_heap_size, gcExposed: !!gc };
}
