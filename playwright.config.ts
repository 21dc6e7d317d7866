import { defineConfig } from '@playwright/test';
import path from 'node:path';
import { runConfigFromEnv, reportDirFromEnv } from './runner/config/from-env.js';

/**
 * The conformance suite as a Playwright project. The CLI (fhir-ws-conformance) sets the
 * environment; a plain `FHIR_SERVER=… npx playwright test` works too (without FHIR_SERVER the
 * bundled reference server is started by the global setup).
 */
const config = runConfigFromEnv();
const reportDir = path.resolve(reportDirFromEnv());

export default defineConfig({
  testDir: './runner',
  testMatch: 'conformance.spec.ts',
  globalSetup: './runner/playwright/global-setup.ts',
  // A scenario may wait for a token to expire (bounded by maxWait), plus its own network waits.
  timeout: Math.max(config.maxWaitMs, config.soakMs ?? 0) + 60_000,
  fullyParallel: true,
  workers: process.env.FWC_WORKERS ? Number(process.env.FWC_WORKERS) : 4,
  retries: 0,
  reporter: [
    // The tool's own terminal reporter; `fhir-ws-conformance -- --reporter=list` picks Playwright's instead.
    [process.env.FWC_QUIET ? 'dot' : (process.env.FWC_TERMINAL_REPORTER ?? './runner/report/terminal-reporter.ts')],
    ['./runner/report/playwright-reporter.ts'],
    ['html', { outputFolder: path.join(reportDir, 'playwright'), open: 'never' }],
  ],
  outputDir: path.join(reportDir, 'test-output'),
});
