/**
 * The HTML report in a real Chromium, opened from disk (file://) as a CI artifact is: numbers equal the
 * results, filters work offline, a server's <script> stays inert, no request leaves the page, the CSP
 * lets the report's own script run (no console errors), and a big run stays fast; matrix.html likewise.
 * UPDATE_REPORT_SCREENSHOT=1 also refreshes docs/report-screenshot.png.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { writeReports } from '../../runner/report/write-reports.js';
import { buildMatrix } from '../../runner/report/matrix.js';
import { renderMatrixHtml } from '../../runner/report/html-matrix.js';
import { largeResults, sampleResults, XSS_PAYLOAD } from './fixtures/sample-results.js';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT_FOR_DOCS = new URL('../../docs/report-screenshot.png', import.meta.url);

test.describe.configure({ mode: 'default' });

let browser: Browser;
let reportUrl: string;
let junitXml: string;

test.beforeAll(async () => {
  browser = await chromium.launch({
    ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-html-'));
  writeReports(sampleResults(), dir);
  reportUrl = pathToFileURL(path.join(dir, 'index.html')).href;
  junitXml = readFileSync(path.join(dir, 'junit.xml'), 'utf8');
});

test.afterAll(async () => {
  await browser?.close();
});

interface Watched { page: Page; offPage: string[]; problems: string[] }

/** A page that counts every request that is not file:// (and blocks it) and every console error. */
async function openReport(url = reportUrl): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const watched: Watched = { page, offPage: [], problems: [] };
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) watched.offPage.push(request.url());
  });
  await page.route('**', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') watched.problems.push(message.text());
  });
  page.on('pageerror', (error) => watched.problems.push(error.message));
  await page.goto(url);
  return watched;
}

const visibleScenarios = (page: Page) => page.locator('details.scenario:visible');

test('the request watcher does see requests, so zero means none left the page', async () => {
  const { page, offPage } = await openReport('about:blank');
  await page.evaluate(() => fetch('http://127.0.0.1:9/probe').catch(() => undefined));
  expect(offPage).toEqual(['http://127.0.0.1:9/probe']);
  await page.close();
});

test('the numbers shown equal the results summary, and the verdict is stated in words', async () => {
  const { page, offPage, problems } = await openReport();
  const { summary, scenarios } = sampleResults();
  const shown = async (key: string) => Number(await page.locator(`[data-summary="${key}"] dd`).textContent());
  expect(await shown('total')).toBe(scenarios.length);
  expect(await shown('passed')).toBe(summary.passed);
  expect(await shown('failed')).toBe(summary.failed);
  expect(await shown('warning')).toBe(summary.warnings);
  expect(await shown('skipped')).toBe(summary.skipped);
  expect(await shown('error')).toBe(summary.errors);
  await expect(page.locator('.verdict')).toHaveText('Verdict: ✖ Non-conformant at level SHALL');
  await expect(page.locator('#filter-status')).toHaveText('Showing 12 of 12 scenarios.');
  expect(offPage).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});

test('a failed scenario expands to its checks, reproduction and timeline; the server script stays text', async () => {
  const { page, offPage, problems } = await openReport();
  const scenario = page.locator('details.scenario[data-id="invoke.errors.malformed-body"]');
  await scenario.locator('summary').click();
  await expect(scenario).toHaveAttribute('open', '');
  await expect(scenario.locator('tr.check-failed')).toContainText('500 with body <script>window.__xss = 1</script>');
  await expect(scenario.locator('code.request')).toHaveText('POST http://127.0.0.1:8080/fhir/Subscription/sub-a/$get-ws-binding-token');
  // the step tree: each check under the step that made it, shown once (no second list of failure messages)
  await expect(scenario.locator('ol.steps > li')).toHaveCount(1);
  await expect(scenario.locator('ol.steps > li table.checks tr.check')).toHaveCount(2);
  await expect(scenario.getByText('expected a 4xx status, but received 500')).toHaveCount(0);
  await expect(scenario.locator('tr.check-failed')).toHaveCount(1);
  await expect(scenario.locator('tr.check-warning')).toHaveCount(1);
  await expect(scenario.locator('.copyable')).toContainText("curl -sS -X POST -H 'Content-Type: application/fhir+json' --data '{not json'");

  const timeline = scenario.locator('table.timeline');
  await expect(timeline).toBeVisible();
  const response = timeline.locator('details.body', { hasText: 'Response 500' });
  await response.locator('summary').click();
  await expect(response.locator('pre.payload')).toHaveText('<html><body>Internal error <script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"></body></html>');

  await page.locator('#expand-all').click();
  await expect(page.locator('table.timeline')).toHaveCount(11); // every scenario with traffic, materialised
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.locator('script').count()).toBe(1);
  expect(offPage).toEqual([]);
  expect(problems).toEqual([]);

  const screenshot = await page.screenshot({ path: test.info().outputPath('report-expanded.png'), fullPage: true });
  expect(screenshot.length).toBeGreaterThan(0);
  await page.close();
});

