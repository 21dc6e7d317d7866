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
import { startEmbeddedTarget } from '../../runner/engine/embedded-target.js';

export interface InProcessRun {
  fhirVersion: FhirVersion;
  faults?: string[];
  tokenFormat?: 'opaque' | 'jwt';
  tokenTtlSeconds?: number;
  only?: readonly string[];
  /** Pin the bind form (config bindForm), as a config file can. */
  bindForm?: RunConfig['bindForm'];
  /** Scenarios in flight at once (default 24). */
  concurrency?: number;
  /** --soak for connections.idle.survives (absent: that scenario is skipped). */
  soakMs?: number;
}

const suite = loadProjectSuite();

export function testRunConfig(server: string, fhirVersion: FhirVersion): RunConfig & { server: string } {
  const config = defaultRunConfig();
  return {
    ...config,
    server,
    fhirVersion,
    // Generous bounds: two workers each run several servers side by side in one process on a 2-core
    // machine that may be busy. No fault hangs a connection or a request, so these cost nothing.
    timeouts: { httpMs: 15_000, connectMs: 15_000, handshakeMs: 5_000, silenceMs: 1_500 },
    maxWaitMs: 20_000,
  };
}

export async function runSuiteAgainstReference(options: InProcessRun): Promise<Map<string, ScenarioResult>> {
  // started as the CLI starts it: two identities, the run configured with both
  const config: RunConfig = {
    ...testRunConfig('', options.fhirVersion),
    ...(options.soakMs ? { soakMs: options.soakMs } : {}),
    server: undefined,
    ...(options.bindForm ? { bindForm: options.bindForm } : {}),
    reference: { fhirVersion: options.fhirVersion, faults: options.faults ?? [], tokenFormat: options.tokenFormat, tokenTtlSeconds: options.tokenTtlSeconds ?? 5 },
  };
  const server = await startEmbeddedTarget(config);
  try {
    const target = await discoverTarget({ ...config, server: server.url });
    const { results } = await runSuite(suite, target, { only: options.only, concurrency: options.concurrency ?? 24 });
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

/**
 * Whole-suite runs mostly wait on the servers' timers, so a test holds several in flight: `work`
 * on every item, at most `limit` at once.
 */
export async function eachAtMost<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

/** Items in consecutive groups of `size` (the last one shorter): one test per group. */
export function inGroupsOf<T>(size: number, items: readonly T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
