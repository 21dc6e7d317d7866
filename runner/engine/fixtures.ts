/**
 * Scenario fixtures: Subscriptions created before the steps and deleted after them, even when the
 * scenario fails. Where the suite may not create Subscriptions, configured ids are handed out
 * instead (and never deleted).
 */
import { ScenarioSkip } from '../errors.js';
import { plural } from '../plural.js';
import type { SubscriptionFixture } from '../scenario/model.js';
import type { ScenarioContext } from './scenario-context.js';
import { subscriptionBody } from './subscription-body.js';
import { terminalLine } from '../cli/terminal-text.js';

export class FixtureSetupError extends Error {}

export async function setUpFixtures(ctx: ScenarioContext): Promise<void> {
  let websocketIndex = 0;
  for (const fixture of ctx.scenario.fixtures) {
    const index = fixture.channel === 'websocket' ? websocketIndex++ : 0;
    const id = ctx.target.config.subscriptions.create ? await createSubscription(fixture, ctx) : existingSubscription(fixture, ctx, index);
    ctx.fixtures.set(fixture.subscription, { ...fixture, id });
    ctx.vars.set(fixture.subscription, { id, reference: `Subscription/${id}` });
  }
}

async function createSubscription(fixture: SubscriptionFixture, ctx: ScenarioContext): Promise<string> {
  const { target } = ctx;
  if (!target.topic) throw new ScenarioSkip(target.missingCapabilityReasons.topic ?? 'no SubscriptionTopic to subscribe to');
  const body = subscriptionBody({ fixture, topic: target.topic, fhirVersion: target.fhirVersion, template: target.config.subscriptions.template });
  const result = await ctx.http.request({ method: 'POST', path: 'Subscription', body });
  const id = (result.json as { id?: unknown } | undefined)?.id ?? idFromLocation(result.headers.location);
  if (result.ok && result.status !== undefined && result.status >= 400 && result.status < 500) skipIfRefusalIsLegitimate(fixture, result.status, ctx);
  if (!result.ok || result.status === undefined || result.status >= 300 || typeof id !== 'string') {
    const answer = result.ok ? `${result.status} ${(result.text ?? '').slice(0, 200)}` : result.error;
    throw new FixtureSetupError(
      `could not create a ${fixture.channel} Subscription for fixture "${fixture.subscription}" (POST Subscription → ${terminalLine(ctx.redact(answer ?? ''))}); ` +
        'set subscriptions.template or subscriptions.existing in the config',
    );
  }
  ctx.onCleanup({
    label: `delete Subscription/${id}`,
    run: async () => {
      await ctx.http.request({ method: 'DELETE', path: `Subscription/${encodeURIComponent(id)}` });
    },
  });
  const created = createdChannelType(result.json);
  if (created !== undefined && created !== fixture.channel) {
    throw new ScenarioSkip(
      `the server created a ${JSON.stringify(created).slice(0, 40)} Subscription where fixture "${fixture.subscription}" asks for ${fixture.channel}, so the scenario cannot test what it says`,
    );
  }
  return id;
}

/**
 * A 4xx at creation that the spec allows is a skip, not a harness error: a fixture that says so
 * (`ifRefused`, e.g. an XML Subscription), or a rest-hook one (websocket is what the suite tests; a
 * server need not offer rest-hook at all).
 */
function skipIfRefusalIsLegitimate(fixture: SubscriptionFixture, status: number, ctx: ScenarioContext): void {
  if (fixture.ifRefused) {
    if (fixture.ifRefused.record) ctx.profile[fixture.ifRefused.record] = 'refused';
    throw new ScenarioSkip(`${fixture.ifRefused.skip} (POST Subscription → ${status})`);
  }
  if (fixture.channel === 'rest-hook') {
    throw new ScenarioSkip(`the server does not create a rest-hook Subscription (POST Subscription → ${status}), so there is none to ask a token for`);
  }
}

/** The channel type of the Subscription the server says it created (R5 channelType.code, R4/R4B channel.type). */
function createdChannelType(json: unknown): string | undefined {
  const resource = json as { channelType?: { code?: unknown }; channel?: { type?: unknown } } | undefined;
  const code = resource?.channelType?.code ?? resource?.channel?.type;
  return typeof code === 'string' ? code : undefined;
}

function idFromLocation(location: string | undefined): string | undefined {
  return location ? /Subscription\/([^/]+)/.exec(location)?.[1] : undefined;
}

/** The index-th configured websocket Subscription (or the rest-hook one). */
function existingSubscription(fixture: SubscriptionFixture, ctx: ScenarioContext, index: number): string {
  const existing = ctx.target.config.subscriptions.existing;
  if (fixture.channel === 'rest-hook') {
    if (!existing.restHook) throw new ScenarioSkip('needs a rest-hook Subscription: set subscriptions.existing.restHook in the config');
    return existing.restHook;
  }
  const id = existing.websocket[index];
  if (!id) throw new ScenarioSkip(`needs ${plural(index + 1, 'websocket Subscription')}: list more ids in subscriptions.existing.websocket`);
  return id;
}
