/**
 * ws.soak: idle survival. Load balancers drop sockets idle for 60 s (DIGEST §6.10); heartbeats
 * are what keeps them. The step leaves a bound socket alone for the run's --soak duration, then
 * judges the heartbeat gaps for one Subscription (first heartbeat after the start, between
 * heartbeats, last one to the end): none may exceed heartbeatPeriod + tolerance (WS-08, SHOULD by
 * the step's level). The jitter |gap − period| is recorded (p50 / p95 / max, in ms). Without
 * --soak the scenario is skipped with the reason; the wait is opt-in because it is long.
 */
import { plural } from '../../plural.js';
import { interpolateValue } from '../../checks/interpolate.js';
import { ScenarioSkip } from '../../errors.js';
import { percentile } from '../../load/latency-summary.js';
import type { Frame } from '../../net/ws-client.js';
import { matchesSubscription, normalizeNotification } from '../../notifications/normalize.js';
import type { WsSoakStep } from '../../scenario/model.js';
import { describeDuration } from '../describe.js';
import type { ScenarioContext } from '../scenario-context.js';
import { socketFor } from './ws-steps.js';

const DEFAULT_TOLERANCE_MS = 1_500;

export async function runWsSoakStep(step: WsSoakStep, ctx: ScenarioContext): Promise<void> {
  const soakMs = ctx.target.config.soakMs;
  if (!soakMs) throw new ScenarioSkip('idle survival is opt-in: run with --soak <duration> (e.g. --soak 90s) or soak: in the config');
  const spec = interpolateValue(step['ws.soak'], ctx.vars) as WsSoakStep['ws.soak'];
  const socket = socketFor(ctx, spec.socket);
  const periodMs = spec.heartbeatPeriod * 1000;
  const limitMs = periodMs + (spec.tolerance ?? DEFAULT_TOLERANCE_MS);
  const startedAt = Date.now();
  const isHeartbeat = (frame: Frame) => isHeartbeatFor(frame, spec.subscription, ctx);
  // Never met (count is out of reach): the wait is the whole soak, unless the server closes the socket.
  const waited = await socket.waitFor(isHeartbeat, { count: Number.MAX_SAFE_INTEGER, withinMs: soakMs, since: 'now' });
  const endedAt = Date.now();
  const times = [startedAt, ...waited.matched.map((frame) => frame.at), endedAt];
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const between = gaps.slice(1, -1); // heartbeat to heartbeat: the jitter sample
  const worst = Math.max(...gaps);
  ctx.profile.idleSurvival = { soakSeconds: Math.round((endedAt - startedAt) / 1000), heartbeats: waited.matched.length, closedByServer: !!waited.closed && !waited.closed.byClient };
  if (between.length > 0) ctx.profile.heartbeatJitterMs = jitter(between, periodMs);
  ctx.addCheck({
    id: `step${ctx.stepIndex}.soak`,
    label: `heartbeats for Subscription ${spec.subscription} keep an idle socket alive for ${describeDuration(endedAt - startedAt)}`,
    expected: `a heartbeat at least every ${describeDuration(limitMs)} (heartbeatPeriod ${spec.heartbeatPeriod} s + tolerance), socket open`,
    actual: `${plural(waited.matched.length, 'heartbeat')}, longest gap ${describeDuration(worst)}${waited.closed && !waited.closed.byClient ? `, closed by the server (code ${waited.closed.code})` : ''}`,
    passed: worst <= limitMs && !(waited.closed && !waited.closed.byClient),
    level: ctx.levelFor(step.level),
    requirement: step.requirement,
  });
}

function isHeartbeatFor(frame: Frame, subscription: string, ctx: ScenarioContext): boolean {
  const view = frame.json === undefined ? null : normalizeNotification(frame.json, { fhirVersion: ctx.target.fhirVersion });
  return view !== null && view.type === 'heartbeat' && matchesSubscription(view, subscription);
}

/** p50 / p95 / max of |gap − period| in ms (nearest-rank percentiles, as load mode's latencies). */
export function jitter(gaps: number[], periodMs: number): { p50: number; p95: number; max: number; samples: number } {
  const deviations = gaps.map((gap) => Math.abs(gap - periodMs)).sort((a, b) => a - b);
  return { p50: percentile(deviations, 50), p95: percentile(deviations, 95), max: percentile(deviations, 100), samples: deviations.length };
}
