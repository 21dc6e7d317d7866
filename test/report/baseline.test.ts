import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { HarnessError } from '../../runner/errors.js';
import { applyBaseline, loadBaseline, parseBaseline } from '../../runner/report/baseline.js';
import { sampleResults } from './fixtures/sample-results.js';

const BASELINE = `# accepted deviations of the staging server
accepted:
  - scenario: invoke.errors.malformed-body
    reason: "Gateway answers 500 for bad JSON; vendor ticket ACME-1234"
    owner: platform-team
    expires: 2025-12-31
  - scenario: outputs.websocket-url.wss
    reason: TLS terminates at the load balancer
`;

function errorOf(text: string): HarnessError {
  try {
    parseBaseline(text, 'baseline.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('expected parseBaseline to throw');
}

test.describe('baseline: loading', () => {
  test('reads entries with their location', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fwc-baseline-'));
    const file = path.join(dir, 'baseline.yaml');
    writeFileSync(file, BASELINE);
    const baseline = loadBaseline(file);
    expect(baseline.file).toBe(file);
    expect(baseline.entries).toEqual([
      { scenario: 'invoke.errors.malformed-body', reason: 'Gateway answers 500 for bad JSON; vendor ticket ACME-1234', owner: 'platform-team', expires: '2025-12-31', location: { file, line: 3, column: 5 } },
      { scenario: 'outputs.websocket-url.wss', reason: 'TLS terminates at the load balancer', location: { file, line: 7, column: 5 } },
    ]);
  });

  test('an empty list is a valid baseline', () => {
    expect(parseBaseline('accepted: []\n', 'b.yaml').entries).toEqual([]);
    expect(parseBaseline('accepted:\n', 'b.yaml').entries).toEqual([]);
  });

  const badFiles: [string, string, string][] = [
    ['accepted:\n  - scenario: a.b\n    reasn: typo\n', 'baseline.yaml:3:5 unknown key "reasn" (allowed: scenario, reason, expires, owner)', 'unknown key'],
    ['accepted:\n  - scenario: a.b\n', 'baseline.yaml:2:5 entry is missing "reason"', 'missing reason'],
    ['accepted:\n  - scenario: a.b\n    reason: x\n    expires: 2025-02-30\n', 'baseline.yaml:4:14 "expires" must be a date written YYYY-MM-DD (the last day the acceptance holds), got "2025-02-30"', 'impossible date'],
    ['accepted:\n  - scenario: a.b\n    reason: x\n    expires: 31/12/2025\n', 'baseline.yaml:4:14 "expires" must be a date', 'wrong date format'],
    ['accepted:\n  - scenario: 42\n    reason: x\n', 'baseline.yaml:2:15 "scenario" must be a non-empty string', 'number as id'],
    ['accepted:\n  - scenario: a.b\n    reason: x\n  - scenario: a.b\n    reason: y\n', 'baseline.yaml:4:5 scenario "a.b" is already listed at line 2', 'duplicate'],
    ['acepted: []\n', 'baseline.yaml:1:1 unknown key "acepted" (a baseline has only "accepted")', 'top-level typo'],
    ['accepted: yes\n', 'baseline.yaml:1:11 "accepted" must be a list of entries', 'not a list'],
    ['accepted:\n  - scenario: a.b\n    reason: [unclosed\n', 'baseline.yaml:', 'YAML syntax'],
    ['', 'baseline.yaml:1:1 a baseline is a mapping', 'empty file'],
  ];
  for (const [text, message, name] of badFiles) {
    test(`refuses ${name} with FWC_ERR_CONFIG at file:line:col`, () => {
      const error = errorOf(text);
      expect(error.code).toBe('FWC_ERR_CONFIG');
      expect(error.message.startsWith(message)).toBe(true);
      expect(error.location).toMatchObject({ file: 'baseline.yaml' });
    });
  }

  test('a missing file is FWC_ERR_CONFIG', () => {
    expect(() => loadBaseline('/nonexistent/baseline.yaml')).toThrow(/cannot read baseline file \/nonexistent\/baseline.yaml/);
  });
});

test.describe('baseline: applying', () => {
  const entry = (scenario: string, extra: Record<string, string> = {}) => ({ scenario, reason: `because ${scenario}`, location: { file: 'b.yaml', line: 1, column: 1 }, ...extra });

  test('accepted failures stay visible but no longer decide the verdict', () => {
    const original = sampleResults();
    const baseline = { file: 'b.yaml', entries: [entry('invoke.errors.malformed-body', { owner: 'me', expires: '2025-05-01' }), entry('binding.events.full-resource')] };
    const applied = applyBaseline(original, baseline, '2025-05-01');
    const accepted = applied.scenarios.find((s) => s.id === 'invoke.errors.malformed-body')!;
    expect(accepted.outcome).toBe('failed');
    expect(accepted.accepted).toEqual({ reason: 'because invoke.errors.malformed-body', owner: 'me', expires: '2025-05-01' });
    expect(applied.summary).toEqual({ passed: 4, failed: 0, blocked: 1, warnings: 2, skipped: 2, errors: 1, accepted: 2 });
    expect(applied.baseline).toEqual({ file: 'b.yaml', accepted: ['invoke.errors.malformed-body', 'binding.events.full-resource'], stale: [], expired: [], notRun: [] });
    expect(applied.verdict).toBe('error'); // the errored scenario remains
    expect(original.scenarios[4]!.accepted).toBeUndefined(); // the input is not modified
  });

  test('an entry whose scenario passes is stale and makes the run non-conformant', () => {
    const results = sampleResults();
    results.scenarios = results.scenarios.filter((s) => s.outcome !== 'error' && s.outcome !== 'blocked');
    const applied = applyBaseline(results, { file: 'b.yaml', entries: [entry('invoke.errors.malformed-body'), entry('binding.events.full-resource'), entry('forged.random')] }, '2025-05-01');
    expect(applied.baseline!.stale).toEqual(['forged.random']);
    expect(applied.verdict).toBe('non-conformant');
    const withoutStale = applyBaseline(results, { file: 'b.yaml', entries: [entry('invoke.errors.malformed-body'), entry('binding.events.full-resource')] }, '2025-05-01');
    expect(withoutStale.verdict).toBe('conformant');
  });

  test('an entry past its date is expired: the failure counts again and the run is non-conformant', () => {
    const applied = applyBaseline(sampleResults(), { file: 'b.yaml', entries: [entry('invoke.errors.malformed-body', { expires: '2025-04-30' })] }, '2025-05-01');
    expect(applied.baseline!.expired).toEqual(['invoke.errors.malformed-body']);
    expect(applied.baseline!.accepted).toEqual([]);
    expect(applied.scenarios.find((s) => s.id === 'invoke.errors.malformed-body')!.accepted).toBeUndefined();
    expect(applied.summary.failed).toBe(2);
    expect(applied.verdict).toBe('non-conformant');
  });

  test('entries for scenarios not run, skipped or errored are recorded as notRun and change nothing', () => {
    const results = sampleResults();
    const applied = applyBaseline(results, { file: 'b.yaml', entries: [entry('not.in.this.shard'), entry('scope.revoked-on-delete'), entry('expiry.refused-after')] }, new Date(2025, 4, 1));
    expect(applied.baseline!.notRun).toEqual(['not.in.this.shard', 'scope.revoked-on-delete', 'expiry.refused-after']);
    expect(applied.summary).toEqual({ ...results.summary, accepted: 0 });
    expect(applied.verdict).toBe('non-conformant');
  });

  test('applying twice gives the same result', () => {
    const baseline = { file: 'b.yaml', entries: [entry('invoke.errors.malformed-body')] };
    const once = applyBaseline(sampleResults(), baseline, '2025-05-01');
    expect(applyBaseline(once, baseline, '2025-05-01')).toEqual(once);
    expect(applyBaseline(once, { file: 'b.yaml', entries: [] }, '2025-05-01').scenarios[4]!.accepted).toBeUndefined();
  });

  test('a bad date for today is a clear error', () => {
    expect(() => applyBaseline(sampleResults(), { file: 'b.yaml', entries: [] }, '01/05/2025')).toThrow('today must be YYYY-MM-DD, got "01/05/2025"');
  });
});
