/**
 * TLS end to end through the CLI: --tls serves the embedded reference server over https/wss and the
 * run trusts its bundled test CA (the wss recommendation then passes instead of warning); --ca-file
 * trusts a target's private CA; an untrusted certificate stops the run with a hint, not a stack.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReferenceServer } from '../../reference-server/src/server.js';
import { BUNDLED_TEST_CA_FILE, bundledTls } from '../../reference-server/src/tls.js';
import { runCli } from '../support/run-cli.js';

const GREP = '^(outputs\\.websocket-url\\.wss|binding\\.handshake\\.single)';
const tmp = () => mkdtempSync(path.join(tmpdir(), 'fwc-tls-'));

function outcomes(reportDir: string): Record<string, string> {
  const results = JSON.parse(readFileSync(path.join(reportDir, 'results.json'), 'utf8')) as { server: { url: string }; scenarios: Array<{ id: string; outcome: string }> };
  return { server: results.server.url, ...Object.fromEntries(results.scenarios.map((s) => [s.id, s.outcome])) };
}

test('--tls: the embedded server speaks https/wss, and wss passes instead of warning', async () => {
  const reportDir = tmp();
  const run = await runCli(['--tls', '--grep', GREP, '--report-dir', reportDir]);
  expect(run.code, run.stderr).toBe(0);
  expect(outcomes(reportDir)).toEqual({ server: expect.stringMatching(/^https:\/\//), 'outputs.websocket-url.wss': 'passed', 'binding.handshake.single': 'passed' });
  const plain = tmp();
  await runCli(['--grep', GREP, '--report-dir', plain]);
  expect(outcomes(plain)['outputs.websocket-url.wss']).toBe('warning');
});

test('--ca-file trusts a target with a private CA; without it the run stops with a one-line hint', async () => {
  const server = await startReferenceServer({ tls: bundledTls() });
  try {
    const untrusted = await runCli(['--server', server.url, '--grep', GREP, '--report-dir', tmp()]);
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr.trim().split('\n')).toHaveLength(1);
    expect(untrusted.stderr).toMatch(/FWC_ERR_SERVER_UNREACHABLE: .*not trusted here: give its CA with --ca-file/);

    const reportDir = tmp();
    const trusted = await runCli(['--server', server.url, '--ca-file', fileURLToPath(BUNDLED_TEST_CA_FILE), '--grep', GREP, '--report-dir', reportDir]);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(outcomes(reportDir)['outputs.websocket-url.wss']).toBe('passed');
  } finally {
    await server.close();
  }
});

test('bad --ca-file and --tls with --server are refused with exit 2, saying why', async () => {
  const notPem = await runCli(['--ca-file', path.join(path.dirname(fileURLToPath(import.meta.url)), 'tls.test.ts')]);
  expect([notPem.code, notPem.stderr]).toEqual([2, expect.stringContaining('holds no PEM certificate')]);
  const missing = await runCli(['--ca-file', '/nonexistent/ca.pem']);
  expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('--ca-file: cannot read /nonexistent/ca.pem (ENOENT)')]);
  const remote = await runCli(['--tls', '--server', 'https://fhir.example.org/r4']);
  expect([remote.code, remote.stderr]).toEqual([2, expect.stringContaining('--tls: only for the bundled reference server')]);
});
