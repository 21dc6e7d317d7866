/**
 * wait: a fixed duration, or until an instant (a token's stated expiration, plus or minus an
 * offset). A wait longer than the run's maxWait skips the scenario and says how long it would have
 * been, so long-lived tokens never stall a pipeline.
 */
import { interpolate } from '../../checks/interpolate.js';
import { ScenarioSkip } from '../../errors.js';
import type { SetStep, WaitStep } from '../../scenario/model.js';
import { describeDuration } from '../describe.js';
import type { ScenarioContext } from '../scenario-context.js';

export async function runWaitStep(step: WaitStep, ctx: ScenarioContext): Promise<void> {
  const ms = waitDuration(step, ctx);
  const maxWait = ctx.target.config.maxWaitMs;
  if (ms > maxWait) {
    const prefix = step.wait.skipReason ?? 'the wait is longer than maxWait';
    throw new ScenarioSkip(`${prefix}: it would take ${describeDuration(ms)}, more than maxWait ${describeDuration(maxWait)} (raise --max-wait to run it)`);
  }
  // a minute of silence looks like a hang: say what is being waited for
  if (ms >= ANNOUNCE_WAITS_FROM_MS) ctx.progress?.(`waiting ${describeDuration(ms)} ${step.name ? `(${step.name})` : step.wait.until !== undefined ? 'for an instant the scenario names' : ''}`.trim());
  if (ms > 0) await sleep(ms);
}

const ANNOUNCE_WAITS_FROM_MS = 3_000;

function waitDuration(step: WaitStep, ctx: ScenarioContext): number {
  if (step.wait.until === undefined) return step.wait.duration ?? 0;
  const text = interpolate(step.wait.until, ctx.vars);
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) throw new ScenarioSkip(`cannot wait until "${text}": not an instant the suite can read (the outputs chapter reports the format)`);
  return instant + (step.wait.offset ?? 0) - Date.now();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function runSetStep(step: SetStep, ctx: ScenarioContext): Promise<void> {
  for (const [name, template] of Object.entries(step.set)) ctx.vars.set(name, interpolate(template, ctx.vars));
}
