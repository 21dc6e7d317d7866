/**
 * The closing secret scan: it knows every secret of the run (configured bearer, client secret,
 * second identity, every header credential however short, the OAuth access token discovery
 * obtained) and covers Playwright's folders too (playwright/, test-output/), which are written after
 * the fhir-ws-conformance reports. --no-redact stands in for a redaction bug: every secret then
 * reaches the evidence, and the scan is all that stands between it and the CI artifact.
 */
import { test, expect } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { startReferenceServer } from '../../reference-server/src/server.js';
import { defaultRunConfig } from '../../runner/config/run-config.js';
import { TARGET_FILE_ENV } from '../../runner/engine/target-handoff.js';
import { guardReportFolders } from '../../runner/report/report-folder-guard.js';
import { runSecrets } from '../../runner/report/run-secrets.js';
import { LEAK_NOTICE_FILE } from '../../runner/report/write-reports.js';
import { runCli } from '../support/run-cli.js';

const SHORT_KEY = 'k7-abcd';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** A zip with one deflated entry (what a Playwright trace or report data looks like to the scan). */
function zipOf(name: string, text: string): Buffer {
  const data = deflateRawSync(Buffer.from(text));
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const centralAt = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

test('runSecrets: configured bearer, client secret, second identity, every header credential (short too), the obtained access token', () => {
  const config = defaultRunConfig();
  config.auth = {
    bearerToken: 'configured-bearer-1',
    headers: { 'X-Api-Key': SHORT_KEY, 'X-Tenant': 'acme', Cookie: 'sid=c00kie' },
    oauth2: { tokenUrl: 'https://idp.example.org/token', clientId: 'c', clientSecret: 'client-secret-2' },
    otherIdentity: { bearerToken: 'other-bearer-3', headers: { 'X-Api-Key': 'k2' } },
  };
  const targetFile = path.join(mkdtempSync(path.join(tmpdir(), 'fwc-target-')), 'target.json');
  writeFileSync(targetFile, JSON.stringify({ secrets: ['oauth-access-token-4'], capabilities: [] }));
  const secrets = runSecrets(config, { [TARGET_FILE_ENV]: targetFile });
  for (const secret of ['configured-bearer-1', 'client-secret-2', 'other-bearer-3', SHORT_KEY, 'c00kie', 'k2', 'oauth-access-token-4']) expect(secrets).toContain(secret);
  expect(secrets, 'a short value of a header that is no credential is not a secret').not.toContain('acme');
});

test('guardReportFolders: masks plain text in place, removes a zip or an HTML page whose embedded zip holds a secret', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-scan-'));
  mkdirSync(path.join(dir, 'test-output', 'case'), { recursive: true });
  mkdirSync(path.join(dir, 'playwright', 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'test-output', 'case', 'error-context.md'), `X-Api-Key: ${SHORT_KEY}\nBearer oauth-access-token-4\n`);
  writeFileSync(path.join(dir, 'test-output', 'case', 'trace.zip'), zipOf('trace.network', `{"headers":{"x-api-key":"${SHORT_KEY}"}}`));
  const attachment = Buffer.from(`token oauth-access-token-4 inside`).toString('base64');
  const report = zipOf('report.json', JSON.stringify({ attachments: [{ body: attachment }] }));
  writeFileSync(path.join(dir, 'playwright', 'index.html'), `<script>window.data = "data:application/zip;base64,${report.toString('base64')}";</script>`);
  writeFileSync(path.join(dir, 'playwright', 'data', 'clean.md'), 'nothing secret here');

  const result = guardReportFolders(dir, [SHORT_KEY, 'oauth-access-token-4']);
  const everything = filesUnder(dir).map((file) => readFileSync(file, 'utf8')).join('\n');
  expect(everything).not.toContain(SHORT_KEY);
  expect(everything).not.toContain('oauth-access-token-4');
  expect(readFileSync(path.join(dir, 'test-output', 'case', 'error-context.md'), 'utf8')).toMatch(/^X-Api-Key: …[0-9a-f]{8}\nBearer oaut…[0-9a-f]{8}\n$/);
  expect(existsSync(path.join(dir, 'test-output', 'case', 'trace.zip'))).toBe(false);
  expect(readFileSync(path.join(dir, 'playwright', 'index.html'), 'utf8')).toContain('This report was removed');
  expect(result.removed.map((r) => r.split(' ')[0]).sort()).toEqual([path.join('playwright', 'index.html'), path.join('test-output', 'case', 'trace.zip')]);
  expect(result.leaks.map((l) => l.file)).not.toContain(path.join('playwright', 'data', 'clean.md'));
  expect(result.unscanned).toEqual([]);
});

test('a real run whose evidence holds every secret (--no-redact): nothing under playwright/ or test-output/ keeps one', async () => {
  test.setTimeout(120_000);
  const bearer = 'probe-bearer-abcdef123456';
  const server = await startReferenceServer({ fhirVersion: 'R5', bearerToken: bearer });
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-scan-run-'));
  writeFileSync(path.join(dir, 'config.yaml'), `auth:\n  bearerToken: ${bearer}\n  headers:\n    X-Api-Key: ${SHORT_KEY}\n`);
  const reportDir = path.join(dir, 'report');
  try {
    const run = await runCli(['--server', server.url, '--config', path.join(dir, 'config.yaml'), '--no-redact', '--grep', '^outputs\\.token\\.', '--report-dir', reportDir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${path.join('playwright', 'index.html')}: prob…`); // the bearer is 25 characters: prefix shown
  } finally {
    await server.close();
  }
  const leaked = filesUnder(reportDir).filter((file) => {
    const text = readFileSync(file, 'utf8');
    return text.includes(bearer) || text.includes(SHORT_KEY);
  });
  expect(leaked).toEqual([]);
  expect(readFileSync(path.join(reportDir, LEAK_NOTICE_FILE), 'utf8')).toContain('removed: playwright');
});
