/** Runs the fhir-ws-conformance CLI as a child process, timed, with its results.json read back. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResults } from '../../runner/report/results-types.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(PROJECT_ROOT, 'bin', 'fhir-ws-conformance.js');

export interface CliRun {
  exitCode: number | null;
  wallMs: number;
  /** When the process was started, epoch ms (to line up with results.json instants). */
  startedAtMs: number;
  endedAtMs: number;
  results?: RunResults;
  stderrTail: string;
}

export function runCli(args: string[], reportDir: string, timeoutMs: number): Promise<CliRun> {
  const startedAtMs = Date.now();
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--report-dir', reportDir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FWC_QUIET: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(killer);
      const file = path.join(reportDir, 'results.json');
      const results = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunResults) : undefined;
      resolve({ exitCode: code, wallMs: Math.round(performance.now() - started), startedAtMs, endedAtMs: Date.now(), stderrTail: stderr, ...(results ? { results } : {}) });
    });
  });
}
