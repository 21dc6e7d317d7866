import { defineConfig } from '@playwright/test';

/**
 * The project's own tests (unit, reference server, suite vs reference and faults, report in a browser).
 * The conformance suite itself is configured by ../playwright.config.ts.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.test.ts',
  timeout: 60_000,
  // Three on two cores: most tests wait on timers and sockets (a full run used about half the CPU
  // with two workers), and the whole run must stay under ten minutes.
  workers: 3,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list'], ['./closing-line-reporter.ts']] : [['list'], ['./closing-line-reporter.ts']],
  outputDir: '../test-results/project-tests',
});
