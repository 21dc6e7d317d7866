/**
 * --load <n>: after the conformance run, n concurrent clients each get a token and bind; the
 * result joins results.json and every report is written again (one writer, one secret guard).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunConfig } from '../config/run-config.js';
import { discoverTarget } from '../engine/discover-target.js';
import { runLoad } from '../load/load-test.js';
import type { RunResults } from '../report/results-types.js';
import { writeReports } from '../report/write-reports.js';

export async function addLoadResult(config: RunConfig & { server: string }, clients: number, reportDir: string): Promise<void> {
  const target = await discoverTarget(config);
  const load = await runLoad({
    baseUrl: target.baseUrl,
    headers: target.authHeaders,
    clients,
    timeouts: config.timeouts,
    fhirVersion: target.fhirVersion,
    topic: target.topic,
    subscriptionIds: config.subscriptions.create ? undefined : config.subscriptions.existing.websocket,
    subscriptionTemplate: config.subscriptions.template,
    bindForm: target.learned.bindForm ?? config.bindForm,
    fanOutTrigger: fanOutTrigger(config.trigger, target.triggerResourceType),
    invocation: target.learned.invocation,
  });
  const file = path.join(reportDir, 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  results.load = load;
  writeReports(results, reportDir, { secrets: target.secrets });
  const p = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v)} ms`);
  process.stderr.write(
    `fhir-ws-conformance: load: ${load.succeeded}/${load.clients} clients bound (${(load.successRate * 100).toFixed(1)} %), ` +
      `handshake p50 ${p(load.handshakeLatencyMs.p50)}, p99 ${p(load.handshakeLatencyMs.p99)}\n`,
  );
  const fan = load.fanOut;
  if (fan) {
    process.stderr.write(
      `fhir-ws-conformance: load: fan-out ${fan.trigger.error ? `not measured (${fan.trigger.error})` : `${fan.notified}/${fan.sockets} sockets notified, ${fan.lost} lost, ` +
        `p50 ${p(fan.latencyMs.p50)}, p95 ${p(fan.latencyMs.p95)}, max ${p(fan.latencyMs.max)}`}\n`,
    );
  }
}

/** The run's trigger (config `trigger`), else a minimal resource of the type the topic watches. */
function fanOutTrigger(configured: Record<string, unknown> | undefined, resourceType: string): Record<string, unknown> {
  if (configured) return configured;
  return resourceType === 'Patient' ? { resourceType, name: [{ family: 'FwcLoadFanOut' }] } : { resourceType };
}
