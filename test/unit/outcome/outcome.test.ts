/** The one outcome module (runner/outcome/): check status, scenario and requirement roll-ups, verdict. */
import { test, expect } from '@playwright/test';
import type { CheckRecord, Level } from '../../../runner/checks/check-record.js';
import { checkStatus, stopsScenario } from '../../../runner/outcome/check-status.js';
import { OUTCOMES, outcomeRank, worstOutcome } from '../../../runner/outcome/order.js';
import { requirementOutcome, scenariosCovering } from '../../../runner/outcome/requirement-outcome.js';
import { decideOutcome, stepStatus } from '../../../runner/outcome/scenario-outcome.js';
import { buildResults } from '../../../runner/report/build-results.js';
import { assessVerdict, computeVerdict, summarizeScenarios } from '../../../runner/report/verdict.js';
import type { ScenarioResult } from '../../../runner/report/results-types.js';

const check = (level: Level, passed: boolean, label = 'c', extra: Partial<CheckRecord> = {}): CheckRecord => ({ id: label, label, expected: 'e', actual: 'a', passed, level, ...extra });
const prerequisite = (judgedBy?: string, harness?: boolean) => check('DEF', false, 'control', { prerequisite: { ...(judgedBy ? { judgedBy } : {}), ...(harness ? { harness } : {}) } });

test('one ordered list, most severe first; not-run ranks after every outcome', () => {
  expect(OUTCOMES).toEqual(['error', 'failed', 'blocked', 'warning', 'skipped', 'passed']);
  expect(outcomeRank('not-run')).toBe(OUTCOMES.length);
  expect(worstOutcome(['passed', 'warning', 'blocked', 'skipped'])).toBe('blocked');
  expect(worstOutcome(['passed', 'failed', 'error'])).toBe('error');
  expect(worstOutcome([])).toBe('not-run');
});

test('check status at the run level: SHALL/DEF fail, SHOULD warns (fails at should), MAY informs, prerequisites block', () => {
  for (const level of ['SHALL', 'SHALL NOT', 'DEF'] as Level[]) {
    expect(checkStatus(check(level, false), 'shall')).toBe('failed');
    expect(checkStatus(check(level, true), 'shall')).toBe('passed');
  }
  expect(checkStatus(check('SHOULD', false), 'shall')).toBe('warning');
  expect(checkStatus(check('SHOULD', false), 'should')).toBe('failed');
  expect(checkStatus(check('MAY', false), 'shall')).toBe('skipped');
  expect(checkStatus(check('MAY', false), 'should')).toBe('skipped');
  expect(checkStatus(prerequisite('binding.handshake.single'), 'shall')).toBe('blocked');
  expect(checkStatus({ ...prerequisite('x'), passed: true }, 'shall')).toBe('passed');
});

test('the stop rule: a failed SHALL/DEF check or prerequisite ends the scenario, whatever the level; SHOULD and MAY do not', () => {
  expect(stopsScenario(check('DEF', false))).toBe(true);
  expect(stopsScenario(prerequisite(undefined, true))).toBe(true);
  expect(stopsScenario(check('SHOULD', false))).toBe(false);
  expect(stopsScenario(check('MAY', false))).toBe(false);
  expect(stopsScenario(check('DEF', true))).toBe(false);
});

test('a failed blocking check fails the scenario, whatever else happened', () => {
  for (const level of ['SHALL', 'SHALL NOT', 'DEF'] as Level[]) {
    expect(decideOutcome([check('SHOULD', false), check(level, false)], undefined, 'shall').outcome).toBe('failed');
  }
  expect(decideOutcome([check('DEF', false)], { kind: 'skip', reason: 'r' }, 'shall').outcome).toBe('failed');
  expect(decideOutcome([check('DEF', false)], { kind: 'error', reason: 'r' }, 'shall').outcome).toBe('failed');
  // a real finding stands beside an unmet prerequisite
  expect(decideOutcome([check('DEF', false, 'finding'), prerequisite('x')], undefined, 'shall').outcome).toBe('failed');
});

test('an unmet prerequisite blocks the scenario, naming who judges it; never failed', () => {
  expect(decideOutcome([check('DEF', true), prerequisite('binding.handshake.single')], undefined, 'shall')).toEqual({
    outcome: 'blocked',
    blockedBy: 'binding.handshake.single',
    reason: 'blocked by binding.handshake.single: control [DEF]: expected e, but received a',
  });
  const late = decideOutcome([prerequisite('binding.handshake.single', true)], undefined, 'shall');
  expect(late).toMatchObject({ outcome: 'blocked', blockedBy: 'harness' });
  expect(late.reason).toMatch(/^blocked by the harness \(timing or setup of the run, not the server\): /);
  const unjudged = decideOutcome([prerequisite()], undefined, 'shall');
  expect(unjudged.outcome).toBe('blocked');
  expect(unjudged.blockedBy).toBeUndefined();
  // blocked beats a SHOULD warning and an error the harness met afterwards
  expect(decideOutcome([check('SHOULD', false), prerequisite('x')], { kind: 'error', reason: 'r' }, 'shall').outcome).toBe('blocked');
});

