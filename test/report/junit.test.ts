import { expect, test } from '@playwright/test';
import { applyBaseline } from '../../runner/report/baseline.js';
import { renderJunitXml } from '../../runner/report/junit.js';
import { sampleResults, XSS_PAYLOAD } from './fixtures/sample-results.js';
import { checkXml, findAll, type XmlElement } from './xml-check.js';

function parse(xml: string): XmlElement {
  const { problems, root } = checkXml(xml);
  expect(problems).toEqual([]);
  return root!;
}

function testcase(root: XmlElement, id: string): XmlElement {
  const found = findAll(root, 'testcase').find((t) => t.attributes.name === id);
  expect(found, `testcase ${id}`).toBeDefined();
  return found!;
}

test.describe('junit.xml', () => {
  test('is well-formed, one testsuite per chapter, one testcase per scenario with time', () => {
    const results = sampleResults();
    const root = parse(renderJunitXml(results));
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '12', failures: '2', errors: '1', skipped: '3' });
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['binding', 'discovery', 'expiry', 'forged', 'invoke', 'outputs', 'scope']); // suite order: file, then line
    expect(suites.find((s) => s.attributes.name === 'binding')!.attributes).toMatchObject({ tests: '2', failures: '1', errors: '0', skipped: '0' });
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => c.attributes.name).sort()).toEqual(results.scenarios.map((s) => s.id).sort());
    const events = testcase(root, 'binding.events.full-resource');
    expect(events.attributes).toMatchObject({ classname: 'binding', time: '1.450', file: 'suites/binding.yaml' });
  });

  test('a failure\'s message is its deciding check\'s one line with requirement and location; its text the step tree and the request, server text intact', () => {
    const root = parse(renderJunitXml(sampleResults()));
    const failure = findAll(testcase(root, 'invoke.errors.malformed-body'), 'failure')[0]!;
    expect(failure.attributes.message).toBe(`garbage JSON is refused as a client error [OP-16 DEF]: expected a 4xx status, but received 500 with body ${XSS_PAYLOAD} (at suites/invoke.yaml:10)`);
    expect(failure.attributes.type).toBe('DEF');
    expect(failure.text).toBe([
      'step 1: failed',
      `    failed: garbage JSON is refused as a client error [OP-16 DEF]: expected a 4xx status, but received 500 with body ${XSS_PAYLOAD}`,
      '    warning: the error carries an OperationOutcome [OP-16 SHOULD]: expected an OperationOutcome body, but received text/html',
      'Request: POST http://127.0.0.1:8080/fhir/Subscription/sub-a/$get-ws-binding-token',
    ].join('\n'));
    const out = findAll(testcase(root, 'invoke.errors.malformed-body'), 'system-out')[0]!;
    expect(out.text).toContain("Reproduce (secrets masked):\ncurl -sS -X POST");
  });

  test('error, skipped and warning map to <error>, <skipped message> and a passing case with notes', () => {
    const root = parse(renderJunitXml(sampleResults()));
    const error = findAll(testcase(root, 'expiry.refused-after'), 'error')[0]!;
    expect(error.attributes.message).toBe('The websocket connection to ws://127.0.0.1:8080/ws timed out after 5000 ms.');
    const skipped = findAll(testcase(root, 'scope.revoked-on-delete'), 'skipped')[0]!;
    expect(skipped.attributes.message).toContain('capability delete-subscriptions');
    const warning = testcase(root, 'outputs.websocket-url.wss');
    expect(findAll(warning, 'failure')).toHaveLength(0);
    expect(findAll(warning, 'property').find((p) => p.attributes.name === 'warning')!.attributes.value)
      .toBe('websocket-url uses wss [WS-03 SHOULD]: expected wss://…, but received ws://127.0.0.1:8080/ws');
    expect(findAll(warning, 'system-out')[0]!.text).toContain('WARNING: websocket-url uses wss');
    expect(findAll(testcase(root, 'forged.random'), 'failure')).toHaveLength(0);
    const blocked = testcase(root, 'expiry.binds-late-in-life');
    expect(findAll(blocked, 'failure')).toHaveLength(0);
    expect(findAll(blocked, 'skipped')[0]!.attributes.message).toMatch(/^blocked by the harness \(timing or setup of the run, not the server\): .*bound 0\.4 s after the stated expiration$/);
    expect(findAll(blocked, 'property').find((p) => p.attributes.name === 'blockedBy')!.attributes.value).toBe('harness');
  });

  test('a scenario that passed only on a retry passes, with its attempts and the earlier failure as properties; hashes ride along', () => {
    const results = sampleResults();
    const scenario = results.scenarios.find((s) => s.id === 'forged.random')!;
    Object.assign(scenario, { attempts: 2, flaky: { earlier: [{ outcome: 'failed', reason: 'no handshake within 5000 ms' }] }, definitionHash: '0123456789abcdef' });
    results.provenance = { node: 'v20', playwright: '1.65', suite: { hash: 'fedcba9876543210', scenarios: 1, requirementsHash: '0000000000000000' } };
    const xml = renderJunitXml(results);
    parse(xml); // still well-formed
    const testcase = xml.slice(xml.indexOf('<testcase name="forged.random"'), xml.indexOf('</testcase>', xml.indexOf('<testcase name="forged.random"')));
    expect(testcase).not.toContain('<failure');
    expect(testcase).toContain('<property name="attempts" value="2"/>');
    expect(testcase).toContain('<property name="flaky" value="failed on an earlier attempt: no handshake within 5000 ms"/>');
    expect(testcase).toContain('<property name="definition" value="0123456789abcdef"/>');
    expect(xml).toContain('<property name="suite" value="fedcba9876543210"/>');
  });

  test('at level should, an unaccepted warning is a <failure>', () => {
    const results = { ...sampleResults(), level: 'should' as const };
    const root = parse(renderJunitXml(results));
    expect(root.attributes.failures).toBe('4');
    expect(findAll(testcase(root, 'outputs.websocket-url.wss'), 'failure')[0]!.attributes.type).toBe('SHOULD');
  });

  test('an accepted failure passes in JUnit but says ACCEPTED DEVIATION', () => {
    const baseline = { file: 'baseline.yaml', entries: [{ scenario: 'invoke.errors.malformed-body', reason: 'vendor ticket 42', owner: 'api-team', location: { file: 'baseline.yaml', line: 2, column: 5 } }] };
    const root = parse(renderJunitXml(applyBaseline(sampleResults(), baseline, '2025-05-01')));
    expect(root.attributes.failures).toBe('1');
    const accepted = testcase(root, 'invoke.errors.malformed-body');
    expect(findAll(accepted, 'failure')).toHaveLength(0);
    expect(findAll(accepted, 'system-out')[0]!.text).toMatch(/^ACCEPTED DEVIATION \(baseline baseline.yaml\): vendor ticket 42\nFAILED: garbage JSON/);
    const properties = Object.fromEntries(findAll(accepted, 'property').map((p) => [p.attributes.name, p.attributes.value]));
    expect(properties).toMatchObject({ outcome: 'failed', baseline: 'accepted', 'baseline.reason': 'vendor ticket 42', 'baseline.owner': 'api-team' });
  });

  test('characters XML forbids are replaced visibly; quotes, ampersands and newlines survive in attributes', () => {
    const results = sampleResults();
    const scenario = results.scenarios.find((s) => s.id === 'invoke.errors.malformed-body')!;
    scenario.checks[0]!.label = 'bad "quote" & <tag>\nline two \u0000\u001b \ud800 end';
    scenario.checks[0]!.actual = 'NUL\u0000 ESC\u001b FFFF\uffff emoji 🙂';
    const root = parse(renderJunitXml(results));
    const failure = findAll(testcase(root, 'invoke.errors.malformed-body'), 'failure')[0]!;
    expect(failure.attributes.message).toMatch(/^bad "quote" & <tag>\nline two \\u0000\\u001b \\ud800 end \[OP-16 DEF\]: /);
    expect(failure.text).toContain('NUL\\u0000 ESC\\u001b FFFF\\uffff emoji 🙂');
  });
});
