/**
 * Run order for a parallel run: scenarios that must sit on protocol timers (token expiry,
 * heartbeats, "nothing arrives" windows) start first, so the short ones fill the other workers
 * around them instead of the long ones starting last and stretching the wall time.
 * Only the schedule changes; reports sort by id.
 */
import type { Scenario, ScenarioFile } from '../scenario/model.js';

/** Unknown waits (until a token's expiration) count as long. */
const UNTIL_WAIT_MS = 10_000;

export function estimatedWaitMs(scenario: Scenario, silenceMs: number): number {
  let total = 0;
  for (const step of scenario.steps) {
    if (step.kind === 'wait') total += step.wait.until !== undefined ? UNTIL_WAIT_MS : (step.wait.duration ?? 0);
    if (step.kind === 'ws.expectNone') total += step['ws.expectNone'].for ?? silenceMs;
    if (step.kind === 'ws.expect' && step['ws.expect'].exactly) total += step['ws.expect'].within ?? 0;
    if (step.kind === 'ws.expect' && step['ws.expect'].match.notification === 'heartbeat') total += step['ws.expect'].within ?? 0;
  }
  return total;
}

export function longestFirst(files: readonly ScenarioFile[], silenceMs: number): ScenarioFile[] {
  const sorted = files.map((file) => ({
    ...file,
    scenarios: [...file.scenarios].sort((a, b) => estimatedWaitMs(b, silenceMs) - estimatedWaitMs(a, silenceMs)),
  }));
  const longest = (file: ScenarioFile) => Math.max(0, ...file.scenarios.map((s) => estimatedWaitMs(s, silenceMs)));
  return sorted.sort((a, b) => longest(b) - longest(a));
}
