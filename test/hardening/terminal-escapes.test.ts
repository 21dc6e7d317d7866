/**
 * Terminal escape injection (issue 11, item 14): a server whose strings carry ESC sequences (clear
 * screen, a fake verdict, OSC 52 clipboard, OSC 8 link), BEL, an 8-bit CSI and CR. Every path that
 * prints server text — Playwright's list output of failures and errors, the verdict line, `matrix`
 * (the software name) and `compare` (reasons) — must show them as visible escapes; no raw control
 * byte may reach stdout or stderr. The payload must be seen, escaped, so the test cannot pass by
 * never printing it.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/run-cli.js';
import { RAW_TERMINAL_CONTROL, startEscapeInjectingServer, type EscapeInjectingServer } from '../support/escape-injecting-server.js';
import { terminalLine, terminalLines } from '../../runner/cli/terminal-text.js';

/** Playwright's list reporter (not the quiet dot reporter the other CLI tests use), without colours. */
const LOUD = { FWC_QUIET: '', FORCE_COLOR: '0', NO_COLOR: '1' };
const ESCAPED_CLEAR_SCREEN = '\\x1b[2J';

let server: EscapeInjectingServer;
test.beforeAll(async () => void (server = await startEscapeInjectingServer()));
test.afterAll(async () => server.close());

test('no raw control byte from a hostile server reaches the terminal: run, matrix and compare', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-escapes-'));
  const reportDir = path.join(dir, 'report');
  const grep = '^(discovery\\.metadata\\.available|discovery\\.opdef\\.unknown-404|invoke\\.instance\\.post-parameters) ';
  const run = await runCli(['--server', server.url, '--report-dir', reportDir, '--workers', '1', '--grep', grep], LOUD);
  const results = JSON.parse(readFileSync(path.join(reportDir, 'results.json'), 'utf8'));
  expect([1, 2], run.stderr).toContain(run.code);
  const printed = `${run.stdout}${run.stderr}`;
  expect(printed, 'the fixture-creation error and parse errors are printed, escaped').toContain(ESCAPED_CLEAR_SCREEN);
  expect(printed.match(RAW_TERMINAL_CONTROL), 'a raw control byte in the run output').toBeNull();

  const resultsFile = path.join(reportDir, 'results.json');
  const matrix = await runCli(['matrix', resultsFile, resultsFile, `--out=${path.join(dir, 'matrix.html')}`], LOUD);
  expect(matrix.code, matrix.stderr).toBe(0);
  expect(matrix.stdout, 'matrix prints the software name, escaped').toContain(`evil${ESCAPED_CLEAR_SCREEN}`);
  expect(`${matrix.stdout}${matrix.stderr}`.match(RAW_TERMINAL_CONTROL)).toBeNull();

  const compare = await runCli(['compare', resultsFile, resultsFile], LOUD);
  expect(compare.code, compare.stderr).toBe(0);
  expect(`${compare.stdout}${compare.stderr}`.match(RAW_TERMINAL_CONTROL)).toBeNull();
  expect(results.server.software).toContain('\u001b'); // results.json keeps the evidence as sent
});

test('terminalLine shows every control character as a visible escape, and escaping twice changes nothing', () => {
  const hostile = 'a\u001b[2Jb\u0007c\u009b2J\u009d8;;x\rd\ne\u202ef\u0000';
  const line = terminalLine(hostile);
  expect(line).toBe('a\\x1b[2Jb\\x07c\\x9b2J\\x9d8;;x\\rd\\ne\\u202ef\\x00');
  expect(terminalLine(line)).toBe(line);
  expect(terminalLines('one\ntwo\u001b]52;c;x\u0007')).toBe('one\ntwo\\x1b]52;c;x\\x07');
});
