/** A population of websocket clients spread over child processes (socket-client-child.ts). */
import { fileURLToPath } from 'node:url';
import type { LatencySummary } from '../../runner/load/latency-summary.js';
import { startChild, type Child } from './child-process.js';

const ENTRY = fileURLToPath(new URL('./socket-client-child.ts', import.meta.url));

export interface GrowResult {
  bound: number;
  failed: number;
  errors: Record<string, number>;
  latency: LatencySummary;
}

export interface SocketClients {
  /** Open and bind `count` more sockets in process `which`. */
  grow(which: number, count: number, options: { concurrency: number; burst: boolean; timeoutMs: number }): Promise<GrowResult>;
  /** Bound sockets still open, over all processes. */
  openCount(): Promise<number>;
  close(): Promise<void>;
}

export async function spawnSocketClients(processes: number, websocketUrl: string, token: string, stepTimeoutMs = 20_000): Promise<SocketClients> {
  const env = { FWC_WS_URL: websocketUrl, FWC_TOKEN: token, FWC_STEP_TIMEOUT_MS: String(stepTimeoutMs) };
  const children: Array<Child<unknown>> = await Promise.all(Array.from({ length: processes }, () => startChild<unknown>(ENTRY, { env })));
  let nextId = 1;
  return {
    grow: (which, count, options) => {
      const id = nextId++;
      return children[which]!.ask<GrowResult>({ type: 'grow', id, count, concurrency: options.concurrency, burst: options.burst }, (m) => m.type === 'grown' && m.id === id, options.timeoutMs, 'grow');
    },
    openCount: async () => {
      const counts = await Promise.all(children.map((child) => {
        const id = nextId++;
        return child.ask<{ open: number }>({ type: 'count', id }, (m) => m.type === 'count' && m.id === id, 10_000, 'count');
      }));
      return counts.reduce((sum, c) => sum + c.open, 0);
    },
    close: async () => void (await Promise.all(children.map((child) => child.close()))),
  };
}
