/**
 * The multi-server matrix (runner/report/matrix.ts, html-matrix.ts, matrix-text.ts): rows in
 * catalogue order, disagreements found and marked in words, a changed scenario definition flagged,
 * missing scenarios shown as not run, and server data escaped in a page that runs no script.
 */
import { expect, test } from '@playwright/test';
import { buildMatrix } from '../../runner/report/matrix.js';
import { renderMatrixHtml } from '../../runner/report/html-matrix.js';
import { renderMatrixText } from '../../runner/report/matrix-text.js';
import type { RunResults } from '../../runner/report/results-types.js';
import { sampleResults, XSS_PAYLOAD } from './fixtures/sample-results.js';

function run(mutate: (r: RunResults) => void = () => undefined): RunResults {
  const results = sampleResults();
  mutate(results);
  return results;
}

function setOutcome(results: RunResults, id: string, outcome: RunResults['scenarios'][number]['outcome'], reason?: string): void {
  const scenario = results.scenarios.find((s) => s.id === id)!;
  scenario.outcome = outcome;
  scenario.reason = reason;
}

test('identical runs agree everywhere; rows follow the catalogue: chapter file, then line', () => {
  const FILES: Record<string, string> = { discovery: 'suites/01-discovery.yaml', invoke: 'suites/02-invocation.yaml', binding: 'suites/04-binding.yaml' };
  const placed = (r: RunResults) => {
    r.scenarios.forEach((s, i) => {
      s.file = FILES[s.chapter ?? ''] ?? 'suites/09-other.yaml';
      s.line = 1000 - i * 10; // later in the results array = earlier in its file
    });
  };
  const matrix = buildMatrix([{ source: 'a.json', results: run(placed) }, { source: 'b.json', results: run(placed) }]);
  expect(matrix.chapters.flatMap((c) => c.rows).some((r) => r.differs)).toBe(false);
  expect(matrix.warnings).toEqual([]);
  expect(matrix.chapters.map((c) => c.chapter).slice(0, 3)).toEqual(['discovery', 'invoke', 'binding']);
  const discovery = sampleResults().scenarios.filter((s) => s.chapter === 'discovery').map((s) => s.id);
  expect(matrix.chapters[0]!.rows.map((r) => r.id)).toEqual([...discovery].reverse());
  expect(renderMatrixText(matrix)).toContain('The runs agree on every scenario.');
});

test('a different outcome, a scenario only one run has, and an accepted failure are disagreements', () => {
  const a = run();
  const b = run((r) => {
    setOutcome(r, 'forged.random', 'failed', 'A forged token bound.');
    r.scenarios = r.scenarios.filter((s) => s.id !== 'binding.handshake.single');
  });
  const matrix = buildMatrix([{ source: 'a.json', results: a }, { source: 'b.json', results: b }]);
  const rows = new Map(matrix.chapters.flatMap((c) => c.rows).map((r) => [r.id, r]));
  expect(rows.get('forged.random')).toMatchObject({ differs: true, cells: [{ outcome: 'passed' }, { outcome: 'failed', reason: 'A forged token bound.' }] });
  expect(rows.get('binding.handshake.single')).toMatchObject({ differs: true, cells: [{ outcome: 'passed' }, { outcome: 'not-run' }] });
  expect([...rows.values()].filter((r) => r.differs).map((r) => r.id).sort()).toEqual(['binding.handshake.single', 'forged.random']);
  const text = renderMatrixText(matrix);
  expect(text).toContain('The runs disagree on 2 scenarios:');
  expect(text).toContain('forged.random: run 1 ✔ Passed · run 2 ✖ Failed');
  expect(text).toContain('binding.handshake.single: run 1 ✔ Passed · run 2 – not run');
});

test('different suites: a warning, and the cells whose scenario definition differs are marked', () => {
  const stamp = (hash: string, changed?: string) => (r: RunResults) => {
    r.provenance = { node: 'v20', playwright: '1', suite: { hash, scenarios: r.scenarios.length, requirementsHash: '0000000000000000' }, operationDefinition: { url: 'u', source: 's' } };
    r.scenarios.forEach((s) => (s.definitionHash = s.id === changed ? 'ffffffffffffffff' : '1111111111111111'));
  };
  const matrix = buildMatrix([
    { source: 'a.json', results: run(stamp('aaaaaaaaaaaaaaaa')) },
    { source: 'b.json', results: run(stamp('bbbbbbbbbbbbbbbb', 'forged.random')) },
  ]);
  expect(matrix.warnings[0]).toContain('different suites (aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb)');
  const row = matrix.chapters.flatMap((c) => c.rows).find((r) => r.id === 'forged.random')!;
  expect(row.cells.map((c) => c.definitionDiffers ?? false)).toEqual([false, true]);
  expect(renderMatrixHtml(matrix)).toContain('≠ definition');
});

test('requirements and profile rows line up per run', () => {
  const a = sampleResults();
  const first = a.requirements!.find((r) => r.tested)!;
  const b = run((r) => {
    r.profile.bindForms = ['json'];
    r.requirements = r.requirements!.map((req) => (req.id === first.id ? { ...req, outcome: 'failed' as const } : req));
  });
  const matrix = buildMatrix([{ source: 'a.json', results: a }, { source: 'b.json', results: b }]);
  expect(matrix.profile.find((p) => p.key === 'bindForms')?.values).toEqual([a.profile.bindForms, ['json']]);
  b.timing = { handshakeMs: { n: 3, p50: 12, p95: 20, max: 20 } };
  const withTiming = buildMatrix([{ source: 'a.json', results: a }, { source: 'b.json', results: b }]);
  expect(withTiming.timing).toEqual([{ key: 'handshakeMs', values: [a.timing?.handshakeMs, { n: 3, p50: 12, p95: 20, max: 20 }] }]);
  expect(renderMatrixHtml(withTiming)).toContain('12 / 20 (3)');
  expect(matrix.requirements.find((r) => r.id === first.id)?.cells.map((c) => c.outcome)).toEqual([first.outcome, 'failed']);
});

test('the page escapes server data, runs no script, and marks disagreements in words', () => {
  const b = run((r) => {
    r.server.url = `http://evil.example/${XSS_PAYLOAD}`;
    setOutcome(r, 'forged.random', 'failed', XSS_PAYLOAD);
  });
  const page = renderMatrixHtml(buildMatrix([{ source: 'a.json', results: run() }, { source: XSS_PAYLOAD, results: b }]));
  expect(page).not.toContain('<script>window.__xss');
  expect(page).not.toContain('<img src=x');
  expect(page).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;');
  expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[^']+&#39;; script-src &#39;none&#39;/);
  expect(page).not.toMatch(/<script/i);
  expect(page).toContain('Where the runs disagree (1)');
  expect(page).toContain('title="the runs disagree"');
});
