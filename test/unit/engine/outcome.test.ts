import { test, expect } from '@playwright/test';
import type { CheckRecord, Level } from '../../../runner/checks/check-record.js';
import { decideOutcome } from '../../../runner/engine/outcome.js';
import { buildResults } from '../../../runner/report/build-results.js';
import { computeVerdict } from '../../../runner/report/verdict.js';
import type { ScenarioResult } from '../../../runner/report/results-types.js';
import type { Scenario } from '../../../runner/scenario/model.js';

const scenario = { id: 'x.y', level: 'DEF' } as Scenario;
const check = (level: Level, passed: boolean, label = 'c'): CheckRecord => ({ id: label, label, expected: 'e', actual: 'a', passed, level });

test('a failed blocking check fails the scenario, whatever else happened', () => {
  for (const level of ['SHALL', 'SHALL NOT', 'DEF'] as Level[]) {
    expect(decideOutcome(scenario, [check('SHOULD', false), check(level, false)], undefined, 'shall').outcome).toBe('failed');
  }
  expect(decideOutcome(scenario, [check('DEF', false)], { kind: 'skip', reason: 'r' }, 'shall').outcome).toBe('failed');
});

test('SHOULD failures warn, or fail under --level should', () => {
  expect(decideOutcome(scenario, [check('SHOULD', false, 'oo')], undefined, 'shall')).toEqual({ outcome: 'warning', reason: 'oo [SHOULD]: expected e, but received a' });
  expect(decideOutcome(scenario, [check('SHOULD', false)], undefined, 'should').outcome).toBe('failed');
});

test('MAY failures mean not supported: skipped with the reason', () => {
  const decided = decideOutcome(scenario, [check('MAY', false, 'GET')], undefined, 'shall');
  expect(decided.outcome).toBe('skipped');
  expect(decided.reason).toContain('optional behaviour not supported: GET');
});

test('skips and errors keep their reason; a scenario that checked nothing is an error', () => {
  expect(decideOutcome(scenario, [], { kind: 'skip', reason: 'no topic' }, 'shall')).toEqual({ outcome: 'skipped', reason: 'no topic' });
  expect(decideOutcome(scenario, [check('DEF', true)], { kind: 'error', reason: 'setup' }, 'shall')).toEqual({ outcome: 'error', reason: 'setup' });
  expect(decideOutcome(scenario, [], undefined, 'shall').outcome).toBe('error');
  expect(decideOutcome(scenario, [check('DEF', true)], undefined, 'shall')).toEqual({ outcome: 'passed' });
});

const result = (outcome: ScenarioResult['outcome'], checks: CheckRecord[] = [check('DEF', true)]): ScenarioResult =>
  ({ id: `s.${outcome}`, title: 't', file: 'f', requirements: ['OP-01'], level: 'DEF', outcome, durationMs: 1, checks, transcript: [] });

test('verdict: failed beats error beats conformant; no SHALL-level check executed is never conformant', () => {
  const verdict = (scenarios: ScenarioResult[]) => computeVerdict({ scenarios, level: 'shall' });
  expect(verdict([result('passed'), result('failed'), result('error')])).toBe('non-conformant');
  expect(verdict([result('passed'), result('error')])).toBe('error');
  expect(verdict([result('passed'), result('warning'), result('skipped')])).toBe('conformant');
  expect(verdict([result('passed', [check('SHOULD', true)])])).toBe('error');
  expect(verdict([result('skipped', [])])).toBe('error');
});

test('results: summary, coverage with the worst outcome, merged profile', () => {
  const results = buildResults({
    tool: { name: 't', version: '1' },
    server: { url: 'u', fhirVersion: 'R5' },
    startedAt: 'a',
    finishedAt: 'b',
    level: 'shall',
    scenarios: [result('passed'), result('warning')],
    profiles: [{ bindForms: ['space'], tokenKind: 'opaque' }, { bindForms: ['json'], tokenKind: 'jwt' }],
    requirements: [
      { id: 'OP-01', level: 'DEF', url: 'x', statement: 's', tested: true },
      { id: 'OP-18', level: 'SHALL', url: 'x', statement: 's', tested: false, notTestedReason: 'needs two identities' },
    ],
  });
  expect(results.summary).toEqual({ passed: 1, failed: 0, warnings: 1, skipped: 0, errors: 0, accepted: 0 });
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
  expect(deriveProfile([at('invoke.instance.get.backport', 'failed')], {})).toEqual({ getSupported: false });
  expect(deriveProfile([at('invoke.instance.get.r5', 'passed')], { getSupported: false })).toEqual({ getSupported: false });
});
