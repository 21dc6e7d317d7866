/**
 * Test support: the fhir-ws-conformance command as a child process, exactly as a user runs it,
 * with no FHIR_SERVER from the caller's environment and a deadline (a hung CLI fails the test,
 * it does not hang it).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'fhir-ws-conformance.js');
export const CLI_DEADLINE_MS = 170_000;

export interface CliRun { code: number | null; stdout: string; stderr: string; ms: number }

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, FHIR_SERVER: '', FWC_QUIET: '1', ...env } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`the CLI did not finish within ${CLI_DEADLINE_MS} ms`))), CLI_DEADLINE_MS);
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('exit', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr, ms: Date.now() - started })));
  });
}
