/**
 * Scenarios marked `runsLast` (model.ts) start once every other selected scenario has finished.
 * In-process (engine/run-suite.ts) that is two phases; under Playwright the scenarios are tests
 * spread over worker processes, so each finished scenario leaves a marker file in the run's
 * output folder and a runsLast test waits for all of them before it runs. The wait is bounded:
 * a test the others never finish (a retry queued behind the waiting one on a single worker)
 * must not hang the run, so after the bound it goes ahead and says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const MARKERS = '.fwc-finished';
const POLL_MS = 200;

export function markFinished(outputDir: string, scenarioId: string): void {
  const dir = path.join(outputDir, MARKERS);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, encodeURIComponent(scenarioId)), '');
}

/** Resolves with the ids still unfinished when the bound ran out (empty: all finished). */
export async function waitForOthers(outputDir: string, others: readonly string[], boundMs: number): Promise<string[]> {
  const dir = path.join(outputDir, MARKERS);
  const deadline = Date.now() + boundMs;
  for (;;) {
    const finished = new Set(fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => decodeURIComponent(name)) : []);
    const waiting = others.filter((id) => !finished.has(id));
    if (waiting.length === 0 || Date.now() >= deadline) return waiting;
    await sleep(POLL_MS);
  }
}
