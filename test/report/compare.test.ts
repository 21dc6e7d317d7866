import { expect, test } from '@playwright/test';
import { applyBaseline } from '../../runner/report/baseline.js';
import { compareRuns, hasRegressions, renderComparison, renderComparisonMarkdown } from '../../runner/report/compare.js';
import type { RunResults, ScenarioResult } from '../../runner/report/results-types.js';
import { sampleResults } from './fixtures/sample-results.js';

function withOutcome(results: RunResults, id: string, outcome: ScenarioResult['outcome'], reason?: string): void {
  const scenario = results.scenarios.find((s) => s.id === id)!;
  scenario.outcome = outcome;
  if (reason) scenario.reason = reason;
  if (outcome === 'passed') scenario.checks = scenario.checks.map((c) => ({ ...c, passed: true }));
}

test.describe('compareRuns', () => {
  test('identical runs have no differences', () => {
    const diff = compareRuns(sampleResults(), sampleResults());
    expect([diff.regressed, diff.fixed, diff.changed, diff.added, diff.removed]).toEqual([[], [], [], [], []]);
    expect(hasRegressions(diff)).toBe(false);
    expect(renderComparison(diff)).toContain('No differences between the runs.');
  });

  test('classifies regressed, fixed, changed, added and removed', () => {
    const before = sampleResults();
    const after = sampleResults();
    withOutcome(after, 'forged.random', 'failed', 'A forged token bound.'); // passed → failed
    withOutcome(after, 'scope.revoked-on-delete', 'warning', 'Still delivering after delete.'); // skipped → warning
    withOutcome(after, 'binding.events.full-resource', 'passed'); // failed → passed
    withOutcome(after, 'invoke.errors.malformed-body', 'skipped', 'No longer testable.'); // failed → skipped
    after.scenarios.find((s) => s.id === 'discovery.capability.operation-listed')!.checks[0]!.id = 'step2.other'; // same outcome, other check
    after.scenarios = after.scenarios.filter((s) => s.id !== 'expiry.refused-after');
    after.scenarios.push({ ...after.scenarios[0]!, id: 'discovery.new.scenario' });

    const diff = compareRuns(before, after);
    expect(diff.regressed).toEqual([
      { id: 'forged.random', title: 'A random token does not bind', before: 'passed', after: 'failed', beforeAccepted: false, afterAccepted: false, note: 'A forged token bound.' },
      { id: 'scope.revoked-on-delete', title: 'A deleted Subscription stops binding', before: 'skipped', after: 'warning', beforeAccepted: false, afterAccepted: false, note: 'Still delivering after delete.' },
    ]);
    expect(diff.fixed.map((d) => [d.id, d.before, d.after])).toEqual([['binding.events.full-resource', 'failed', 'passed']]);
    expect(diff.changed.map((d) => [d.id, d.before, d.after, d.note])).toEqual([
      ['discovery.capability.operation-listed', 'warning', 'warning', 'failing checks were [step1.operation-listed], now [step2.other]'],
      ['invoke.errors.malformed-body', 'failed', 'skipped', 'No longer testable.'],
    ]);
    expect(diff.added.map((d) => [d.id, d.after])).toEqual([['discovery.new.scenario', 'passed']]);
    expect(diff.removed.map((d) => [d.id, d.before])).toEqual([['expiry.refused-after', 'error']]);
    expect(hasRegressions(diff)).toBe(true);
  });

  test('a failure the baseline accepts is not a regression; losing the acceptance is', () => {
    const baseline = { file: 'b.yaml', entries: [{ scenario: 'forged.random', reason: 'known', location: { file: 'b.yaml', line: 1, column: 1 } }] };
    const before = sampleResults();
    const failing = sampleResults();
    withOutcome(failing, 'forged.random', 'failed');
    const accepted = applyBaseline(failing, baseline, '2025-05-01');
    const diff = compareRuns(before, accepted);
    expect(diff.regressed).toEqual([]);
    expect(diff.changed.map((d) => [d.id, d.afterAccepted])).toEqual([['forged.random', true]]);
    expect(compareRuns(accepted, failing).regressed.map((d) => d.id)).toEqual(['forged.random']);
  });

  test('a scenario whose definition changed is marked, and a changed definition alone is listed', () => {
    const before = sampleResults();
    const after = sampleResults();
    const stamp = (results: RunResults, suiteHash: string) => {
      results.provenance = {
        node: 'v20', playwright: '1', suite: { hash: suiteHash, scenarios: results.scenarios.length, requirementsHash: '0000000000000000' },
        operationDefinition: { url: 'http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token', source: 'R5' },
      };
      results.scenarios.forEach((s, i) => (s.definitionHash = i.toString(16).padStart(16, '0')));
    };
    stamp(before, 'aaaaaaaaaaaaaaaa');
    stamp(after, 'bbbbbbbbbbbbbbbb');
    withOutcome(after, 'forged.random', 'failed', 'A forged token bound.');
    after.scenarios.find((s) => s.id === 'forged.random')!.definitionHash = 'ffffffffffffffff';
    after.scenarios.find((s) => s.id === 'binding.handshake.single')!.definitionHash = 'eeeeeeeeeeeeeeee';
    const diff = compareRuns(before, after);
    expect(diff.regressed).toEqual([expect.objectContaining({ id: 'forged.random', definitionChanged: true })]);
    expect(diff.changed).toEqual([expect.objectContaining({ id: 'binding.handshake.single', definitionChanged: true, note: 'same outcome; the scenario itself was changed' })]);
    const text = renderComparison(diff);
    expect(text).toContain('forged.random: ✔ Passed → ✖ Failed [scenario changed]');
    expect(text).toContain('the runs used different suites (aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb); 2 listed scenarios were changed themselves');
    expect(renderComparisonMarkdown(diff)).toContain('[scenario changed]');
    // runs without hashes (older results.json files) compare as before
    expect(compareRuns(sampleResults(), sampleResults()).changed).toEqual([]);
  });

  test('renders text for a terminal and markdown for a PR comment', () => {
    const before = sampleResults();
    const after = sampleResults();
    withOutcome(after, 'forged.random', 'failed', 'A forged | token bound.');
    after.tool.version = '0.2.0';
    const diff = compareRuns(before, after);
    const text = renderComparison(diff);
    expect(text).toContain('Regressed (1):\n  forged.random: ✔ Passed → ✖ Failed  — A forged | token bound.');
    expect(text).toContain('note: the runs used different tool versions (0.1.0, 0.2.0); scenarios may have changed.');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 regressed, 0 fixed, 0 changed, 0 added, 0 removed.');
    const markdown = renderComparisonMarkdown(diff);
    expect(markdown).toContain('### Regressed (1)');
    expect(markdown).toContain('| `forged.random` | ✔ Passed → ✖ Failed | A forged \\| token bound. |');
    expect(markdown).toContain('| before | 2025-05-01T10:00:00.000Z | http://127.0.0.1:8080/fhir | non-conformant | 4 | 2 | 1 | 2 | 2 | 1 |');
  });
});
