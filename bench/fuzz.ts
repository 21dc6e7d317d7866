/**
 * The long fuzz: the hardening test's fuzzer (test/hardening/fuzz) at 200,000 cases, bounded by
 * time — 180,000 HTTP requests and 20,000 websocket frames plus two floods of 2,000 binds, each
 * fuzzer stopped after `deadlineMs` whatever it reached. Seed from FWC_FUZZ_SEED or random.
 */
import { describeFuzzReport, fuzzReferenceServer, type FuzzReport } from '../test/hardening/fuzz/fuzz-reference-server.js';
import { fuzzSeed } from '../test/hardening/fuzz/prng.js';
import { spawnReferenceServer } from './support/spawn-reference-server.js';

export interface LongFuzzOptions {
  httpCases: number;
  wsFrames: number;
  floodBinds: number;
  deadlineMs: number;
}

export interface LongFuzzResult {
  options: LongFuzzOptions;
  report: FuzzReport;
  summary: string;
  heapGrowthBytes: number;
  passed: boolean;
}

export const DEFAULT_LONG_FUZZ: LongFuzzOptions = { httpCases: 180_000, wsFrames: 20_000, floodBinds: 2_000, deadlineMs: 120_000 };

export async function benchLongFuzz(options: LongFuzzOptions = DEFAULT_LONG_FUZZ): Promise<LongFuzzResult> {
  const server = await spawnReferenceServer({ fhirVersion: 'R5' });
  let report: FuzzReport;
  try {
    report = await fuzzReferenceServer(server, { seed: fuzzSeed(), ...options });
  } finally {
    await server.close();
  }
  const heapGrowthBytes = report.memory.after.heapUsed - report.memory.baseline.heapUsed;
  const fiveHundreds = Object.keys(report.http.byStatus).some((status) => Number(status) >= 500);
  return {
    options,
    report,
    summary: describeFuzzReport(report),
    heapGrowthBytes,
    passed: !report.notAliveAfter && !fiveHundreds && report.http.violationCount === 0 && report.ws.violationCount === 0,
  };
}
