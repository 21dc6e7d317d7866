import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { readResultsFile, validateResults } from '../../runner/report/results-file.js';
import type { RunResults } from '../../runner/report/results-types.js';
import { sampleResults } from './fixtures/sample-results.js';

test.describe('results.schema.json', () => {
  test('accepts the sample run, also after a JSON round trip', () => {
    expect(validateResults(sampleResults())).toEqual([]);
    expect(validateResults(JSON.parse(JSON.stringify(sampleResults())))).toEqual([]);
  });

  test('accepts the additive baseline fields', () => {
    const results: RunResults = sampleResults();
    results.scenarios[4]!.accepted = { reason: 'vendor ticket 42', owner: 'team', expires: '2030-01-01' };
    results.summary.accepted = 1;
    results.baseline = { file: 'baseline.yaml', accepted: ['invoke.errors.malformed-body'], stale: [], expired: [], notRun: ['x.y'] };
    expect(validateResults(results)).toEqual([]);
  });

  test('allows unknown keys in the server profile only', () => {
    const results = sampleResults();
    results.profile.somethingNew = { any: 'shape' };
    expect(validateResults(results)).toEqual([]);
    expect(validateResults({ ...results, surprise: true })).toEqual(['(root) must NOT have additional properties ("surprise")']);
  });

  test('names the path of each problem', () => {
    const results = sampleResults() as unknown as Record<string, any>;
    results.verdict = 'pass';
    results.scenarios[0].outcome = 'ok';
    results.scenarios[6].transcript[1].event = 'opened';
    delete results.summary.errors;
    const problems = validateResults(results);
    expect(problems).toContain('/verdict must be equal to one of the allowed values: ["conformant","non-conformant","error"]');
    expect(problems).toContain('/scenarios/0/outcome must be equal to one of the allowed values: ["passed","failed","blocked","warning","skipped","error"]');
    expect(problems).toContain("/summary must have required property 'errors'");
    expect(problems.some((p) => p.startsWith('/scenarios/6/transcript/1'))).toBe(true);
  });

  test('readResultsFile refuses a missing, unparsable or invalid file with FWC_ERR_CONFIG', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fwc-results-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(sampleResults()));
    expect(readResultsFile(good).scenarios).toHaveLength(12);
    writeFileSync(path.join(dir, 'bad.json'), '{ nope');
    writeFileSync(path.join(dir, 'invalid.json'), JSON.stringify({ tool: {} }));
    for (const [name, message] of [['missing.json', /cannot read results file/], ['bad.json', /is not JSON/], ['invalid.json', /is not a valid results.json:\n {2}\(root\) must have required property/]] as const) {
      expect(() => readResultsFile(path.join(dir, name))).toThrow(message);
      try { readResultsFile(path.join(dir, name)); } catch (error) { expect((error as { code: string }).code).toBe('FWC_ERR_CONFIG'); }
    }
  });
});
