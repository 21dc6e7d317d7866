/**
 * A benchmark server in its own node process (run through tsx), talking over IPC: started and
 * awaited until it says `ready`, asked questions by message, and always ended on close() —
 * politely, then SIGKILL after 5 s. Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child<Ready> {
  ready: Ready;
  pid: number;
  /** Sends `message` and waits for the first reply that `accept` takes. */
  ask<T>(message: Record<string, unknown>, accept: (reply: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<T>;
  exited(): { code: number | null; signal: string | null } | undefined;
  close(): Promise<void>;
}

export interface ChildOptions {
  env?: Record<string, string>;
  nodeFlags?: string[];
  startTimeoutMs?: number;
}

export async function startChild<Ready>(entry: string, options: ChildOptions = {}): Promise<Child<Ready>> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', entry], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exit: { code: number | null; signal: string | null } | undefined;
  child.on('exit', (code, signal) => (exit = { code, signal }));
  const ready = await waitForMessage<Ready>(child, (m) => m.type === 'ready', options.startTimeoutMs ?? 30_000, 'ready');
  return {
    ready,
    pid: child.pid!,
    exited: () => exit,
    ask: (message, accept, timeoutMs, what) => {
      const reply = waitForMessage<never>(child, accept, timeoutMs, what);
      child.send(message);
      return reply;
    },
    close: () => stop(child, () => exit !== undefined),
  };
}

function waitForMessage<T>(child: ChildProcess, accept: (message: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`child process ${child.pid}: no ${what} reply within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: Record<string, unknown>): void => {
      if (accept(message)) finish(undefined, message as T);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`child process ${child.pid} exited (code ${code}, signal ${signal}) before its ${what} reply`));
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