test('SHOULD failures warn, or fail under --level should', () => {
  expect(decideOutcome([check('SHOULD', false, 'oo')], undefined, 'shall')).toEqual({ outcome: 'warning', reason: 'oo [SHOULD]: expected e, but received a' });
  expect(decideOutcome([check('SHOULD', false)], undefined, 'should').outcome).toBe('failed');
});

test('MAY failures mean not supported: skipped with the reason; a SHOULD failure beside them still warns', () => {
  const decided = decideOutcome([check('MAY', false, 'GET')], undefined, 'shall');
  expect(decided.outcome).toBe('skipped');
  expect(decided.reason).toContain('optional behaviour not supported: GET');
  expect(decideOutcome([check('MAY', false), check('SHOULD', false)], undefined, 'shall').outcome).toBe('warning');
  expect(decideOutcome([check('MAY', false)], undefined, 'should').outcome).toBe('skipped');
});

test('skips and errors keep their reason; a scenario that checked nothing is an error', () => {
  expect(decideOutcome([], { kind: 'skip', reason: 'no topic' }, 'shall')).toEqual({ outcome: 'skipped', reason: 'no topic' });
  expect(decideOutcome([check('DEF', true)], { kind: 'error', reason: 'setup' }, 'shall')).toEqual({ outcome: 'error', reason: 'setup' });
  expect(decideOutcome([check('SHOULD', false)], { kind: 'skip', reason: 'maxWait' }, 'shall').outcome).toBe('skipped');
  expect(decideOutcome([], undefined, 'shall').outcome).toBe('error');
  expect(decideOutcome([check('DEF', true)], undefined, 'shall')).toEqual({ outcome: 'passed' });
});

test('step status: the worst of its checks at the level; a step without checks passed', () => {
  expect(stepStatus([], 'shall')).toBe('passed');
  expect(stepStatus([check('DEF', true), check('SHOULD', false)], 'shall')).toBe('warning');
  expect(stepStatus([check('DEF', true), check('SHOULD', false)], 'should')).toBe('failed');
  expect(stepStatus([check('MAY', false), prerequisite('x')], 'shall')).toBe('blocked');
});

const result = (outcome: ScenarioResult['outcome'], checks: CheckRecord[] = [check('DEF', true)], extra: Partial<ScenarioResult> = {}): ScenarioResult =>
  ({ id: `s.${outcome}`, title: 't', file: 'f', requirements: ['OP-01'], level: 'DEF', outcome, durationMs: 1, checks, transcript: [], ...extra });

test('verdict: failed beats error beats conformant; no SHALL-level check executed is never conformant', () => {
  const verdict = (scenarios: ScenarioResult[]) => computeVerdict({ scenarios, level: 'shall' });
  expect(verdict([result('passed'), result('failed'), result('error')])).toBe('non-conformant');
  expect(verdict([result('passed'), result('error')])).toBe('error');
  expect(verdict([result('passed'), result('warning'), result('skipped')])).toBe('conformant');
  expect(verdict([result('passed', [check('SHOULD', true)])])).toBe('error');
  expect(verdict([result('skipped', [])])).toBe('error');
  expect(computeVerdict({ scenarios: [result('passed'), result('warning')], level: 'should' })).toBe('non-conformant');
});

test('verdict: blocked by a scenario that failed changes nothing; blocked by the harness, by nobody, or by a judge that did not fail is exit 2', () => {
  const judge = result('failed', [check('DEF', false)], { id: 'binding.handshake.single' });
  const blockedBy = (by: string | undefined, id = 'forged.random') => result('blocked', [prerequisite(by)], { id, blockedBy: by, reason: `blocked by ${by}` });
  expect(computeVerdict({ scenarios: [result('passed'), judge, blockedBy('binding.handshake.single')], level: 'shall' })).toBe('non-conformant');
  // the judge is not in this run (--grep): nothing judged the blocking, so no green light
  const alone = assessVerdict({ scenarios: [result('passed'), blockedBy('binding.handshake.single')], level: 'shall' });
  expect(alone.verdict).toBe('error');
  expect(alone.reasons.join(' ')).toContain('Could not judge 1 scenario: forged.random (blocked by binding.handshake.single)');
  // the judge passed: the prerequisite failed only here — unjudged too
  expect(computeVerdict({ scenarios: [result('passed', [check('DEF', true)], { id: 'binding.handshake.single' }), blockedBy('binding.handshake.single')], level: 'shall' })).toBe('error');
  const late = assessVerdict({ scenarios: [result('passed'), blockedBy('harness', 'expiry.binds-late-in-life')], level: 'shall' });
  expect(late.verdict).toBe('error');
  expect(late.reasons[0]).toMatch(/^Could not judge 1 scenario: expiry\.binds-late-in-life/);
  expect(computeVerdict({ scenarios: [result('passed'), blockedBy(undefined)], level: 'shall' })).toBe('error');
  // a run where everything is blocked proved nothing
  expect(computeVerdict({ scenarios: [blockedBy('harness')], level: 'shall' })).toBe('error');
});

