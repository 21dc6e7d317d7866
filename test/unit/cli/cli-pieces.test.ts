/**
 * The CLI's small pieces from issues 11 and 12: --fault names checked with "did you mean",
 * --list-faults, --label, merge's arguments, the invocation box (only secrets masked), the
 * report-dir guard and YAML alias bombs in --config.
 */
import { test, expect } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from '../../../runner/cli/args.js';
import { renderFaultList } from '../../../runner/cli/faults.js';
import { redactInvocation } from '../../../runner/cli/invocation.js';
import { claimReportDir, REPORT_DIR_MARKER } from '../../../runner/cli/report-dir.js';
import { parseConfigText } from '../../../runner/config/config-file.js';
import { HarnessError } from '../../../runner/errors.js';
import { FAULT_TABLE } from '../../../reference-server/src/faults.js';

function harnessErrorOf(action: () => unknown): HarnessError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('expected a HarnessError');
}

test('a misspelt --fault is FWC_ERR_CONFIG naming the closest fault', () => {
  const error = harnessErrorOf(() => parseArgs(['--fault', 'expired-token-accepted']));
  expect(error.code).toBe('FWC_ERR_CONFIG');
  expect(error.message).toBe('--fault: unknown fault or variant "expired-token-accepted" (did you mean "expired-tokens-accepted"?); fhir-ws-conformance --list-faults prints them all');
  expect(harnessErrorOf(() => parseArgs(['--fault=zzzzzz'])).message).not.toContain('did you mean');
  expect(parseArgs(['--fault', 'no-handshake'])).toMatchObject({ faults: ['no-handshake'] });
});

test('--list-faults: every fault and variant with its kind, description and the scenarios that catch it', () => {
  expect(parseArgs(['--list-faults'])).toEqual({ command: 'list-faults' });
  const text = renderFaultList();
  for (const entry of FAULT_TABLE) {
    expect(text).toMatch(new RegExp(`^${entry.name}\\s+${entry.kind}`, 'm'));
    expect(text).toContain(entry.description);
    for (const id of entry.catches) expect(text).toContain(id);
  }
  expect(text).toMatch(/^no-handshake\s+fault\n.*\n\s+caught by: .*binding\.forms\.accepted/m);
});

test('--label: one printable line of at most 80 characters', () => {
  expect(parseArgs(['--label', ' staging, release 2.3 '])).toMatchObject({ label: 'staging, release 2.3' });
  expect(harnessErrorOf(() => parseArgs(['--label', ''])).message).toBe('--label: must not be empty');
  expect(harnessErrorOf(() => parseArgs(['--label', '   '])).message).toBe('--label: must not be empty');
  expect(harnessErrorOf(() => parseArgs(['--label', 'x'.repeat(81)])).message).toContain('at most 80 characters, got 81');
  expect(harnessErrorOf(() => parseArgs(['--label', 'a\u001b[2Jb'])).message).toContain('no control characters');
});

test('merge: files, --report-dir and --label in both forms; bad uses say why', () => {
  expect(parseArgs(['merge', 'a.json', 'b.json'])).toEqual({ command: 'merge', files: ['a.json', 'b.json'], reportDir: 'reports' });
  expect(parseArgs(['merge', 'a.json', '--report-dir', 'out', '--label=nightly', 'b.json'])).toEqual({ command: 'merge', files: ['a.json', 'b.json'], reportDir: 'out', label: 'nightly' });
  expect(harnessErrorOf(() => parseArgs(['merge'])).message).toContain('merge: needs 1 to 64 results files, got 0');
  expect(harnessErrorOf(() => parseArgs(['merge', 'a.json', '--out=x'])).message).toContain('--out: unknown flag for merge');
  expect(harnessErrorOf(() => parseArgs(['merge', 'a.json', '--report-dir'])).message).toContain('--report-dir: needs a value');
});

test('the invocation box masks secrets only, and the line runs when copied', () => {
  expect(redactInvocation(['--fault', 'expired-tokens-accepted', '--token-ttl', '60', '--token-format', 'jwt']))
    .toBe('fhir-ws-conformance --fault expired-tokens-accepted --token-ttl 60 --token-format jwt');
  expect(redactInvocation(['--server', 'https://alice:s3cret@fhir.example.org/r4?access_token=abc&tenant=x']))
    .toBe('fhir-ws-conformance --server \'https://alice:***@fhir.example.org/r4?access_token=***&tenant=x\'');
  // the mask is quoted too: a bare *** would be a shell glob
  expect(redactInvocation(['--server=http://u:p@h/fhir'])).toBe("fhir-ws-conformance '--server=http://u:***@h/fhir'");
  expect(redactInvocation(['--grep', '^(forged\\.flip-case|binding) ', '--', '--shard=1/3']))
    .toBe("fhir-ws-conformance --grep '^(forged\\.flip-case|binding) ' -- --shard=1/3");
  expect(redactInvocation(['--label', "it's"])).toBe("fhir-ws-conformance --label 'it'\\''s'");
});

test('report dir: new, empty or marked is claimed (marker written); anything else is refused untouched', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'fwc-report-dir-'));
  const fresh = path.join(root, 'new', 'nested');
  claimReportDir(fresh);
  expect(existsSync(path.join(fresh, REPORT_DIR_MARKER))).toBe(true);
  claimReportDir(fresh); // marked by the previous claim: still ours

  const empty = path.join(root, 'empty');
  mkdirSync(empty);
  claimReportDir(empty);
  expect(existsSync(path.join(empty, REPORT_DIR_MARKER))).toBe(true);

  const foreign = path.join(root, 'repo');
  mkdirSync(path.join(foreign, 'playwright'), { recursive: true });
  writeFileSync(path.join(foreign, 'index.html'), 'mine');
  const error = harnessErrorOf(() => claimReportDir(foreign));
  expect(error.code).toBe('FWC_ERR_CONFIG');
  expect(error.message).toContain(`--report-dir: ${foreign} is not empty and was not written by fhir-ws-conformance`);
  expect(existsSync(path.join(foreign, REPORT_DIR_MARKER))).toBe(false);
  expect(readFileSync(path.join(foreign, 'index.html'), 'utf8')).toBe('mine');

  const file = path.join(root, 'a-file');
  writeFileSync(file, 'x');
  expect(harnessErrorOf(() => claimReportDir(file)).message).toContain('exists and is not a directory');
});

test('a billion-laughs --config is FWC_ERR_CONFIG at the first alias, not an internal error', () => {
  const lines = ['trigger:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let previous = 'a';
  for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
    lines.push(`  ${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    previous = name;
  }
  const error = harnessErrorOf(() => parseConfigText(lines.join('\n'), 'laughs.yaml'));
  expect(error.code).toBe('FWC_ERR_CONFIG');
  expect(error.message).toMatch(/^laughs\.yaml:3:\d+ YAML aliases here expand past 100 copies/);
  // a few aliases are fine
  expect(parseConfigText('trigger:\n  a: &a { family: X }\n  b: *a\n', 'ok.yaml').trigger).toEqual({ a: { family: 'X' }, b: { family: 'X' } });
});
