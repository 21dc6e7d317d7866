/**
 * ws.observe: wait for matching frames and record in the server profile what happened. For the
 * behaviours the spec leaves open (delivery after expiry, duplicates after renewal, the fate of a
 * binding after an unknown frame: DIGEST §4.6, §8), the observation is the result; the step adds an
 * informational check that always passes, so the report shows what was seen and where.
 */
import { interpolateValue } from '../../checks/interpolate.js';
import type { Frame } from '../../net/ws-client.js';
import type { ObservedOutcome, WsObserveStep } from '../../scenario/model.js';
import { describeDuration } from '../describe.js';
import type { ScenarioContext } from '../scenario-context.js';
import { describeFrames, describeMatcher, frameMatches } from './frame-matching.js';
import { socketFor } from './ws-steps.js';

export async function runWsObserveStep(step: WsObserveStep, ctx: ScenarioContext): Promise<void> {
  const spec = interpolateValue(step['ws.observe'], ctx.vars) as WsObserveStep['ws.observe'];
  const socket = socketFor(ctx, spec.socket);
  const count = spec.count ?? 1;
  const within = spec.within ?? ctx.target.config.timeouts.handshakeMs;
  const waited = await socket.waitFor((frame: Frame) => frameMatches(frame, spec.match), {
    count,
    withinMs: within,
    since: spec.since ?? 'last-send',
    fullWindow: spec.fullWindow,
  });
  const observed = observation(waited.matched.length, count, spec.fullWindow === true, waited.closed !== undefined && !waited.closed.byClient);
  const value = spec.values?.[observed] ?? observed;
  ctx.profile[spec.record] = value;
  ctx.addCheck({
    id: `step${ctx.stepIndex}.observe`,
    label: `observed on ${spec.socket}: ${describeMatcher(spec.match)} (recorded as ${spec.record})`,
    expected: `recorded, not judged: ${count} × within ${describeDuration(within)}`,
    actual: `${value} (${waited.matched.length} matching; ${describeFrames(waited.all, (s) => ctx.redact(s))})`,
    passed: true,
    level: 'MAY',
    requirement: step.requirement,
  });
}

function observation(matched: number, count: number, fullWindow: boolean, closedByServer: boolean): ObservedOutcome {
  if (fullWindow && matched > count) return 'more';
  if (matched >= count) return 'arrived';
  return closedByServer ? 'closed' : 'none';
}
