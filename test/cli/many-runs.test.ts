/**
 * Issue 12 "many runs, many machines" and issue 11 items 15–16, end to end through the command:
 * a sharded run merged into one report with one verdict; labels; compare and matrix across embedded
 * runs; --fault typos and --list-faults; a report directory that is not the tool's; a bad baseline or
 * an alias-bomb config refused before anything runs.
 */
import { test, expect } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/run-cli.js';
import { validateResults } from '../../runner/report/results-file.js';
import { REPORT_DIR_MARKER } from '../../runner/cli/report-dir.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'fwc-many-'));
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

test('a sharded run merges into one report with one verdict; compare and matrix know it is one server', async () => {
  test.setTimeout(240_000);
  const dir = tmp();
  const grep = '^(discovery\\.metadata\\.available|forged\\.flip-case) ';
  const shard = (n: number) => runCli(['--fault', 'token-case-insensitive', '--grep', grep, '--label', `shard ${n}`, '--report-dir', path.join(dir, `shard-${n}`), '--', `--shard=${n}/2`]);
  const [one, two] = await Promise.all([shard(1), shard(2)]);
  const files = [1, 2].map((n) => path.join(dir, `shard-${n}`, 'results.json'));
  const [first, second] = files.map(readJson);
  expect([first.scenarios.length, second.scenarios.length], `${one.stderr}\n${two.stderr}`).toEqual([1, 1]);
  expect(first.label).toBe('shard 1');
  expect(first.server.embedded).toEqual({ faults: ['token-case-insensitive'] });
  expect(first.server.url).not.toBe(second.server.url); // each shard's embedded server got its own port
  // the invocation box keeps the fault's name although it contains "token": the copied command runs
  expect(first.invocation).toContain('--fault token-case-insensitive');

  const merged = path.join(dir, 'merged');
  const merge = await runCli(['merge', ...files, '--report-dir', merged, '--label', 'nightly']);
  expect(merge.code, merge.stderr).toBe(1); // forged.flip-case fails against this fault, whichever shard ran it
  const results = readJson(path.join(merged, 'results.json'));
  expect(validateResults(results)).toEqual([]);
  expect(results.scenarios.map((s: { id: string }) => s.id).sort()).toEqual(['discovery.metadata.available', 'forged.flip-case']);
  expect(results).toMatchObject({ label: 'nightly', verdict: 'non-conformant', summary: { passed: 1, failed: 1 } });
  expect(results.invocation).not.toContain('--shard');
  for (const file of ['index.html', 'junit.xml', 'testreport.json', REPORT_DIR_MARKER]) expect(existsSync(path.join(merged, file)), file).toBe(true);
  expect(merge.stderr).toContain('non-conformant');

  const compare = await runCli(['compare', files[0]!, files[1]!]);
  expect(compare.stdout).toContain('"shard 1"');
  expect(compare.stdout).not.toContain('different servers');

  const matrixFile = path.join(dir, 'matrix.html');
  const matrix = await runCli(['matrix', ...files, `--out=${matrixFile}`]);
  expect(matrix.code, matrix.stderr).toBe(0);
  expect(matrix.stdout).toContain('run 1 "shard 1": the bundled reference server with faults token-case-insensitive');
  const page = readFileSync(matrixFile, 'utf8');
  expect(page).toContain(`<a href="./shard-1/index.html" title="this run's report">Run 1 · shard 1</a>`);

  const mismatched = await runCli(['merge', files[0]!, path.join(merged, 'results.json'), '--report-dir', path.join(dir, 'refused')]);
  expect([mismatched.code, mismatched.stderr]).toEqual([2, expect.stringContaining('FWC_ERR_CONFIG: merge: ')]);
  expect(existsSync(path.join(dir, 'refused'))).toBe(false);
});