test('filters work offline: failed only, level, chapter and id search', async () => {
  const { page, problems } = await openReport();
  await page.locator('#filter-failed').check();
  await expect(visibleScenarios(page)).toHaveCount(2);
  for (const outcome of await visibleScenarios(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))) expect(outcome).toBe('failed');
  await expect(page.locator('#filter-status')).toHaveText('Showing 2 of 12 scenarios.');
  await expect(page.locator('section.chapter[data-chapter="discovery"]')).toBeHidden();

  await page.locator('#filter-failed').uncheck();
  await page.locator('#filter-chapter').selectOption('binding');
  await expect(visibleScenarios(page)).toHaveCount(2);
  expect(await visibleScenarios(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual(['binding.events.full-resource', 'binding.handshake.single']);

  await page.locator('#filter-chapter').selectOption('');
  await page.locator('#filter-level').selectOption('SHOULD');
  await expect(visibleScenarios(page)).toHaveCount(3);

  await page.locator('#filter-level').selectOption('');
  await page.locator('#filter-text').fill('FORGED');
  await expect(visibleScenarios(page)).toHaveCount(1);
  await expect(visibleScenarios(page)).toHaveAttribute('data-id', 'forged.random');
  await page.locator('#filter-text').fill('');
  await expect(visibleScenarios(page)).toHaveCount(12);
  expect(problems).toEqual([]);
  await page.close();
});

test('a requirement link opens its scenario; copy buttons copy the reproduction', async () => {
  const { page, problems } = await openReport();
  await page.locator('#requirements a', { hasText: 'binding.events.full-resource' }).click();
  const scenario = page.locator('details.scenario[data-id="binding.events.full-resource"]');
  await expect(scenario).toHaveAttribute('open', '');
  await expect(scenario.locator('table.timeline tbody tr')).toHaveCount(7);

  const handshake = page.locator('details.scenario[data-id="binding.handshake.single"]');
  await handshake.locator('summary').click();
  await handshake.locator('button.copy').click();
  await expect(handshake.locator('button.copy')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(sampleResults().scenarios.find((s) => s.id === 'binding.handshake.single')!.reproduction!.join('\n'));
  expect(problems).toEqual([]);
  await page.close();
});

test('printing hides the controls and opens every scenario', async () => {
  const { page } = await openReport();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('#filters')).toBeHidden();
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await expect(page.locator('details.scenario[open]')).toHaveCount(12);
  await page.close();
});

test('junit.xml parses with the browser\'s XML parser', async () => {
  const page = await browser.newPage();
  const parsed = await page.evaluate((xml) => {
    const document = new DOMParser().parseFromString(xml, 'application/xml');
    return { errors: document.getElementsByTagName('parsererror').length, cases: document.getElementsByTagName('testcase').length };
  }, junitXml);
  expect(parsed).toEqual({ errors: 0, cases: 12 });
  await page.close();
});

test('a big run (60 scenarios x 80 entries) opens and expands quickly', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-html-large-'));
  writeReports(largeResults(), dir);
  const started = Date.now();
  const { page, problems } = await openReport(pathToFileURL(path.join(dir, 'index.html')).href);
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(page.locator('details.scenario')).toHaveCount(60);
  const scenario = page.locator('details.scenario').first();
  await scenario.locator('summary').click();
  await expect(scenario.locator('table.timeline tbody tr')).toHaveCount(80);
  expect(problems).toEqual([]);
  await page.close();
});

test('screenshot for the docs', async () => {
  const { page } = await openReport();
  await page.setViewportSize({ width: 1280, height: 1400 });
  const failed = page.locator('details.scenario[data-id="binding.events.full-resource"]');
  await failed.locator('summary').click();
  await page.locator('#filter-failed').check();
  await page.screenshot({ path: test.info().outputPath('report.png') });
  if (process.env.UPDATE_REPORT_SCREENSHOT === '1') {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: fileURLToPath(SCREENSHOT_FOR_DOCS), fullPage: false });
  }
  await page.close();
});

test('matrix.html: the styles apply under its CSP, a server script stays inert, nothing leaves the page', async () => {
  const other = sampleResults();
  const forged = other.scenarios.find((s) => s.id === 'forged.random')!;
  forged.outcome = 'failed';
  forged.reason = XSS_PAYLOAD;
  const dir = mkdtempSync(path.join(tmpdir(), 'fwc-matrix-'));
  const file = path.join(dir, 'matrix.html');
  writeFileSync(file, renderMatrixHtml(buildMatrix([{ source: 'a.json', results: sampleResults() }, { source: 'b.json', results: other }])));
  const { page, offPage, problems } = await openReport(pathToFileURL(file).href);
  await expect(page.locator('#disagreements tbody tr')).toHaveCount(1);
  await expect(page.locator('#disagreements tbody tr th')).toContainText('forged.random');
  // the badge colour comes from the inlined stylesheet: proof the CSP hash matches
  const colour = await page.locator('#disagreements .outcome-failed').first().evaluate((el) => getComputedStyle(el).color);
  expect(colour).not.toBe('rgb(0, 0, 0)');
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(offPage).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});
