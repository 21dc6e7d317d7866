/**
 * Regenerates docs/report-screenshot.png from a real run: the suite against the bundled reference
 * server with one fault (so the picture shows a failure and what it blocks), the report opened in
 * Chromium (Debian's /usr/bin/chromium when present), the first failure expanded.
 *
 *   npx tsx scripts/screenshot-report.ts [--fault <name>] [--out docs/report-screenshot.png]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { PROJECT_ROOT } from '../runner/project-root.js';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const { values } = parseArgs({ options: { fault: { type: 'string', default: 'handshake-wrong-subscription' }, out: { type: 'string', default: 'docs/report-screenshot.png' } } });

const reportDir = mkdtempSync(path.join(tmpdir(), 'fwc-screenshot-'));
const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/fhir-ws-conformance.js'), '--fault', values.fault!, '--report-dir', reportDir], {
  cwd: PROJECT_ROOT,
  env: { ...process.env, FHIR_SERVER: '', FWC_QUIET: '1' },
  encoding: 'utf8',
});
if (run.status !== 1) {
  process.stderr.write(`expected a non-conformant run (exit 1), got ${run.status}:\n${run.stderr}\n`);
  process.exit(2);
}
const browser = await chromium.launch({ ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}), args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(path.join(reportDir, 'index.html')).href);
  const firstFailure = page.locator('details.scenario.outcome-failed').first();
  if (await firstFailure.count()) await firstFailure.locator('summary').click();
  await page.evaluate(() => window.scrollTo(0, 0)); // the verdict and what needs attention first
  const out = path.resolve(PROJECT_ROOT, values.out!);
  await page.screenshot({ path: out, fullPage: false });
  process.stdout.write(`${out} (from ${path.join(reportDir, 'index.html')})\n`);
} finally {
  await browser.close();
}
