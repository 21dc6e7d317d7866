/**
 * The real command against a server that speaks only the pre-R5 protocol (preset legacy-only): the
 * verdict line and results.json say so in one sentence, and the run stays non-conformant (exit 1).
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startReferenceServer } from '../../reference-server/src/server.js';
import type { RunResults } from '../../runner/report/results-types.js';
import { CLI_DEADLINE_MS, runCli } from '../support/run-cli.js';

test('legacy-only: "The server speaks the pre-R5 websocket protocol … but does not implement $get-ws-binding-token"', async () => {
  test.setTimeout(CLI_DEADLINE_MS + 10_000);
  const server = await startReferenceServer({ port: 0, preset: 'legacy-only' });
  const reportDir = path.join(mkdtempSync(path.join(tmpdir(), 'fwc-legacy-')), 'report');
  try {
    const run = await runCli(['--server', server.url, '--grep', '^(discovery|invoke\\.instance)\\.', '--report-dir', reportDir]);
    const sentence = `speaks the pre-R5 websocket protocol (\`bind <id>\`, at ${server.websocketUrl}) but does not implement $get-ws-binding-token`;
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`non-conformant (SHALL level)`);
    expect(run.stderr).toContain(`The server ${sentence}. Report: `);
    const results = JSON.parse(readFileSync(path.join(reportDir, 'results.json'), 'utf8')) as RunResults;
    expect(results.profile.legacyProtocol).toBe(sentence);
    expect(readFileSync(path.join(reportDir, 'index.html'), 'utf8')).toContain('<p class="legacy-protocol">The server speaks the pre-R5 websocket protocol (`bind &lt;id&gt;`');
  } finally {
    await server.close();
  }
});
