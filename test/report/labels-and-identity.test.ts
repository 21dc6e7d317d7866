/**
 * --label and the embedded server's identity in the reports: index.html shows the label and that
 * the bundled reference server was tested; compare names runs by label and does not call two
 * embedded runs different servers because their ports differ (it does when their faults differ);
 * the matrix text shows labels and escapes server text for the terminal.
 */
import { expect, test } from '@playwright/test';
import { compareRuns, renderComparison, renderComparisonMarkdown } from '../../runner/report/compare.js';
import { renderHtmlReport } from '../../runner/report/html-report.js';
import { withLabel } from '../../runner/report/label.js';
import { buildMatrix } from '../../runner/report/matrix.js';
import { renderMatrixText } from '../../runner/report/matrix-text.js';
import { validateResults } from '../../runner/report/results-file.js';
import type { RunResults } from '../../runner/report/results-types.js';
import { sampleResults } from './fixtures/sample-results.js';

function embedded(port: number, faults: string[], label?: string): RunResults {
  const results = sampleResults();
  results.server = { url: `http://127.0.0.1:${port}/fhir`, fhirVersion: 'R5', embedded: { faults } };
  return withLabel(results, label);
}

test('the label sits after tool in results.json, validates, and shows in index.html with the embedded server', () => {
  const results = embedded(40001, ['no-handshake'], 'release 2.3');
  expect(Object.keys(results).slice(0, 2)).toEqual(['tool', 'label']);
  expect(validateResults(results)).toEqual([]);
  expect(validateResults({ ...results, label: 'x'.repeat(81) })).not.toEqual([]);
  const page = renderHtmlReport(results);
  expect(page).toContain('<dt>Label</dt><dd class="run-label">release 2.3</dd>');
  expect(page).toContain('(the bundled reference server with faults no-handshake)');
  expect(withLabel(results, undefined)).toBe(results);
});

test('compare: labels name the runs; embedded runs on other ports are one server, other faults are not', () => {
  const same = compareRuns(embedded(40001, [], 'before fix'), embedded(40002, [], 'after fix'));
  const text = renderComparison(same);
  expect(text).toContain('before: "before fix" ');
  expect(text).toContain('after:  "after fix" ');
  expect(text).not.toContain('different servers');
  expect(renderComparisonMarkdown(same)).toContain('| before (before fix) |');

  const other = renderComparison(compareRuns(embedded(40001, []), embedded(40002, ['no-handshake'])));
  expect(other).toContain('the runs tested different servers (the bundled reference server, the bundled reference server with faults no-handshake)');
  expect(renderComparison(compareRuns(sampleResults(), { ...sampleResults(), server: { url: 'https://b.example/fhir', fhirVersion: 'R5' } }))).toContain('different servers');
});

test('compare and matrix text escape server-controlled text: one line each, no raw control byte', () => {
  const before = sampleResults();
  const after = sampleResults();
  const failing = after.scenarios.find((s) => s.outcome === 'passed')!;
  failing.outcome = 'failed';
  failing.reason = 'bad\u001b[2J\n✓ all passed\u0007';
  after.server.software = 'evil\u001b]52;c;eA==\u0007';
  const text = renderComparison(compareRuns(before, after));
  expect(text).toContain('bad\\x1b[2J\\n✓ all passed\\x07');
  expect(text).not.toMatch(/[\u001b\u0007]/);
  const matrix = renderMatrixText(buildMatrix([{ source: 'a.json', results: withLabel(before, 'one') }, { source: 'b.json', results: after }]));
  expect(matrix).toContain('run 1 "one": http://127.0.0.1:8080/fhir');
  expect(matrix).toContain('evil\\x1b]52;c;eA==\\x07');
  expect(matrix).not.toMatch(/[\u001b\u0007]/);
});
