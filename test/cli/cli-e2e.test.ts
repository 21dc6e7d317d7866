/**
 * The command people type, end to end as a child process: exit codes, one-line reasons, reports,
 * and the guards (bad scenario file, unreachable server, vacuous run).
 */
import { test, expect } from '@playwright/test';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../support/run-cli.js';
import { loadProjectSuite } from '../../runner/suite/project-suite.js';
import { validateResults } from '../../runner/report/results-file.js';


const tmp = () => mkdtempSync(path.join(tmpdir(), 'fwc-cli-'));

test('--help and --version', async () => {
  const help = await runCli(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('--server <base-url>');
  const version = await runCli(['--version']);
  expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
});

test('--list prints every scenario without a server', async () => {
  const run = await runCli(['--list', '--grep', '^forged\\.']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/forged\.random\s+DEF\s+WS-17/);
  expect(run.stdout).not.toContain('binding.handshake.single');
  expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ scenarios$/);
});

test('a bad flag: exit 2 and one line saying which and why', async () => {
  const run = await runCli(['--levle', 'should']);
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toBe('fhir-ws-conformance: FWC_ERR_CONFIG: --levle: unknown flag (try --help)');
});

test('a broken scenario file: exit 2 naming file:line:col', async () => {
  const dir = tmp();
  cpSync(path.join(ROOT, 'suites'), dir, { recursive: true });
  const file = path.join(dir, '02-invocation.yaml');
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => /^\s+steps:/.test(l));
  lines.splice(at, 0, lines[at]!.replace('steps:', 'stepz: []'));
  writeFileSync(file, lines.join('\n'));
  const run = await runCli(['--list', '--suite', dir]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`02-invocation.yaml:${at + 1}:`);
  expect(run.stderr).toContain('stepz');
});

test('an unreachable server: exit 2 with a one-line reason within seconds', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const run = await runCli(['--server', `http://127.0.0.1:${port}/fhir`, '--report-dir', tmp()]);
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain('FWC_ERR_SERVER_UNREACHABLE');
  expect(run.stderr).toContain('ECONNREFUSED');
  expect(run.ms).toBeLessThan(10_000);
});

test('embedded reference server with a fault: exit 1, the right scenario failed, reports written, no secret leaked', async () => {
  const dir = tmp();
  const run = await runCli(['--fault', 'token-case-insensitive', '--grep', '^(forged\\.flip-case|binding\\.handshake\\.single)', '--report-dir', dir]);
  expect(run.code, run.stderr).toBe(1);
  const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'));
  expect(results.verdict).toBe('non-conformant');
  const outcomes = Object.fromEntries(results.scenarios.map((s: { id: string; outcome: string }) => [s.id, s.outcome]));
  expect(outcomes).toEqual({ 'binding.handshake.single': 'passed', 'forged.flip-case': 'failed' });
  // self-describing: the whole suite's hash (not just the two scenarios run), runtimes, the definition; schema-valid
  expect(results.provenance).toMatchObject({ node: process.version, suite: { scenarios: loadProjectSuite().flatMap((f) => f.scenarios).length }, operationDefinition: { version: '5.0.0' } });
  expect(results.provenance.suite.hash).toMatch(/^[0-9a-f]{16}$/);
  expect(results.scenarios.every((s: { definitionHash?: string }) => /^[0-9a-f]{16}$/.test(s.definitionHash ?? ''))).toBe(true);
  expect(validateResults(results)).toEqual([]);
  for (const file of ['index.html', 'junit.xml', 'testreport.json', 'playwright/index.html']) expect(existsSync(path.join(dir, file)), file).toBe(true);
  expect(run.stderr).toContain('non-conformant');
});

