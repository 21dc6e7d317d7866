import { defineConfig } from '@playwright/test';

/**
 * The project's own tests (unit, reference server, suite vs reference and faults, report in a browser).
 * The conformance suite itself is configured by ../playwright.config.ts.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.test.ts',
  timeout: 60_000,
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list'], ['./closing-line-reporter.ts']] : [['list'], ['./closing-line-reporter.ts']],
  outputDir: '../test-results/project-tests',
});
