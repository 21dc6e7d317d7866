/**
 * The terminal's closing section and CI annotations, rendered from a results file: every failure and
 * warning with requirement, expected vs received, location and rerun command; server text escaped.
 */
import { test, expect } from '@playwright/test';
import { renderClosingSummary, rerunCommand } from '../../runner/report/terminal-summary.js';
import { renderGithubAnnotations } from '../../runner/report/github-annotations.js';
import { scenarioReason } from '../../runner/report/failure-line.js';
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

test('a failure names the request its step made and, on a line of its own, the note beside expected and received', () => {
  const results = sampleResults();
  const failed = results.scenarios.find((s) => s.id === 'binding.events.full-resource')!;
  const note = "the bind was sent 1.6 s after the token's stated expiration (bind 2025-05-01T10:00:01.600Z, expiration 2025-05-01T10:00:00Z)";
  failed.checks = failed.checks.map((c) => (c.passed ? c : { ...c, note, at: '2025-05-01T10:00:00.300Z' }));
  const lines = renderClosingSummary(results).split('\n');
  const at = lines.findIndex((l) => l.includes('✖ binding.events.full-resource'));
  expect(lines[at + 1]).toBe('      the notification names its focus [NB-08 SHALL]: expected notificationEvent[0].focus present, but received absent');
  expect(lines[at + 2]).toBe(`      ${note}`);
  expect(lines[at + 3]).toBe('      request: websocket ws://127.0.0.1:8080/ws');
});

test('a scenario blocked by another names only its judge; the failure is printed once, on the judge’s line', () => {
  const blocked = { outcome: 'blocked' as const, blockedBy: 'binding.forms.accepted', reason: 'blocked by binding.forms.accepted: a long failure', checks: [] };
  expect(scenarioReason(blocked, 150)).toBe('blocked by binding.forms.accepted (not judged)');
  const byHarness = sampleResults().scenarios.find((s) => s.blockedBy === 'harness')!;
  expect(scenarioReason(byHarness, 150)).toMatch(/^blocked by the harness: frames on socket \[OP-12 DEF\]: expected 1 or more × handshake within 5 s, but received 0 matching/);
});
