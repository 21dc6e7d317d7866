/**
 * Learns the server's bind form once, before any scenario runs, on a Subscription of its own:
 * probing inside a scenario would spend the scenario's token lifetime (a 30 s token, three forms,
 * a silent server: the token could expire before the scenario binds it).
 */
import type { Scenario } from '../scenario/model.js';
import { setUpFixtures } from './fixtures.js';
import { ScenarioContext } from './scenario-context.js';
import { learnBindForm } from './steps/bind-forms.js';
import type { Target } from './target.js';

const WARM_UP: Scenario = {
  id: 'warm-up.bind-form',
  title: 'learn the bind form',
  requirements: [],
  level: 'DEF',
  preconditions: [],
  fixtures: [{ subscription: 'probe', channel: 'websocket', location: { file: '(warm-up)', line: 1, column: 1 } }],
  steps: [],
  location: { file: '(warm-up)', line: 1, column: 1 },
  file: '(warm-up)',
};

/** Never throws: a server where this fails is left to the scenarios, which report why. */
export async function learnBindFormUpFront(target: Target): Promise<void> {
  if (target.config.bindForm !== 'auto' || target.learned.bindForm) return;
  if (!target.capabilities.has('create-subscriptions') && target.config.subscriptions.existing.websocket.length === 0) return;
  const ctx = new ScenarioContext(WARM_UP, target);
  try {
    await setUpFixtures(ctx);
    const ids = [...ctx.fixtures.values()].map((f) => f.id);
    await learnBindForm(ids, ctx);
  } catch {
    // the scenarios will learn (or fail to) with their own evidence
  } finally {
    await ctx.cleanup();
  }
}