test('summary counts blocked separately; the counts add up', () => {
  const scenarios = [result('passed'), result('failed'), result('blocked'), result('blocked'), result('warning'), result('skipped'), result('error')];
  const summary = summarizeScenarios(scenarios);
  expect(summary).toEqual({ passed: 1, failed: 1, blocked: 2, warnings: 1, skipped: 1, errors: 1, accepted: 0 });
  expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBe(scenarios.length);
});

test('requirement roll-up: only checks that test it directly; a blocked scenario leaves it not judged, never failed', () => {
  const tagged = result('failed', [check('DEF', true, 'a', { requirement: 'OP-01' }), check('DEF', false, 'b', { requirement: 'FW-09' })], { requirements: ['OP-01', 'FW-09'] });
  expect(requirementOutcome('OP-01', [tagged], 'shall')).toBe('passed');
  expect(requirementOutcome('FW-09', [tagged], 'shall')).toBe('failed');
  // the control step's WS-04 check is a prerequisite: it neither covers nor fails WS-04 here
  const blocked = result('blocked', [{ ...prerequisite('binding.handshake.single'), requirement: 'WS-04' }], { requirements: ['WS-17'] });
  expect(scenariosCovering('WS-04', [blocked])).toEqual([]);
  expect(requirementOutcome('WS-17', scenariosCovering('WS-17', [blocked]), 'shall')).toBe('blocked');
  // untagged checks test the scenario's own requirements; SHOULD follows the level
  const should = result('warning', [check('SHOULD', false)], { requirements: ['WS-03'] });
  expect(requirementOutcome('WS-03', [should], 'shall')).toBe('warning');
  expect(requirementOutcome('WS-03', [should], 'should')).toBe('failed');
  expect(requirementOutcome('WS-03', [], 'shall')).toBe('not-run');
});

test('results: summary, coverage with the worst outcome, merged profile', () => {
  const results = buildResults({
    tool: { name: 't', version: '1' },
    server: { url: 'u', fhirVersion: 'R5' },
    startedAt: 'a',
    finishedAt: 'b',
    level: 'shall',
    scenarios: [result('passed'), result('warning', [check('SHOULD', false)])],
    profiles: [{ bindForms: ['space'], tokenKind: 'opaque' }, { bindForms: ['json'], tokenKind: 'jwt' }],
    requirements: [
      { id: 'OP-01', level: 'DEF', url: 'x', statement: 's', tested: true },
      { id: 'OP-18', level: 'SHALL', url: 'x', statement: 's', tested: false, notTestedReason: 'needs two identities' },
    ],
  });
  expect(results.summary).toEqual({ passed: 1, failed: 0, blocked: 0, warnings: 1, skipped: 0, errors: 0, accepted: 0 });
  expect(results.verdict).toBe('conformant');
  expect(results.profile).toEqual({ bindForms: ['space', 'json'], tokenKind: 'opaque' });
  expect(results.requirements?.[0]).toMatchObject({ id: 'OP-01', scenarios: ['s.passed', 's.warning'], outcome: 'warning' });
  expect(results.requirements?.[1]).toMatchObject({ id: 'OP-18', tested: false, outcome: 'not-run', notTestedReason: 'needs two identities' });
});

test('profile facts derived from outcomes: token reuse and GET support', async () => {
  const { deriveProfile } = await import('../../../runner/report/derive-profile.js');
  const at = (id: string, outcome: ScenarioResult['outcome'], reason?: string): ScenarioResult => ({ ...result(outcome), id, reason });
  expect(deriveProfile([at('binding.reuse.same-token', 'passed')], {})).toEqual({ tokenReuse: 'reusable' });
  expect(deriveProfile([at('binding.reuse.same-token', 'skipped', 'optional behaviour not supported: x')], {})).toEqual({ tokenReuse: 'single-use' });
  expect(deriveProfile([at('binding.reuse.same-token', 'skipped', 'precondition "x" not met')], {})).toEqual({});
  expect(deriveProfile([at('binding.reuse.same-token', 'blocked', 'blocked by binding.handshake.single: x')], {})).toEqual({});
  expect(deriveProfile([at('invoke.instance.get.backport', 'failed')], {})).toEqual({ getSupported: false });
  expect(deriveProfile([at('invoke.instance.get.r5', 'passed')], { getSupported: false })).toEqual({ getSupported: false });
});
