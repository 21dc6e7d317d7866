/**
 * Fan-out at scale (issue 14 "At scale"): load mode (`--load N`, runner/load/) against the reference
 * server in its own process — N sockets bound round-robin over the load pool of Subscriptions, then
 * one Patient create, and the time from sending it to each socket's event notification. N = 1,000
 * (goal: p95 ≤ 250 ms, 0 lost) and 5,000 (reported). Its own bench, so it can be repeated alone
 * (`npm run bench -- fanout`): on a shared 2-core machine one run says little.
 */
import { runLoad, type LoadResult } from '../runner/load/load-test.js';
import { withServer, type ServerProcess } from './support/spawn-reference-server.js';

const TOPIC = 'http://example.org/fhir/SubscriptionTopic/patient-create';

export interface FanOutRun { sockets: number; fanOut: LoadResult['fanOut']; bound: number; goalP95Ms?: number; goalMet?: boolean }

/** Each size against a fresh server (the 5,000 run must not inherit the 1,000 run's sockets); tokens
 * outlive the run, since binding 5,000 sockets on a loaded machine may take minutes. */
export async function benchFanOut(): Promise<FanOutRun[]> {
  const options = { fhirVersion: 'R5', tokenTtlSeconds: 3600 } as const;
  return [await withServer(options, (s) => fanOut(s, 1_000, 250)), await withServer(options, (s) => fanOut(s, 5_000))];
}

async function fanOut(server: ServerProcess, sockets: number, goalP95Ms?: number): Promise<FanOutRun> {
  const timeouts = { httpMs: 30_000, connectMs: 30_000, handshakeMs: 30_000, silenceMs: 1_500 };
  const result = await runLoad({
    baseUrl: server.url, clients: sockets, timeouts, fhirVersion: 'R5', topic: TOPIC, deadlineMs: 180_000,
    fanOutTrigger: { resourceType: 'Patient', name: [{ family: 'FanOutBench' }] },
  });
  const p95 = result.fanOut?.latencyMs.p95;
  return {
    sockets,
    bound: result.succeeded,
    fanOut: result.fanOut,
    ...(goalP95Ms !== undefined ? { goalP95Ms, goalMet: p95 !== null && p95 !== undefined && p95 <= goalP95Ms && result.fanOut!.lost === 0 } : {}),
  };
}

export function describeFanOut(runs: FanOutRun[]): string {
  return runs.map((run) => {
    const fo = run.fanOut;
    const what = fo
      ? `${fo.notified}/${fo.sockets} notified, ${fo.lost} lost, p50 ${fo.latencyMs.p50} ms, p95 ${fo.latencyMs.p95} ms, max ${fo.latencyMs.max} ms over ${fo.subscriptions} Subscriptions; the create answered after ${fo.trigger.answeredMs} ms`
      : 'not measured';
    const goal = run.goalP95Ms !== undefined ? ` [goal p95 ≤ ${run.goalP95Ms} ms, 0 lost: ${run.goalMet ? 'met' : 'NOT met'}]` : '';
    return `fan-out with ${run.sockets} sockets (${run.bound} bound): ${what}${goal}`;
  }).join('\n');
}
