/** Starts bare-server-child.ts: node:http answering every request with one fixed response. */
import { fileURLToPath } from 'node:url';
import { startChild } from './child-process.js';

const ENTRY = fileURLToPath(new URL('./bare-server-child.ts', import.meta.url));

export interface FixedResponse { status: number; headers: Record<string, string>; body: string }

export async function spawnBareServer(response: FixedResponse): Promise<{ url: string; close(): Promise<void> }> {
  const child = await startChild<{ url: string }>(ENTRY, { env: { FWC_BARE_RESPONSE: JSON.stringify(response) } });
  return { url: child.ready.url, close: child.close };
}
