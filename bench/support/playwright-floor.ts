/**
 * The start-up floor of the runner the suite is built on: an empty Playwright project (the same
 * Playwright, workers and node) whose tests do nothing but note when they start. Process start →
 * first test body is what any suite on Playwright pays before its first request, so it is the
 * yardstick for the harness's own start-up (BENCHMARKS.md §1).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from './run-cli.js';

export interface PlaywrightFloor {
  workers: number;
  /** Process start → the first test body, median of the runs. */
  firstTestMs: number;
  /** Process start → exit, median of the runs. */
  wallMs: number;
}

const MARK = 'FWC_FLOOR_TEST_START';

export async function measurePlaywrightFloor(workers: number, runs = 3): Promise<PlaywrightFloor> {
  // inside the project so that '@playwright/test' resolves to the project's own copy
  const dir = path.join(PROJECT_ROOT, 'reports', 'bench', 'playwright-floor');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'floor.config.mjs'), `export default { testDir: '.', testMatch: 'floor.spec.mjs', workers: ${workers}, fullyParallel: true, reporter: 'dot', outputDir: './out' };\n`);
  writeFileSync(
    path.join(dir, 'floor.spec.mjs'),
    `import { test } from '@playwright/test';\nfor (let i = 0; i < ${workers * 2}; i++) test('t' + i, () => { process.stdout.write('${MARK} ' + Date.now() + '\\n'); });\n`,
  );
  try {
    const samples: Array<{ firstTestMs: number; wallMs: number }> = [];
    for (let i = 0; i < runs; i++) samples.push(await oneRun(dir));
    const median = (pick: (s: { firstTestMs: number; wallMs: number }) => number) => samples.map(pick).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
    return { workers, firstTestMs: median((s) => s.firstTestMs), wallMs: median((s) => s.wallMs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function oneRun(dir: string): Promise<{ firstTestMs: number; wallMs: number }> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'test', '-c', 'floor.config.mjs'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000); // bounded: an empty project takes seconds
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const starts = [...out.matchAll(new RegExp(`${MARK} (\\d+)`, 'g'))].map((m) => Number(m[1]));
      if (code !== 0 || starts.length === 0) return reject(new Error(`the empty Playwright project failed (exit ${code}): ${out.slice(-500)}`));
      resolve({ firstTestMs: Math.min(...starts) - started, wallMs: Date.now() - started });
    });
  });
}
