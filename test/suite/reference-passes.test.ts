/**
 * The baseline: against the reference server every scenario passes, in each FHIR version and token
 * format. The only outcomes tolerated besides "passed" are named here with their reason.
 */
import { test, expect } from '@playwright/test';
import type { FhirVersion } from '../../runner/scenario/model.js';
import { describeNonPassing, runSuiteAgainstReference } from './in-process-suite.js';

const BACKPORT_ONLY = ['invoke.instance.get.backport', 'invoke.type.get-several-ids'];
const R5_ONLY = ['invoke.instance.get.r5'];
const JWT_ONLY = ['forged.jwt.alg-none', 'forged.jwt.claims-changed', 'forged.jwt.signature-removed', 'forged.jwt.exp-forward'];

/** Opt-in scenarios: skipped unless their flag is given (--soak). */
const OPT_IN = ['connections.idle.survives'];

/** ws:// on 127.0.0.1 is the one SHOULD the reference server knowingly misses (wss is preferred). */
const EXPECTED_WARNINGS = ['outputs.websocket-url.wss'];

for (const fhirVersion of ['R5', 'R4B', 'R4'] as FhirVersion[]) {
  for (const tokenFormat of ['opaque', 'jwt'] as const) {
    test(`${fhirVersion} (${tokenFormat} tokens): every scenario passes`, async () => {
      const results = await runSuiteAgainstReference({ fhirVersion, tokenFormat });
      const notApplicable = [...(fhirVersion === 'R5' ? BACKPORT_ONLY : R5_ONLY), ...(tokenFormat === 'opaque' ? JWT_ONLY : []), ...OPT_IN];
      for (const result of results.values()) {
        const expected = notApplicable.includes(result.id) ? 'skipped' : EXPECTED_WARNINGS.includes(result.id) ? 'warning' : 'passed';
        expect(result.outcome, `${result.id}\n${describeNonPassing(results)}`).toBe(expected);
      }
    });
  }
}
