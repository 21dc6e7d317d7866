/**
 * A run-level probe on a websocket Subscription of its own: the fixture machinery of a scenario
 * (create, or take the first configured id; delete afterwards), outside any scenario, so what a
 * probe spends (tokens, binds, a deleted Subscription) never touches a scenario's own. Never throws:
 * a probe that cannot set up returns undefined and the run goes on without its observation.
 */
import type { Scenario } from '../scenario/model.js';
import { setUpFixtures } from './fixtures.js';
import { ScenarioContext } from './scenario-context.js';
import type { Target } from './target.js';

function probeScenario(id: string): Scenario {
  const location = { file: `(${id})`, line: 1, column: 1 };
  return {
    id,
    title: id,
    requirements: [],
    level: 'MAY',
    preconditions: [],
    fixtures: [{ subscription: 'probe', channel: 'websocket', location }],
    steps: [],
    location,
    file: location.file,
  };
}

/** Runs `probe` with a context and the id of a websocket Subscription; cleans up after it. */
export async function withProbeSubscription<T>(target: Target, name: string, probe: (ctx: ScenarioContext, subscriptionId: string) => Promise<T>): Promise<T | undefined> {
  if (!target.capabilities.has('create-subscriptions') && target.config.subscriptions.existing.websocket.length === 0) return undefined;
  const ctx = new ScenarioContext(probeScenario(name), target);
  try {
    await setUpFixtures(ctx);
    const id = ctx.fixtures.get('probe')?.id;
    return id === undefined ? undefined : await probe(ctx, id);
  } catch {
    return undefined;
  } finally {
    await ctx.cleanup();
  }
}

/**
 * Known without asking again: discovery (learn-protocol.ts) asked for a token by every invocation,
 * so none learned means none works. Saves a slow server's probes their timeouts.
 */
export function warmUpFoundNoInvocation(target: Target): boolean {
  return target.learned.invocations.length > 0 && target.learned.invocation === undefined;
}
