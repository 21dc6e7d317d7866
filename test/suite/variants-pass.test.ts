/**
 * The suite is never stricter than the spec: against each legitimate variant of the reference
 * server (a behaviour the spec allows: another bind form, single-use tokens, refusing a call with no
 * ids, silence or a close for a bad token, …) the whole suite still passes, on every FHIR version.
 * Faults that are legitimate on some versions (get-refused on R5) are checked there too.
 */
import { test, expect } from '@playwright/test';
import { FAULT_TABLE, roleOn } from '../../reference-server/src/faults.js';
import type { FhirVersion } from '../../runner/scenario/model.js';
import { describeNonPassing, runSuiteAgainstReference } from './in-process-suite.js';

const VERSIONS: FhirVersion[] = ['R5', 'R4B', 'R4'];
const ACCEPTABLE = new Set(['passed', 'warning', 'skipped']);
/**
 * Token lifetimes other than the in-process default (3 s). expiry-closes ends the connection when
 * its token expires, so with 3 s tokens binding.heartbeat.period (heartbeats for ~3 s) would be
 * blocked by the harness, rightly: 12 s tokens fit every scenario, and
 * connections.after-expiry.recorded still waits for the expiration within maxWait (20 s).
 */
const TOKEN_TTL_SECONDS: Record<string, number> = { 'expiry-closes': 12 };

for (const entry of FAULT_TABLE) {
  const versions = VERSIONS.filter((v) => roleOn(entry, v) === 'variant');
  if (versions.length === 0) continue;
  test(`${entry.kind} ${entry.name} (${versions.join(', ')}): the whole suite passes`, async () => {
    const runs = await Promise.all(
      versions.map(async (fhirVersion) => ({ fhirVersion, results: await runSuiteAgainstReference({ fhirVersion, faults: [entry.name], tokenTtlSeconds: TOKEN_TTL_SECONDS[entry.name] }) })),
    );
    for (const { fhirVersion, results } of runs) {
      const failing = [...results.values()].filter((r) => !ACCEPTABLE.has(r.outcome));
      expect(failing.map((r) => r.id), `${fhirVersion} with ${entry.name}:\n${describeNonPassing(results)}`).toEqual([]);
    }
  });
}
