import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { start } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/start-bind-close.ts', import.meta.url));

function runChild(version: string): Promise<{ code: number | null; stdout: string; stderr: string; exitedAfterCloseMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, version], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let closedAt = 0;
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`child still running after 15 s; stdout: ${stdout} stderr: ${stderr}`))), 15_000);
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      if (!closedAt && stdout.includes('closed')) closedAt = Date.now();
    });
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('exit', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr, exitedAfterCloseMs: Date.now() - closedAt })));
  });
}

test('close() leaves nothing running: the process exits by itself right after it', async () => {
  const result = await runChild('R5');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout.trim()).toBe('closed');
  // a timer left running (heartbeats, token sweeps: tens of seconds) would keep it alive far longer;
  // the margin is for a machine busy with other work
  expect(result.exitedAfterCloseMs).toBeLessThan(5_000);
});

test('starts well under a second and close() is idempotent', async () => {
  const began = Date.now();
  const server = await start({ fhirVersion: 'R4' });
  expect(Date.now() - began).toBeLessThan(1_000);
  await server.close();
  await server.close();
});

test('a port in use rejects with the listen error', async () => {
  const first = await start();
  try {
    const port = Number(new URL(first.url).port);
    await expect(start({ port })).rejects.toThrow(/EADDRINUSE/);
  } finally {
    await first.close();
  }
});
