/**
 * The report of a REAL run against a faulty reference server, in a real Chromium from disk: the
 * numbers shown equal results.json, a failed scenario expands to its expected-vs-observed checks,
 * timeline and reproduction, and the failed-only filter leaves exactly the failures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, expect, test } from '@playwright/test';
import type { RunResults } from '../../runner/report/results-types.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

test('a faulty server’s report: counts, a failed scenario expanded, the failed-only filter', async () => {
  // a real CLI run and a browser: ~40 s alone, over a minute beside the other report tests on 2 cores
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-real-report-'));
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin/fhir-ws-conformance.js'), '--fault', 'handshake-wrong-subscription', '--grep', '^(binding\\.(handshake|forms|returned)|discovery)\\.', '--report-dir', dir], {
    cwd: ROOT,
    env: { ...process.env, FHIR_SERVER: '', FWC_QUIET: '1' },
    encoding: 'utf8',
  });
  expect(cli.status, cli.stderr).toBe(1);
  const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as RunResults;
  const failed = results.scenarios.filter((s) => s.outcome === 'failed');
  expect(failed.map((s) => s.id)).toContain('binding.handshake.single');

  const browser = await chromium.launch({
    ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const offPage: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) offPage.push(r.url()); });
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
    const shown = async (key: string) => Number(await page.locator(`[data-summary="${key}"] dd`).textContent());
    expect(await shown('total')).toBe(results.scenarios.length);
    expect(await shown('passed')).toBe(results.summary.passed);
    expect(await shown('failed')).toBe(results.summary.failed);
    expect(await shown('warning')).toBe(results.summary.warnings);
    expect(await shown('skipped')).toBe(results.summary.skipped);

    const scenario = page.locator('details.scenario[data-id="binding.handshake.single"]');
    await scenario.locator('summary').click();
    await expect(scenario.locator('tr.check-failed').first()).toBeVisible();
    await expect(scenario.locator('.reason')).toContainText('expected');
    await expect(scenario.locator('table.timeline')).toBeVisible();
    await expect(scenario.locator('table.timeline')).toContainText('handshake');

    await page.locator('#filter-failed').check();
    await expect(page.locator('details.scenario:visible')).toHaveCount(failed.length);
    await page.screenshot({ path: test.info().outputPath('real-run-report.png'), fullPage: false });
    expect(offPage).toEqual([]);
  } finally {
    await browser.close();
  }
});
