/**
 * Starts the reference server in a child process (reference-server-child.ts) and hands back its
 * URL plus a way to sample its memory and descriptors. Every wait is bounded; close() always
 * ends the child (politely, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReferenceServerOptions } from '../../reference-server/src/options.js';

const CHILD = fileURLToPath(new URL('./reference-server-child.ts', import.meta.url));
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
  const child = spawn(process.execPath, ['--expose-gc', ...(spawnOptions.nodeFlags ?? []), '--import', 'tsx', CHILD], {
    env: { ...process.env, [OPTIONS_ENV]: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exit: { code: number | null; signal: string | null } | undefined;
  child.on('exit', (code, signal) => (exit = { code, signal }));
  const ready = await waitForMessage<{ url: string; websocketUrl: string }>(child, (m) => m.type === 'ready', spawnOptions.startTimeoutMs ?? 30_000, 'start');
  let nextId = 1;
  return {
    url: ready.url,
    websocketUrl: ready.websocketUrl,
    pid: child.pid!,
    exited: () => exit,
    sample: (timeoutMs = 10_000) => {
      const id = nextId++;
      child.send({ type: 'sample', id });
      return waitForMessage<ServerSample & { type?: string; id?: number }>(child, (m) => m.type === 'sample' && m.id === id, timeoutMs, 'memory sample')
        .then(({ heapUsed, rss, openFds, gcExposed }) => ({ heapUsed, rss, openFds, gcExposed }));
    },
    close: () => stop(child, () => exit !== undefined),
  };
}

function waitForMessage<T>(child: ChildProcess, accept: (message: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`reference server child: no ${what} reply within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: Record<string, unknown>): void => {
      if (accept(message)) finish(undefined, message as T);
    };
    const onExit = (code: number | null, signal: string | null): void => finish(new Error(`reference server child exited (code ${code}, signal ${signal}) before its ${what} reply`));
    const finish = (error?: Error, value?: T): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function stop(child: ChildProcess, hasExited: () => boolean): Promise<void> {
  if (hasExited()) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ type: 'close' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}
