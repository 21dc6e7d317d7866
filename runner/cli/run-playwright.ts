/**
 * Runs the suite as a Playwright child process with the resolved configuration in its
 * environment. Playwright's own output goes to the terminal; the verdict comes from results.json.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { encodeRunConfig, RUN_CONFIG_ENV, type RunConfig } from '../config/run-config.js';
import { PROJECT_ROOT } from '../suite/project-suite.js';
import type { RunArgs } from './args.js';
import { GREP_ENV } from '../suite/select.js';

export interface PlaywrightRun {
  config: RunConfig;
  args: RunArgs;
  reportDir: string;
  invocation: string;
}

export function runPlaywright({ config, args, reportDir, invocation }: PlaywrightRun): Promise<number> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const playwrightArgs = ['test', '-c', `${PROJECT_ROOT}/playwright.config.ts`];
  if (args.workers) playwrightArgs.push('--workers', String(args.workers));
  if (args.retries !== undefined) playwrightArgs.push(`--retries=${args.retries}`);
  // A --reporter given after `--` replaces only the terminal reporter: the reports (results.json, HTML) are always written.
  const { reporter, rest } = takeReporter(args.playwrightArgs);
  playwrightArgs.push(...rest);
  const env = {
    ...process.env,
    [RUN_CONFIG_ENV]: encodeRunConfig(config),
    FWC_REPORT_DIR: reportDir,
    FWC_INVOCATION: invocation,
    ...(args.grep ? { [GREP_ENV]: args.grep } : {}),
    ...(reporter ? { FWC_TERMINAL_REPORTER: reporter } : {}),
    ...(args.baseline ? { FWC_BASELINE: path.resolve(args.baseline) } : {}),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...playwrightArgs], { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** `--reporter=list` / `--reporter list` out of the pass-through arguments. */
export function takeReporter(args: readonly string[]): { reporter?: string; rest: string[] } {
  const rest: string[] = [];
  let reporter: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--reporter=')) reporter = arg.slice('--reporter='.length);
    else if (arg === '--reporter' && i + 1 < args.length) reporter = args[++i];
    else rest.push(arg);
  }
  return { reporter, rest };
}