test('a run where no SHALL-level check executes exits 2, never 0', async () => {
  const run = await runCli(['--grep', '^forged\\.jwt\\.', '--report-dir', tmp()]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('error');
});

test('--load: n clients bind at once; the result joins results.json and the HTML report', async () => {
  const dir = tmp();
  const run = await runCli(['--grep', '^binding\\.handshake\\.single', '--load', '50', '--report-dir', dir]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/load: 50\/50 clients bound/);
  const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'));
  expect(results.load).toMatchObject({ clients: 50, succeeded: 50, failed: 0, successRate: 1 });
  expect(results.load.handshakeLatencyMs.p99).toBeGreaterThanOrEqual(results.load.handshakeLatencyMs.p50);
  expect(run.stderr).toMatch(/load: fan-out 50\/50 sockets notified, 0 lost/);
  expect(results.load.fanOut).toMatchObject({ sockets: 50, notified: 50, lost: 0, trigger: { resourceType: 'Patient', status: 201 } });
  expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('<h3>Fan-out</h3>');
});

test('--baseline: an accepted failure no longer decides the exit code; a stale entry does', async () => {
  const dir = tmp();
  const baseline = path.join(dir, 'baseline.yaml');
  const grep = '^(forged\\.flip-case|binding\\.handshake\\.single)';
  writeFileSync(baseline, 'accepted:\n  - scenario: forged.flip-case\n    reason: known, fix scheduled\n    expires: 2099-12-31\n');
  const accepted = await runCli(['--fault', 'token-case-insensitive', '--grep', grep, '--baseline', baseline, '--report-dir', path.join(dir, 'a')]);
  expect(accepted.code, accepted.stderr).toBe(0);
  const results = JSON.parse(readFileSync(path.join(dir, 'a', 'results.json'), 'utf8'));
  expect(results.baseline.accepted).toEqual(['forged.flip-case']);
  expect(results.scenarios.find((s: { id: string }) => s.id === 'forged.flip-case').accepted.reason).toBe('known, fix scheduled');

  const stale = await runCli(['--grep', grep, '--baseline', baseline, '--report-dir', path.join(dir, 'b')]);
  expect(stale.code, stale.stderr).toBe(1);
  expect(JSON.parse(readFileSync(path.join(dir, 'b', 'results.json'), 'utf8')).baseline.stale).toEqual(['forged.flip-case']);
});

test('compare: regressions exit 1 and are listed; the same run twice exits 0', async () => {
  test.setTimeout(180_000); // two CLI runs one after the other, on a machine that may be busy
  const dir = tmp();
  const grep = '^forged\\.flip-case';
  const good = await runCli(['--grep', grep, '--report-dir', path.join(dir, 'good')]);
  const bad = await runCli(['--fault', 'token-case-insensitive', '--grep', grep, '--report-dir', path.join(dir, 'bad')]);
  expect([good.code, bad.code]).toEqual([0, 1]);
  const old = path.join(dir, 'good', 'results.json');
  const regressed = await runCli(['compare', old, path.join(dir, 'bad', 'results.json'), `--out=${path.join(dir, 'delta.md')}`]);
  expect(regressed.code).toBe(1);
  expect(regressed.stdout).toContain('forged.flip-case');
  expect(readFileSync(path.join(dir, 'delta.md'), 'utf8')).toContain('forged.flip-case');
  expect((await runCli(['compare', old, old])).code).toBe(0);
  const broken = await runCli(['compare', old, path.join(dir, 'missing.json')]);
  expect(broken.code).toBe(2);
  expect(broken.stderr).toContain('FWC_ERR_CONFIG');

  // the same two runs side by side: the page is written, the terminal names the disagreement
  const matrixFile = path.join(dir, 'side-by-side', 'matrix.html');
  const matrix = await runCli(['matrix', old, path.join(dir, 'bad', 'results.json'), `--out=${matrixFile}`]);
  expect(matrix.code, matrix.stderr).toBe(0);
  expect(matrix.stdout).toMatch(/forged\.flip-case: run 1 ✔ Passed · run 2 ✖ Failed/);
  expect(readFileSync(matrixFile, 'utf8')).toContain('Where the runs disagree (1)');
  const lonely = await runCli(['matrix', old]);
  expect([lonely.code, lonely.stderr]).toEqual([2, expect.stringContaining('matrix: needs 2 to 20 results files, got 1')]);
  const missing = await runCli(['matrix', old, path.join(dir, 'missing.json')]);
  expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('FWC_ERR_CONFIG')]);
});
