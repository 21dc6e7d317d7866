/** One readable block per benchmark result, for the console (run-all.ts) and BENCHMARKS.md. */
import type { LongFuzzResult } from './fuzz.js';
import type { SocketScaleResult } from './socket-scale.js';
import type { SuiteRun, SuiteWallTimeResult } from './suite-wall-time.js';
import type { ThroughputResult } from './token-throughput.js';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

export function describeSuite(result: SuiteWallTimeResult): string {
  const lines = result.medians.map((run, i) => `${describeSuiteRun(run, result.goal)}\n${describeFloor(run, result.playwrightFloor[i])}`);
  const all = result.runs.map((r) => `${r.workers}: ${s(r.wallMs)}`).join(', ');
  return [...lines, `all runs (wall): ${all}`].join('\n');
}

function describeSuiteRun(run: SuiteRun, goal: SuiteWallTimeResult['goal']): string {
  const kinds = Object.entries(run.byKind).map(([k, ms]) => `${k} ${s(ms)}`).join(', ');
  return [
    `workers ${run.workers} (median): total ${s(run.wallMs)} [goal ≤ ${s(goal.totalMs)}: ${verdict(run.wallMs <= goal.totalMs)}], ` +
      `protocol timers ${s(run.timerWallMs)} of wall time, harness overhead ${s(run.overheadMs)} [goal ≤ ${s(goal.overheadMs)}: ${verdict(run.overheadMs <= goal.overheadMs)}]; ` +
      `verdict ${run.verdict}, exit ${run.exitCode}`,
    `  phases: before first test ${s(run.beforeTestsMs)}, first test → first request ${s(run.untilFirstRequestMs ?? 0)}, ` +
      `tests ${s(run.testsMs)}, last request → end of tests ${s(run.afterLastRequestMs ?? 0)}, reports/exit ${s(run.afterTestsMs)}`,
    `  timer worker-time ${s(run.timerWorkerMs)} (${kinds}) of ${s(run.scenarioWorkerMs)} scenario worker-time; ` +
      `longest: ${run.longestTimerScenario ? `${run.longestTimerScenario.id} ${s(run.longestTimerScenario.timerMs)} of timers in ${s(run.longestTimerScenario.durationMs)}` : 'none'}`,
  ].join('\n');
}

function describeFloor(run: SuiteRun, floor: SuiteWallTimeResult['playwrightFloor'][number] | undefined): string {
  if (!floor) return '  (no Playwright floor measured)';
  const firstRequest = run.beforeTestsMs + (run.untilFirstRequestMs ?? 0);
  return `  Playwright's own floor (empty project, ${floor.workers} workers): first test at ${s(floor.firstTestMs)}; this suite's first request at ${s(firstRequest)} (${s(firstRequest - floor.firstTestMs)} more)`;
}

export function describeThroughput(result: ThroughputResult): string {
  const side = (name: string, r: ThroughputResult['bare']) =>
    `${name}: ${r.requestsPerSecond} req/s (rounds ${r.perRound.join(', ')}), latency p50 ${r.latencyP50Ms} ms p99 ${r.latencyP99Ms} ms, ${r.requests} requests, non-2xx ${r.non2xx}, errors ${r.errors}`;
  return [
    side('reference server', result.reference),
    side('bare node:http  ', result.bare),
    `ratio ${(result.ratio * 100).toFixed(1)} % [goal ≥ ${result.goal * 100} %: ${verdict(result.met)}] — ${result.options.connections} keep-alive connections, ` +
      `${result.options.rounds} × ${result.options.durationSeconds} s per side, ${result.responseBytes}-byte response`,
  ].join('\n');
}

export function describeSockets(result: SocketScaleResult): string {
  const load = result.loadMode;
  const last = result.steps[result.steps.length - 1];
  return [
    `load mode, ${load.clients} clients: ${load.succeeded} succeeded; bind → handshake p50 ${load.handshakeLatencyMs.p50} ms, p99 ${load.handshakeLatencyMs.p99} ms, max ${load.handshakeLatencyMs.max} ms (${s(load.durationMs)} in all)`,
    `burst, ${result.burst.sockets} sockets open, all binds at once: ${result.burst.bound} bound; bind → handshake p50 ${result.burst.latency.p50} ms, p99 ${result.burst.latency.p99} ms, max ${result.burst.latency.max} ms`,
    `growth: ${result.maxBound} bound sockets held, server RSS ${mb(result.rssAtMaxBytes)} (baseline ${mb(result.baseline.rss)}, ≈ ${(result.bytesPerSocket / 1024).toFixed(1)} KB per socket), ` +
      `heap ${mb(last?.server.heapUsed ?? 0)}, open fds ${last?.server.openFds ?? '?'} [goal ≥ ${result.options.targetSockets} in ≤ ${mb(result.options.rssLimitBytes)}: ${verdict(result.goalMet)}]`,
    `  stopped: ${result.stoppedBecause}; open-files limit: server ${result.limits.serverOpenFiles}, bench ${result.limits.benchOpenFiles}`,
    `  metadata while all sockets held: ${result.serverAnsweredAtPeak ? 'answered' : 'no answer'}; after the clients let go: ${result.serverAliveAfterRelease ? 'answered (no crash)' : 'NO ANSWER'}`,
  ].join('\n');
}

export function describeFuzz(result: LongFuzzResult): string {
  return `${result.summary}\nheap growth after GC ${(result.heapGrowthBytes / 2 ** 20).toFixed(1)} MB; ${result.passed ? 'no violations' : `VIOLATIONS: ${JSON.stringify([...result.report.http.violations, ...result.report.ws.violations].slice(0, 10), null, 2)}`}`;
}
