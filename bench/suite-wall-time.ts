/**
 * The whole conformance suite against the bundled reference server with a 3 s token lifetime
 * (`--token-ttl 3`), run through the CLI as a user would, timed from process start to exit, and split
 * into time spent waiting on protocol timers (support/timer-share.ts) and everything else.
 * Goal: ≤ 15 s in total, harness overhead ≤ 3 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProjectSuite } from '../runner/suite/project-suite.js';
import { measurePlaywrightFloor, type PlaywrightFloor } from './support/playwright-floor.js';
import { runCli } from './support/run-cli.js';
import { timerShare, type TimerKind } from './support/timer-share.js';

export interface SuiteWallTimeOptions {
  /** Runs per worker count; the median is reported. */
  runs: number;
  /** Playwright worker counts to try (undefined: the CLI's default). */
  workers: Array<number | undefined>;
}

export interface SuiteRun {
  workers: number | 'default';
  exitCode: number | null;
  verdict?: string;
  summary?: unknown;
  wallMs: number;
  /** Process start → Playwright's first test (CLI start, suite load, Playwright and workers start). */
  beforeTestsMs: number;
  /** First test → last test (results.json startedAt → finishedAt). */
  testsMs: number;
  /** First test → the first request any scenario made (workers start, target discovery). */
  untilFirstRequestMs?: number;
  /** The last thing any scenario recorded → the run's end (clean-up, reporters). */
  afterLastRequestMs?: number;
  /** Last test → process exit (reports, teardown). */
  afterTestsMs: number;
  /** Wall-clock time with at least one protocol timer running. */
  timerWallMs: number;
  /** wallMs − timerWallMs: process and worker start-up, loading, requests, reports. */
  overheadMs: number;
  timerWorkerMs: number;
  byKind: Record<TimerKind, number>;
  longestTimerScenario?: { id: string; timerMs: number; durationMs: number };
  scenarioWorkerMs: number;
}

export interface SuiteWallTimeResult {
  runs: SuiteRun[];
  /** Median run per worker setting. */
  medians: SuiteRun[];
  /** An empty Playwright project's start-up per worker setting: the part of the overhead the runner itself sets. */
  playwrightFloor: PlaywrightFloor[];
  goal: { totalMs: number; overheadMs: number };
}

/** playwright.config.ts's default when --workers is not given. */
const DEFAULT_WORKERS = 4;

export const DEFAULT_SUITE_WALL_TIME: SuiteWallTimeOptions = { runs: 3, workers: [undefined, 8] };

export async function benchSuiteWallTime(options: SuiteWallTimeOptions = DEFAULT_SUITE_WALL_TIME): Promise<SuiteWallTimeResult> {
  const suite = loadProjectSuite();
  const runs: SuiteRun[] = [];
  const medians: SuiteRun[] = [];
  const playwrightFloor: PlaywrightFloor[] = [];
  for (const workers of options.workers) {
    playwrightFloor.push(await measurePlaywrightFloor(workers ?? DEFAULT_WORKERS));
    const these: SuiteRun[] = [];
    for (let i = 0; i < options.runs; i++) these.push(await oneRun(workers, suite));
    runs.push(...these);
    medians.push([...these].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(these.length / 2)]!);
  }
  return { runs, medians, playwrightFloor, goal: { totalMs: 15_000, overheadMs: 3_000 } };
}

async function oneRun(workers: number | undefined, suite: ReturnType<typeof loadProjectSuite>): Promise<SuiteRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fwc-bench-suite-'));
  try {
    const args = ['--token-ttl', '3', ...(workers ? ['--workers', String(workers)] : [])];
    const run = await runCli(args, path.join(dir, 'report'), 180_000);
    if (!run.results) throw new Error(`the suite run wrote no results.json (exit ${run.exitCode}): ${run.stderrTail}`);
    const share = timerShare(run.results, suite);
    const testsStart = Date.parse(run.results.startedAt);
    const testsEnd = Date.parse(run.results.finishedAt);
    return {
      workers: workers ?? 'default',
      exitCode: run.exitCode,
      verdict: run.results.verdict,
      summary: run.results.summary,
      wallMs: run.wallMs,
      beforeTestsMs: testsStart - run.startedAtMs,
      testsMs: testsEnd - testsStart,
      ...(share.firstActivityMs !== undefined ? { untilFirstRequestMs: share.firstActivityMs - testsStart } : {}),
      ...(share.lastActivityMs !== undefined ? { afterLastRequestMs: testsEnd - share.lastActivityMs } : {}),
      afterTestsMs: run.endedAtMs - testsEnd,
      timerWallMs: Math.round(share.timerWallMs),
      overheadMs: Math.round(run.wallMs - share.timerWallMs),
      timerWorkerMs: Math.round(share.timerWorkerMs),
      byKind: share.byKind,
      ...(share.longestTimerScenario ? { longestTimerScenario: share.longestTimerScenario } : {}),
      scenarioWorkerMs: share.scenarioWorkerMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
