/**
 * Starts the reference server in a child process (reference-server-child.ts, with --expose-gc) and
 * hands back its URL plus a way to sample its memory and open descriptors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReferenceServerOptions } from '../../reference-server/src/options.js';
import { startChild } from './child-process.js';

const ENTRY = fileURLToPath(new URL('./reference-server-child.ts', import.meta.url));
const OPTIONS_ENV = 'FWC_REFERENCE_OPTIONS';

export interface ServerSample {
  heapUsed: number;
  rss: number;
  /** Open file descriptors of the server process (sockets included); -1 where unknown. */
  openFds: number;
  /** heapUsed is measured after a forced GC only when true. */
  gcExposed: boolean;
}

export interface ServerProcess {
  url: string;
  websocketUrl: string;
  pid: number;
  sample(timeoutMs?: number): Promise<ServerSample>;
  /** The exit code or signal if the child has died, else undefined. */
  exited(): { code: number | null; signal: string | null } | undefined;
  close(): Promise<void>;
}

export interface SpawnOptions {
  startTimeoutMs?: number;
  /** Extra node flags for the child, e.g. ['--max-old-space-size=1024']. */
  nodeFlags?: string[];
}

export async function spawnReferenceServer(options: ReferenceServerOptions = {}, spawnOptions: SpawnOptions = {}): Promise<ServerProcess> {
  const child = await startChild<{ url: string; websocketUrl: string }>(ENTRY, {
    env: { [OPTIONS_ENV]: JSON.stringify(options) },
    nodeFlags: ['--expose-gc', ...(spawnOptions.nodeFlags ?? [])],
    ...(spawnOptions.startTimeoutMs !== undefined ? { startTimeoutMs: spawnOptions.startTimeoutMs } : {}),
  });
  let nextId = 1;
  return {
    url: child.ready.url,
    websocketUrl: child.ready.websocketUrl,
    pid: child.pid,
    exited: child.exited,
    sample: async (timeoutMs = 10_000) => {
      const id = nextId++;
      const reply = await child.ask<{ heapUsed: number; gcExposed: boolean }>({ type: 'sample', id }, (m) => m.type === 'sample' && m.id === id, timeoutMs, 'memory sample');
      return { heapUsed: reply.heapUsed, gcExposed: reply.gcExposed, ...processStats(child.pid) };
    },
    close: child.close,
  };
}

/** RSS and open descriptors of a process, read from /proc (Linux); -1 where unavailable. */
export function processStats(pid: number): { rss: number; openFds: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
    return { rss: Number.isFinite(rssKb) ? rssKb * 1024 : -1, openFds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return { rss: -1, openFds: -1 };
  }
}

/** A fresh server for one part of a bench, closed afterwards whatever happens. */
export async function withServer<T>(options: Parameters<typeof spawnReferenceServer>[0], body: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await spawnReferenceServer(options);
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}
