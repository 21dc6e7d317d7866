/**
 * --retries end to end: a scenario that fails on its first attempt and passes on the second is
 * reported as flaky (not hidden: results.json, the terminal line, the HTML), and a deterministic
 * failure stays a failure with its attempts counted. The flake is made real, not simulated: the
 * scenario PUTs a Subscription and requires 200 (an update) — the first PUT creates it (201), so the
 * retry finds it and gets 200.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/run-cli.js';
import { validateResults } from '../../runner/report/results-file.js';

const FLAKY_SUITE = `chapter: retries
title: A scenario that only passes the second time
scenarios:
  - id: retries.second-time-lucky
    title: PUT must update an existing Subscription
    requirements: [FW-04]
    level: DEF
    steps:
      - name: PUT a fixed Subscription id and require an update (200)
        http:
          method: PUT
          path: Subscription/fwc-retry-probe
          body:
            resourceType: Subscription
            id: fwc-retry-probe
            status: requested
            topic: \${run.topic}
            channelType: { code: websocket }
            content: id-only
        expect:
          status: 200
`;

function suiteDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-retries-'));
  writeFileSync(path.join(dir, '01-retries.yaml'), FLAKY_SUITE);
  return dir;
}

test('passes only on the retry → flaky: exit 0, named on the terminal, recorded with the earlier failure', async () => {
  const reportDir = mkdtempSync(path.join(tmpdir(), 'fwc-retries-report-'));
  const run = await runCli(['--suite', suiteDir(), '--retries', '1', '--report-dir', reportDir]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toContain('flaky (passed only on a retry): retries.second-time-lucky');
  const results = JSON.parse(readFileSync(path.join(reportDir, 'results.json'), 'utf8'));
  expect(validateResults(results)).toEqual([]);
  const scenario = results.scenarios[0];
  expect(scenario).toMatchObject({ id: 'retries.second-time-lucky', outcome: 'passed', attempts: 2 });
  expect(scenario.flaky.earlier).toEqual([{ outcome: 'failed', reason: expect.stringContaining('201') }]);
  expect(readFileSync(path.join(reportDir, 'index.html'), 'utf8')).toContain('↻ Flaky');
});

test('the same scenario without --retries fails (the flake is real), and a deterministic failure stays failed', async () => {
  const once = await runCli(['--suite', suiteDir(), '--report-dir', mkdtempSync(path.join(tmpdir(), 'fwc-retries-once-'))]);
  expect(once.code, once.stderr).toBe(1);

  const reportDir = mkdtempSync(path.join(tmpdir(), 'fwc-retries-det-'));
  const run = await runCli(['--fault', 'token-case-insensitive', '--grep', '^forged\\.flip-case', '--retries', '1', '--report-dir', reportDir]);
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).not.toContain('flaky');
  const scenario = JSON.parse(readFileSync(path.join(reportDir, 'results.json'), 'utf8')).scenarios[0];
  expect(scenario).toMatchObject({ id: 'forged.flip-case', outcome: 'failed', attempts: 2 });
  expect(scenario.flaky).toBeUndefined();
});
