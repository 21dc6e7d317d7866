/**
 * The CLI's own terminal, end to end: a line per scenario with its reason, progress while a long wait
 * runs, the closing section with the rerun command and the verdict; `-- --reporter=list` swaps in
 * Playwright's reporter and the reports are still written.
 */
import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/run-cli.js';

const tmp = () => path.join(mkdtempSync(path.join(tmpdir(), 'fwc-terminal-')), 'reports');

test('a failing run: one line per scenario, progress during the expiry wait, failures with rerun commands, the verdict', async () => {
  test.setTimeout(180_000);
  const run = await runCli(['--fault', 'expired-tokens-accepted', '--token-ttl', '4', '--grep', '^(expiry\\.refused-after|outputs\\.token\\.string-limits) ', '--report-dir', tmp()], { FWC_QUIET: '' });
  expect(run.code, run.stderr).toBe(1);
  expect(run.stdout).toMatch(/^Running 2 scenarios with \d+ workers?$/m);
  expect(run.stdout).toMatch(/^ {2}✔ outputs\.token\.string-limits /m);
  // expected and received both visible on the scenario's line, however long the frame list
  expect(run.stdout).toMatch(/^ {2}✖ expiry\.refused-after — no handshake on socket \[WS-17 DEF\]: expected none within [\d.]+ s, but received 1 frame: #0 /m);
  // the closing section: the bind's send time beside the stated expiration, and the socket's URL
  expect(run.stdout).toMatch(/^ {6}the bind was sent [\d.]+ s after the token's stated expiration \(bind \S+Z, expiration \S+\)$/m);
  expect(run.stdout).toMatch(/^ {6}request: websocket ws:\/\/127\.0\.0\.1:\d+\/\S+$/m);
  expect(run.stdout).toMatch(/… expiry\.refused-after: waiting \d/);
  expect(run.stdout).toContain('Failures (1)');
  expect(run.stdout).toMatch(/at suites\/05-expiry\.yaml:\d+/);
  expect(run.stdout).toContain("rerun: npx fhir-ws-conformance --fault expired-tokens-accepted --token-ttl 4");
  expect(run.stdout).toContain("--grep '^expiry\\.refused-after '");
  expect(run.stdout, 'no code frames of the tool for a server failure').not.toMatch(/conformance\.spec\.ts:\d+|expect\.soft/);
  expect(run.stderr).toMatch(/non-conformant \(SHALL level\) — 1 passed, 1 failed/);
});

test('-- --reporter=list: Playwright\'s list reporter, and the reports are still written', async () => {
  test.setTimeout(120_000);
  const dir = tmp();
  const run = await runCli(['--grep', '^outputs\\.token\\.string-limits ', '--report-dir', dir, '--', '--reporter=list'], { FWC_QUIET: '' });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/conformance\.spec\.ts:\d+:\d+ › /);
  expect(existsSync(path.join(dir, 'results.json'))).toBe(true);
});
