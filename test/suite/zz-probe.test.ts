import { test } from '@playwright/test';
import { runSuiteAgainstReference } from './in-process-suite.js';
for (const f of (process.env.FAULTS ?? 'none').split(',')) test(f, async () => {
  test.setTimeout(300_000);
  const t0 = Date.now();
  const r = await runSuiteAgainstReference({ fhirVersion: (process.env.V ?? 'R5') as any, faults: f === 'none' ? [] : f.split('+'), tokenTtlSeconds: Number(process.env.TTL ?? 30), bindForm: process.env.BF as any });
  const by = (o: string) => [...r.values()].filter((x) => x.outcome === o).map((x) => x.id + (x.blockedBy ? `<${x.blockedBy}` : ''));
  console.log(`### ${f} ${Date.now() - t0} ms\n failed: ${by('failed').join(' ')}\n warning: ${by('warning').join(' ')}\n error: ${by('error').join(' ')}\n blocked: ${by('blocked').join(' ')}`);
  for (const x of r.values()) if (x.outcome === 'failed' && process.env.WHY) console.log('   WHY', x.id, x.reason?.slice(0, 400));
});
