/**
 * Mutation testing of the suite: each reference-server fault must make the scenarios it names end
 * with the expected outcome (failed, or warning for SHOULD faults), on every FHIR version where it
 * is a fault. A fault that no scenario catches fails here. Only the catching scenarios run, so
 * each case takes seconds; the variants test (variants-pass.test.ts) runs the whole suite.
 */
import { test, expect } from '@playwright/test';
import { FAULT_TABLE, roleOn } from '../../reference-server/src/faults.js';
import type { FhirVersion } from '../../runner/scenario/model.js';
import { loadProjectSuite } from '../../runner/suite/project-suite.js';
import { describeNonPassing, runSuiteAgainstReference } from './in-process-suite.js';

const VERSIONS: FhirVersion[] = ['R5', 'R4B', 'R4'];
const SCENARIO_IDS = new Set(loadProjectSuite().flatMap((f) => f.scenarios.map((s) => s.id)));

test('every fault names scenarios that exist, and at least one', () => {
  for (const entry of FAULT_TABLE) {
    if (entry.kind !== 'fault') continue;
    expect(entry.catches.length, entry.name).toBeGreaterThan(0);
    for (const id of entry.catches) expect(SCENARIO_IDS.has(id), `${entry.name} names unknown scenario ${id}`).toBe(true);
  }
});

for (const entry of FAULT_TABLE) {
  if (entry.kind !== 'fault') continue;
  const versions = VERSIONS.filter((v) => roleOn(entry, v) === 'fault');
  test(`fault ${entry.name} (${versions.join(', ')}) → ${entry.catches.join(', ')} ${entry.expect}`, async () => {
    const soakMs = entry.needsSoakSeconds ? entry.needsSoakSeconds * 1000 : undefined;
    if (soakMs) test.setTimeout(soakMs + 60_000); // the soak scenario idles that long, by design
    // The versions run side by side, each against its own server: the waits overlap.
    const runs = await Promise.all(
      versions.map(async (fhirVersion) => ({
        fhirVersion,
        results: await runSuiteAgainstReference({ fhirVersion, faults: [entry.name], tokenFormat: entry.impliesTokenFormat, only: entry.catches, soakMs }),
      })),
    );
    for (const { fhirVersion, results } of runs) {
      for (const id of entry.catches) {
        const got = describeNonPassing(results) || 'all passed';
        expect(results.get(id)?.outcome, `${fhirVersion}: ${id} must be ${entry.expect}; got:\n${got}`).toBe(entry.expect);
      }
    }
  });
}
