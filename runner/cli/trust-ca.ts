/**
 * Trusting an extra certificate authority: --ca-file (a target with a private or self-signed
 * certificate) or --tls (the embedded server's bundled test CA). Node reads NODE_EXTRA_CA_CERTS
 * once, when a process starts, and applies it to every TLS connection — fetch and ws alike; Node 20's
 * fetch takes no per-request CA — so the CLI starts itself again with it set, and every process it
 * starts (Playwright's runner and workers) inherits it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_TEST_CA_FILE } from '../../reference-server/src/tls.js';
import { parseArgs } from './args.js';

/** Set in the relaunched process: it already trusts what it was asked to. */
export const CA_APPLIED_ENV = 'FWC_CA_APPLIED';

/** The CA files this command line asks to trust (none for help, compare, matrix, or bad flags). */
export function caFilesFor(argv: string[]): string[] {
  let args;
  try {
    args = parseArgs(argv);
  } catch {
    return []; // the run itself reports the bad flag
  }
  if (args.command !== 'run' || args.list) return []; // --list opens no connection
  return [args.caFile, args.tls ? fileURLToPath(BUNDLED_TEST_CA_FILE) : undefined].filter((f): f is string => f !== undefined);
}

/** Runs the CLI again trusting those CAs and returns its exit code; undefined when nothing needs trusting. */
export function relaunchTrusting(argv: string[], env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (env[CA_APPLIED_ENV]) return undefined;
  const files = caFilesFor(argv);
  if (files.length === 0) return undefined;
  // NODE_EXTRA_CA_CERTS names one file: with several (or one the user set already), one bundle of all
  const all = env.NODE_EXTRA_CA_CERTS ? [env.NODE_EXTRA_CA_CERTS, ...files] : files;
  const dir = all.length > 1 ? mkdtempSync(path.join(os.tmpdir(), 'fwc-ca-')) : undefined;
  const bundle = dir ? path.join(dir, 'ca-bundle.pem') : all[0]!;
  if (dir) writeFileSync(bundle, all.map((file) => readFileSync(file, 'utf8').trim()).join('\n') + '\n');
  try {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, ...argv], {
      stdio: 'inherit',
      env: { ...env, NODE_EXTRA_CA_CERTS: bundle, [CA_APPLIED_ENV]: '1' },
    });
    return child.status ?? 2;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
