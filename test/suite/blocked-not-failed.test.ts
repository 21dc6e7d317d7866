/**
 * One defect, one failure: against a server that never sends a handshake, only the scenario that
 * judges the bind forms fails (exactly the fault table's list), also with the form pinned in the
 * config; every scenario that needs a handshake for a genuine token is blocked by
 * binding.forms.accepted — never failed, and the
 * requirements it would judge (WS-17: forged or expired tokens must not bind) are not judged rather
 * than red. The bind form is pinned (config bindForm), so no scenario spends its token's life
 * probing forms. (expiry.* are blocked at their control step, before waiting for the expiration.)
 */
import { test, expect } from '@playwright/test';
import { FAULT_TABLE } from '../../reference-server/src/faults.js';
import { buildResults } from '../../runner/report/build-results.js';
import { readRequirements } from '../../runner/suite/requirements.js';
import { requirementsFile } from '../../runner/suite/project-suite.js';
import type { FhirVersion } from '../../runner/scenario/model.js';
import { describeNonPassing, runSuiteAgainstReference } from './in-process-suite.js';

const NO_HANDSHAKE = FAULT_TABLE.find((entry) => entry.name === 'no-handshake')!;

// The versions run one after the other: each run already holds 24 scenarios in flight.
test.describe.configure({ mode: 'serial' });

for (const fhirVersion of ['R5', 'R4'] as FhirVersion[]) {
  test(`${fhirVersion}: no-handshake with a pinned bind form fails exactly the forms judge; everything that needs a handshake is blocked by it`, async () => {
    test.setTimeout(120_000);
    // 30 s tokens: this is about handshakes, so a loaded machine must not make the harness late (bind-timing.test.ts, harness-late.test.ts)
    const results = await runSuiteAgainstReference({ fhirVersion, faults: ['no-handshake'], bindForm: 'space', tokenTtlSeconds: 30 });
    const all = [...results.values()];
    const ids = (outcome: string) => all.filter((r) => r.outcome === outcome).map((r) => r.id).sort();
    const got = describeNonPassing(results);
    // Pinned or learned, the outcome is the same: discovery's probe saw no form yield a handshake, so
    // binding.forms.accepted (the fault table's catch) fails and every bind waits on it.
    expect(ids('failed'), got).toEqual([...NO_HANDSHAKE.catches].sort());
    expect(ids('error'), got).toEqual([]);
    // the one red line says what happened in a terminal's width: no form got a handshake, and why the requirement is ambiguous
    const judge = results.get('binding.forms.accepted')!.checks.find((c) => !c.passed && c.id.endsWith('.bindForms'))!;
    expect(judge).toMatchObject({ expected: 'a handshake after space, colon or json', actual: expect.stringMatching(/^after each form: no handshake within \d/) });
    expect(judge.note).toMatch(/sends no handshake \(WS-04\) and one that reads none of the forms \(WS-18\) look alike.*space bind-with-token <t>/);
    const blocked = all.filter((r) => r.outcome === 'blocked');
    for (const r of blocked) {
      expect(r.blockedBy, `${r.id}: ${r.reason}`).toBe('binding.forms.accepted');
      expect(r.reason).toMatch(/^blocked by binding\.forms\.accepted: /);
      expect(r.steps!.some((s) => s.status === 'not-run'), `${r.id}: the steps after the control are not run`).toBe(true);
    }
    const mustBeBlocked = all.map((r) => r.id).filter((id) => /^(forged|expiry)\./.test(id) || id.startsWith('scope.token-a-not-b') || id === 'binding.rebind.same-connection');
    const notApplicable = new Set(ids('skipped'));
    for (const id of mustBeBlocked.filter((i) => !notApplicable.has(i))) expect(results.get(id)?.outcome, `${id}\n${got}`).toBe('blocked');


    const run = buildResults({
      tool: { name: 't', version: '0' }, server: { url: 'u', fhirVersion }, startedAt: 'a', finishedAt: 'b', level: 'shall',
      scenarios: all, profiles: [], requirements: readRequirements(requirementsFile()),
    });
    expect(run.verdict).toBe('non-conformant'); // the judge failed: the blocked ones add nothing, take nothing away
    expect(run.summary.blocked).toBe(blocked.length);
    expect(run.requirements!.find((r) => r.id === 'WS-17')!.outcome).toBe('blocked'); // not judged, not red
  });
}

test('a forged token that binds: the failure says what the forgery changed, beside the frame that should not have come', async () => {
  test.setTimeout(120_000);
  const results = await runSuiteAgainstReference({ fhirVersion: 'R5', faults: ['token-case-insensitive'], bindForm: 'space', only: ['binding.forms.accepted', 'forged.flip-case'] });
  const forged = results.get('forged.flip-case')!;
  expect(forged.outcome, describeNonPassing(results)).toBe('failed');
  const failedCheck = forged.checks.find((c) => !c.passed)!;
  expect(failedCheck.note).toMatch(/^forgedSocket bound a forged token: the case of character \d+ of \d+ flipped$/);
});
