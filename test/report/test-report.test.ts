import { expect, test } from '@playwright/test';
import { renderFhirTestReport, scorePercent } from '../../runner/report/test-report.js';
import { sampleResults } from './fixtures/sample-results.js';

const ASSERT_RESULTS = ['pass', 'skip', 'fail', 'warning', 'error'];
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

test.describe('FHIR R5 TestReport', () => {
  test('has the required elements with R5 cardinalities and codes', () => {
    const report = renderFhirTestReport(sampleResults());
    expect(report.resourceType).toBe('TestReport');
    expect(report.id).toMatch(ID);
    expect(report.status).toBe('completed'); // 1..1, completed | in-progress | waiting | stopped | entered-in-error
    expect(report.result).toBe('fail'); // 1..1, pass | fail | pending
    expect(typeof report.testScript).toBe('string'); // 1..1 canonical(TestScript)
    expect(report.tester).toBe('fhir-ws-conformance 0.1.0');
    expect(report.issued).toBe('2025-05-01T10:00:42.500Z');
    expect(report.text.div).toMatch(/^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml"><p>non-conformant at level shall: .*<\/p><\/div>$/);
    for (const participant of report.participant) {
      expect(['test-engine', 'client', 'server']).toContain(participant.type); // 1..1
      expect(participant.uri.length).toBeGreaterThan(0); // 1..1
    }
  });

  test('references a contained TestScript, or the canonical the caller gives', () => {
    const report = renderFhirTestReport(sampleResults());
    expect(report.testScript).toBe('#suite');
    expect(report.contained).toEqual([expect.objectContaining({ resourceType: 'TestScript', id: 'suite', name: 'FhirWsConformance', status: 'active' })]);
    const published = renderFhirTestReport(sampleResults(), { testScript: 'https://example.org/TestScript/fwc|0.1.0' });
    expect(published.testScript).toBe('https://example.org/TestScript/fwc|0.1.0');
    expect(published.contained).toBeUndefined();
  });

  test('one test per scenario, every test with at least one action holding exactly one assert', () => {
    const results = sampleResults();
    const report = renderFhirTestReport(results);
    expect(report.test.map((t) => t.name)).toEqual(results.scenarios.map((s) => s.id));
    for (const t of report.test) {
      expect(t.action.length).toBeGreaterThanOrEqual(1);
      for (const action of t.action) {
        expect(Object.keys(action)).toEqual(['assert']); // operation or assert, not both
        expect(ASSERT_RESULTS).toContain(action.assert.result);
        expect(action.assert.message!.length).toBeGreaterThan(0);
      }
    }
  });

  test('asserts follow the checks: fail for SHALL/DEF, warning for SHOULD, plus skip and error with reasons', () => {
    const report = renderFhirTestReport(sampleResults());
    const byName = new Map(report.test.map((t) => [t.name, t.action.map((a) => a.assert)]));
    expect(byName.get('invoke.errors.malformed-body')!.map((a) => a.result)).toEqual(['fail', 'warning']);
    expect(byName.get('invoke.errors.malformed-body')![0]!.message).toMatch(/^garbage JSON is refused as a client error \[OP-16 DEF\]: expected a 4xx status, but received 500/);
    expect(byName.get('invoke.errors.malformed-body')![0]!.requirement).toEqual([{ linkUri: 'https://hl7.org/fhir/R5/operations.html#response' }]);
    expect(byName.get('binding.handshake.single')!.map((a) => a.result)).toEqual(['pass', 'pass']);
    expect(byName.get('discovery.opdef.matches-canonical')).toEqual([
      { result: 'skip', message: 'The server does not serve OperationDefinition/Subscription-get-ws-binding-token (404); serving it is optional.', detail: 'scenario outcome' },
    ]);
    expect(byName.get('expiry.refused-after')![0]!.result).toBe('error');
    // blocked: the failed prerequisite check is a skip, and the scenario's own assert names who blocked it
    expect(byName.get('expiry.binds-late-in-life')!.map((a) => a.result)).toEqual(['skip', 'skip']);
    expect(byName.get('expiry.binds-late-in-life')![1]!.message).toMatch(/^blocked by the harness/);
    // a javascript: URL is not a requirement link
    expect(byName.get('binding.events.full-resource')![1]!.requirement).toBeUndefined();
  });

  test('result and score follow the verdict and the scenarios that ran', () => {
    const results = sampleResults();
    expect(renderFhirTestReport({ ...results, verdict: 'conformant' }).result).toBe('pass');
    expect(renderFhirTestReport({ ...results, verdict: 'error' }).result).toBe('pending');
    expect(renderFhirTestReport(results).score).toBe(44.44); // 4 passed of 9 that ran
    expect(scorePercent(results.scenarios.filter((s) => s.outcome === 'skipped'))).toBeUndefined();
  });

  test('FHIR strings carry no control characters and are never empty', () => {
    const results = sampleResults();
    results.scenarios[4]!.checks[0]!.actual = 'a\u0001b';
    results.scenarios[0]!.title = '';
    const report = renderFhirTestReport(results);
    expect(report.test[4]!.action[0]!.assert.message).toContain('a\\u0001b');
    const badStrings: string[] = [];
    JSON.stringify(report, (key, value) => {
      if (typeof value === 'string' && (value === '' || /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value))) badStrings.push(key);
      return value;
    });
    expect(badStrings).toEqual([]);
  });
});
