/**
 * Test support: the bundled suite run in-process against a reference server started with the
 * given faults, with short timers so the whole suite takes seconds.
 */
import { defaultRunConfig, type RunConfig } from '../../runner/config/run-config.js';
import { discoverTarget } from '../../runner/engine/discover-target.js';
import { runSuite } from '../../runner/engine/run-suite.js';
import type { ScenarioResult } from '../../runner/report/results-types.js';
import type { FhirVersion } from '../../runner/scenario/model.js';
import { loadProjectSuite } from '../../runner/suite/project-suite.js';
import { startReferenceServer } from '../../reference-server/src/server.js';

export interface InProcessRun {
  fhirVersion: FhirVersion;
  faults?: string[];
  tokenFormat?: 'opaque' | 'jwt';
  tokenTtlSeconds?: number;
  only?: readonly string[];
}

const suite = loadProjectSuite();

export function testRunConfig(server: string, fhirVersion: FhirVersion): RunConfig & { server: string } {
  const config = defaultRunConfig();
  return {
    ...config,
    server,
    fhirVersion,
    // Generous bounds: two workers each run three servers side by side on a 2-core CI machine.
    timeouts: { httpMs: 10_000, connectMs: 5_000, handshakeMs: 5_000, silenceMs: 1_500 },
    maxWaitMs: 20_000,
  };
}

export async function runSuiteAgainstReference(options: InProcessRun): Promise<Map<string, ScenarioResult>> {
  const server = await startReferenceServer({
    fhirVersion: options.fhirVersion,
    faults: options.faults as never,
    tokenFormat: options.tokenFormat,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3,
  });
  try {
    const target = await discoverTarget(testRunConfig(server.url, options.fhirVersion));
    const { results } = await runSuite(suite, target, { only: options.only, concurrency: 24 });
    return new Map(results.map((r) => [r.id, r]));
  } finally {
    await server.close();
  }
}

/** "id: outcome (reason)" lines for the scenarios that did not pass: the assertion message. */
export function describeNonPassing(results: Map<string, ScenarioResult>): string {
  return [...results.values()]
    .filter((r) => r.outcome !== 'passed')
    .map((r) => `${r.id}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`)
    .join('\n');
}
