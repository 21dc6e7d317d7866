/**
 * The terminal's closing section and CI annotations, rendered from a results file: every failure and
 * warning with requirement, expected vs received, location and rerun command; server text escaped.
 */
import { test, expect } from '@playwright/test';
import { renderClosingSummary, rerunCommand } from '../../runner/report/terminal-summary.js';
import { renderGithubAnnotations } from '../../runner/report/github-annotations.js';
import { terminalLines, terminalShort } from '../../runner/cli/terminal-text.js';
import { takeReporter } from '../../runner/cli/run-playwright.js';
import { sampleResults } from './fixtures/sample-results.js';

test('each failure names requirement, expected vs received, its YAML line and a rerun command', () => {
  const results = { ...sampleResults(), invocation: 'fhir-ws-conformance --server http://h/fhir --grep binding' };
  const text = renderClosingSummary(results);
  const failed = results.scenarios.filter((s) => s.outcome === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  for (const scenario of failed) {
    expect(text).toContain(`${scenario.id} — ${scenario.title}`);
    expect(text).toContain(`at ${scenario.file}:${scenario.line}`);
    expect(text).toContain(`rerun: npx fhir-ws-conformance --server http://h/fhir --grep '^${scenario.id.replace(/\./g, '\\.')} '`);
  }
  expect(text).toMatch(/Failures \(\d+\)/);
  expect(text).toMatch(/expected .*, but received /);
  expect(text).not.toContain('\u001b[');
});

test('colours only when asked for', () => {
  expect(renderClosingSummary(sampleResults(), { color: true, width: 120 })).toContain('\u001b[31m');
});

test('a rerun command keeps the passthrough after --', () => {
  expect(rerunCommand('fhir-ws-conformance --grep=x -- --shard=1/2', 'a.b')).toBe("npx fhir-ws-conformance --grep '^a\\.b ' -- --shard=1/2");
});

test('server text cannot drive the terminal', () => {
  const hostile = 'ok\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u001b]8;;http://x\u0007link\u009b31m';
  const escaped = terminalLines(hostile);
  expect(escaped).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  expect(escaped).toContain('\\x1b[2J');
  expect(terminalShort('a\nb', 10)).toBe('a\\nb');
  expect(terminalShort('x'.repeat(50), 10)).toHaveLength(10);
  const results = sampleResults();
  const failed = results.scenarios.find((s) => s.outcome === 'failed')!;
  failed.title = hostile;
  failed.checks = failed.checks.map((c) => (c.passed ? c : { ...c, actual: hostile }));
  expect(renderClosingSummary(results)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  for (const line of renderGithubAnnotations(results)) expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
});

test('GitHub annotations point at the scenario line, one per failure or warning', () => {
  const results = sampleResults();
  const lines = renderGithubAnnotations(results);
  const expected = results.scenarios.filter((s) => ['failed', 'error', 'warning'].includes(s.outcome));
  expect(lines).toHaveLength(expected.length);
  const failed = expected.find((s) => s.outcome === 'failed')!;
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^::error file=${failed.file.replace(/[.]/g, '\\.')},line=${failed.line},title=${failed.id.replace(/[.]/g, '\\.')}`)));
});

test('-- --reporter=list picks the terminal reporter, and nothing else is lost', () => {
  expect(takeReporter(['--shard=1/2', '--reporter=list'])).toEqual({ reporter: 'list', rest: ['--shard=1/2'] });
  expect(takeReporter(['--reporter', 'dot'])).toEqual({ reporter: 'dot', rest: [] });
  expect(takeReporter(['--headed'])).toEqual({ reporter: undefined, rest: ['--headed'] });
});
