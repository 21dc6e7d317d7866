/**
 * How much of a conformance run was spent waiting on protocol timers, derived from results.json
 * and the scenarios' step kinds.
 *
 * Timer steps are the ones whose duration the protocol (not the harness) decides:
 *   wait                     sleeping until a token expires (± offset) or for a fixed time
 *   ws.expectNone            a silence window ("no handshake for 1.5 s") always runs to its end
 *   ws.expect exactly: true  "exactly N" windows also run to their end
 *   ws.expect heartbeat      waiting for the server's heartbeat period to come round
 * Each timer step's interval is read from timestamps: it starts at the latest transcript entry or
 * check of the steps before it, and ends at its own check (made when the window closes) or, for a
 * wait step (which records nothing), at the first entry of the steps after it.
 *
 * With several workers the timer intervals of different scenarios overlap; their union on the wall
 * clock is the time during which at least one worker was waiting on a timer. The rest of the wall
 * time is harness overhead (process and worker start-up, loading, reports) plus server round trips.
 */
import type { RunResults, ScenarioResult } from '../../runner/report/results-types.js';
import type { ScenarioFile, Step } from '../../runner/scenario/model.js';

export type TimerKind = 'token-expiry wait' | 'silence window' | 'exactly-N window' | 'heartbeat wait';

export interface TimerInterval {
  scenario: string;
  step: number;
  kind: TimerKind;
  startMs: number;
  endMs: number;
}

export interface TimerShare {
  intervals: TimerInterval[];
  /** Σ interval lengths (worker-time). */
  timerWorkerMs: number;
  byKind: Record<TimerKind, number>;
  /** Length of the union of all intervals (wall-clock time with at least one timer running). */
  timerWallMs: number;
  /** Σ scenario durations (worker-time). */
  scenarioWorkerMs: number;
  /** The scenario with the most timer time, and how much (the floor for any schedule). */
  longestTimerScenario?: { id: string; timerMs: number; durationMs: number };
  /** Earliest and latest instant any scenario recorded anything (epoch ms). */
  firstActivityMs?: number;
  lastActivityMs?: number;
}

export function timerKind(step: Step): TimerKind | undefined {
  if (step.kind === 'wait') return 'token-expiry wait';
  if (step.kind === 'ws.expectNone') return 'silence window';
  if (step.kind === 'ws.expect' && step['ws.expect'].exactly) return 'exactly-N window';
  if (step.kind === 'ws.expect' && step['ws.expect'].match.notification === 'heartbeat') return 'heartbeat wait';
  return undefined;
}

export function timerShare(results: RunResults, suite: ScenarioFile[]): TimerShare {
  const steps = new Map(suite.flatMap((file) => file.scenarios.map((s) => [s.id, s.steps] as const)));
  const intervals = results.scenarios.flatMap((scenario) => scenarioIntervals(scenario, steps.get(scenario.id) ?? []));
  const byKind: Record<TimerKind, number> = { 'token-expiry wait': 0, 'silence window': 0, 'exactly-N window': 0, 'heartbeat wait': 0 };
  for (const interval of intervals) byKind[interval.kind] += interval.endMs - interval.startMs;
  const perScenario = new Map<string, number>();
  for (const i of intervals) perScenario.set(i.scenario, (perScenario.get(i.scenario) ?? 0) + i.endMs - i.startMs);
  const longest = [...perScenario.entries()].sort((a, b) => b[1] - a[1])[0];
  const stamps = results.scenarios.flatMap((scenario) => [...stampsByStep(scenario).values()].flat());
  return {
    ...(stamps.length > 0 ? { firstActivityMs: Math.min(...stamps), lastActivityMs: Math.max(...stamps) } : {}),
    intervals,
    timerWorkerMs: intervals.reduce((sum, i) => sum + i.endMs - i.startMs, 0),
    byKind,
    timerWallMs: unionLength(intervals),
    scenarioWorkerMs: results.scenarios.reduce((sum, s) => sum + s.durationMs, 0),
    ...(longest
      ? { longestTimerScenario: { id: longest[0], timerMs: longest[1], durationMs: results.scenarios.find((s) => s.id === longest[0])!.durationMs } }
      : {}),
  };
}

/** Timestamps (ms) of everything a scenario recorded, by step number. */
function stampsByStep(scenario: ScenarioResult): Map<number, number[]> {
  const byStep = new Map<number, number[]>();
  const add = (step: number | undefined, iso: string | undefined) => {
    if (step === undefined || iso === undefined) return;
    const ms = Date.parse(iso);
    if (!Number.isNaN(ms)) byStep.set(step, [...(byStep.get(step) ?? []), ms]);
  };
  for (const entry of scenario.transcript) add(entry.step ?? 0, entry.kind === 'http' ? entry.startedAt : entry.at);
  for (const check of scenario.checks) add(check.step, check.at);
  return byStep;
}

function scenarioIntervals(scenario: ScenarioResult, steps: Step[]): TimerInterval[] {
  const byStep = stampsByStep(scenario);
  const before = (k: number) => Math.max(...[...byStep.entries()].filter(([s]) => s < k).flatMap(([, t]) => t));
  const after = (k: number) => Math.min(...[...byStep.entries()].filter(([s]) => s > k).flatMap(([, t]) => t));
  const intervals: TimerInterval[] = [];
  steps.forEach((step, i) => {
    const index = i + 1;
    const kind = timerKind(step);
    if (!kind) return;
    const startMs = before(index);
    const checks = scenario.checks.filter((c) => c.step === index && c.at).map((c) => Date.parse(c.at!));
    const endMs = checks.length > 0 ? Math.min(...checks) : after(index);
    if (Number.isFinite(startMs) && Number.isFinite(endMs) && endMs > startMs) {
      intervals.push({ scenario: scenario.id, step: index, kind, startMs, endMs });
    }
  });
  return intervals;
}

export function unionLength(intervals: ReadonlyArray<{ startMs: number; endMs: number }>): number {
  const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let currentStart = -Infinity;
  let currentEnd = -Infinity;
  for (const { startMs, endMs } of sorted) {
    if (startMs > currentEnd) {
      if (currentEnd > currentStart) total += currentEnd - currentStart;
      currentStart = startMs;
      currentEnd = endMs;
    } else {
      currentEnd = Math.max(currentEnd, endMs);
    }
  }
  if (currentEnd > currentStart) total += currentEnd - currentStart;
  return total;
}
