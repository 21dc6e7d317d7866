/**
 * The suite is never stricter than the spec: against each legitimate variant of the reference
 * server (a behaviour the spec allows: another bind form, single-use tokens, refusing a call with no
 * ids, silence or a close for a bad token, …) the whole suite still passes, on every FHIR version.
 * Faults that are legitimate on some versions (get-refused on R5) are checked there too.
 */
import { test, expect } from '@playwright/test';
import { FAULT_TABLE, roleOn } from '../../reference-server/src/faults.js';
import type { FhirVersion } from '../../runner/scenario/model.js';
import { describeNonPassing, eachAtMost, inGroupsOf, runSuiteAgainstReference } from './in-process-suite.js';

const VERSIONS: FhirVersion[] = ['R5', 'R4B', 'R4'];
const ACCEPTABLE = new Set(['passed', 'warning', 'skipped']);
/**
 * Token lifetimes other than the in-process default (3 s). expiry-closes ends the connection when
 * its token expires, so with 3 s tokens binding.heartbeat.period (heartbeats for ~3 s) would be
 * blocked by the harness, rightly: 12 s tokens fit every scenario, and
 * connections.after-expiry.recorded still waits for the expiration within maxWait (20 s).
 */
const TOKEN_TTL_SECONDS: Record<string, number> = { 'expiry-closes': 12 };

/** Every (variant, version) pair; runs in flight at once per test, and pairs per test. */
const RUNS = FAULT_TABLE.flatMap((entry) => VERSIONS.filter((v) => roleOn(entry, v) === 'variant').map((fhirVersion) => ({ entry, fhirVersion })));
const RUNS_AT_ONCE = 6;
const RUNS_PER_TEST = 12;

for (const [index, group] of inGroupsOf(RUNS_PER_TEST, RUNS).entries()) {
  const names = [...new Set(group.map((run) => run.entry.name))];
  test(`variants ${index + 1}: the whole suite passes (${group.map((run) => `${run.entry.name} ${run.fhirVersion}`).join(', ')})`, async () => {
    test.setTimeout(240_000);
    const problems: string[] = [];
    await eachAtMost(group, RUNS_AT_ONCE, async ({ entry, fhirVersion }) => {
      const results = await runSuiteAgainstReference({ fhirVersion, faults: [entry.name], tokenTtlSeconds: TOKEN_TTL_SECONDS[entry.name] });
      const failing = [...results.values()].filter((r) => !ACCEPTABLE.has(r.outcome));
      if (failing.length > 0) problems.push(`${entry.kind} ${entry.name} on ${fhirVersion}: ${failing.map((r) => r.id).join(', ')}\n${describeNonPassing(results)}`);
    });
    expect(problems.join('\n\n'), `variants ${names.join(', ')}`).toBe('');
  });
}