test('a misspelt --fault: exit 2, one line with "did you mean", nothing started; --list-faults prints the table', async () => {
  const run = await runCli(['--fault', 'no-handshak', '--report-dir', tmp()]);
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toBe('fhir-ws-conformance: FWC_ERR_CONFIG: --fault: unknown fault or variant "no-handshak" (did you mean "no-handshake"?); fhir-ws-conformance --list-faults prints them all');
  const contradicting = await runCli(['--fault', 'bad-token-silent', '--fault', 'bad-token-close', '--grep', '^forged\\.random ', '--report-dir', tmp()]);
  expect([contradicting.code, contradicting.stderr]).toEqual([2, expect.stringMatching(/^fhir-ws-conformance: FWC_ERR_CONFIG: --fault: .*contradict/)]);
  const list = await runCli(['--list-faults']);
  expect(list.code).toBe(0);
  expect(list.stdout).toMatch(/^expired-tokens-accepted\s+fault/m);
  expect(list.stdout).toMatch(/^bind-json-only\s+variant/m);
});

test('--report-dir holding files the tool did not write: exit 2 naming it, nothing deleted or overwritten', async () => {
  test.setTimeout(150_000); // the second half is a whole run, on a machine other tests load too
  const dir = tmp();
  mkdirSync(path.join(dir, 'playwright'));
  writeFileSync(path.join(dir, 'playwright', 'keep.txt'), 'keep');
  mkdirSync(path.join(dir, 'test-output'));
  writeFileSync(path.join(dir, 'test-output', 'keep.txt'), 'keep');
  writeFileSync(path.join(dir, 'index.html'), 'my page');
  const run = await runCli(['--grep', '^discovery\\.metadata\\.available ', '--report-dir', dir]);
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toMatch(new RegExp(`^fhir-ws-conformance: FWC_ERR_CONFIG: --report-dir: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not empty`));
  expect(readFileSync(path.join(dir, 'playwright', 'keep.txt'), 'utf8')).toBe('keep');
  expect(readFileSync(path.join(dir, 'test-output', 'keep.txt'), 'utf8')).toBe('keep');
  expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toBe('my page');

  // marked by an earlier run: the tool's to replace
  writeFileSync(path.join(dir, REPORT_DIR_MARKER), '');
  const again = await runCli(['--grep', '^discovery\\.metadata\\.available ', '--report-dir', dir]);
  expect(again.code, again.stderr).toBe(0);
  expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('<!doctype html>');
});

test('a missing or invalid --baseline, or an alias-bomb --config, stops the run before it starts (FWC_ERR_CONFIG)', async () => {
  const dir = tmp();
  const reportDir = path.join(dir, 'report');
  const missing = await runCli(['--baseline', path.join(dir, 'nope.yaml'), '--report-dir', reportDir]);
  expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('FWC_ERR_CONFIG: cannot read baseline file')]);
  const invalid = path.join(dir, 'baseline.yaml');
  writeFileSync(invalid, 'accepted:\n  - scenario: forged.random\n');
  const bad = await runCli(['--baseline', invalid, '--report-dir', reportDir]);
  expect([bad.code, bad.stderr.trim()]).toEqual([2, `fhir-ws-conformance: FWC_ERR_CONFIG: ${invalid}:2:5 entry is missing "reason"`]);
  for (const run of [missing, bad]) expect(run.stderr).not.toContain('testing the bundled reference server');
  expect(existsSync(reportDir)).toBe(false);

  const config = path.join(dir, 'laughs.yaml');
  const lines = ['trigger:', '  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  'bcdefghi'.split('').reduce((previous, name) => (lines.push(`  ${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`), name), 'a');
  writeFileSync(config, `${lines.join('\n')}\n`);
  const bomb = await runCli(['--config', config, '--report-dir', reportDir]);
  expect([bomb.code, bomb.stderr.trim().split('\n').length]).toEqual([2, 1]);
  expect(bomb.stderr).toMatch(/FWC_ERR_CONFIG: .*laughs\.yaml:3:\d+ YAML aliases here expand past 100 copies/);
});
