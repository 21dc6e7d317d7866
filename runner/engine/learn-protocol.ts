/**
 * Learns, once per run and before any scenario, how this server is called and bound, on a
 * Subscription of its own: which of the five invocations work (each tried with a known-good id;
 * what a failing one answered is what a missing route answers), the preferred one, which of the
 * three bind forms yield a handshake (all probed, each with a fresh token on a fresh socket, also
 * when the config pins one), and the token's kind and lifetime. Probing inside scenarios would
 * spend their tokens' lifetime and make results depend on which scenario ran first.
 */
import type { Scenario } from '../scenario/model.js';
import { SINGLE_ORDER } from '../protocol/invocation.js';
import { tokenKind } from '../protocol/issued-token.js';
import { obtainToken } from '../protocol/obtain-token.js';
import { BIND_FORMS } from '../protocol/bind-message.js';
import { probeBindForm } from '../protocol/probe-bind-form.js';
import { describeDuration } from './describe.js';
import { setUpFixtures } from './fixtures.js';
import { ScenarioContext } from './scenario-context.js';
import { nothingLearned, type InvocationProbe, type Learned, type Target } from './target.js';

const DISCOVERY: Scenario = {
  id: 'discovery.protocol',
  title: 'learn how the operation is called and how a token is bound',
  requirements: [],
  level: 'DEF',
  preconditions: [],
  fixtures: [{ subscription: 'probe', channel: 'websocket', location: { file: '(discovery)', line: 1, column: 1 } }],
  steps: [],
  location: { file: '(discovery)', line: 1, column: 1 },
  file: '(discovery)',
};

/** Never throws: what cannot be learned is noted, and the scenarios that need it are blocked. */
export async function learnProtocol(target: Target): Promise<Learned> {
  const pinned = target.config.bindForm !== 'auto' ? target.config.bindForm : undefined;
  const withPin = (learned: Learned): Learned => (pinned ? { ...learned, bindForm: pinned, bindFormSource: 'config' } : learned);
  if (target.unresponsive) return withPin(nothingLearned(`the server did not answer discovery: ${target.unresponsive}`));
  if (!target.capabilities.has('create-subscriptions') && target.config.subscriptions.existing.websocket.length === 0) {
    return withPin(nothingLearned('no websocket Subscription to learn with (the suite may not create one and none is configured)'));
  }
  const ctx = new ScenarioContext(DISCOVERY, target);
  try {
    await setUpFixtures(ctx);
    const id = [...ctx.fixtures.values()][0]!.id;
    return withPin(await learnWith(id, ctx));
  } catch (error) {
    return withPin(nothingLearned(`discovery could not set up a Subscription to learn with: ${ctx.redact((error as Error).message)}`));
  } finally {
    await ctx.cleanup();
  }
}

async function learnWith(id: string, ctx: ScenarioContext): Promise<Learned> {
  const learned = nothingLearned();
  // Side by side (independent requests), then read in preference order.
  const answers = await Promise.all(SINGLE_ORDER.map(async (invocation) => ({ invocation, obtained: await obtainToken(ctx.http, [id], [invocation]) })));
  for (const { invocation, obtained } of answers) {
    const probe: InvocationProbe = obtained.ok
      ? { invocation, works: true, status: obtained.result.status, detail: `${obtained.result.status} with a token and websocket-url` }
      : { invocation, works: false, ...(obtained.failures[0]?.status !== undefined ? { status: obtained.failures[0].status } : {}), detail: ctx.redact(obtained.failures[0]?.reason ?? 'not tried') };
    learned.invocations.push(probe);
    if (obtained.ok) {
      ctx.addSecret(obtained.issued.token);
      learned.invocation ??= invocation;
      learned.tokenKind ??= tokenKind(obtained.issued.token);
      if (learned.tokenLifetimeSeconds === undefined && obtained.issued.lifetimeMs !== undefined) learned.tokenLifetimeSeconds = Math.round(obtained.issued.lifetimeMs / 1000);
    }
  }
  if (!learned.invocation) {
    learned.notes.push(`no invocation gave a token for Subscription/${id}: ${learned.invocations.map((p) => `${p.invocation} → ${p.detail}`).join('; ')}`);
    return learned;
  }
  const { timeouts } = ctx.target.config;
  const setting = {
    http: ctx.http,
    fhirVersion: ctx.target.fhirVersion,
    connectMs: timeouts.connectMs,
    withinMs: timeouts.handshakeMs,
    describeDuration,
    transcript: ctx.transcript,
    onToken: (token: string) => ctx.addSecret(token),
  };
  // In parallel: a server silent on forms it does not know costs one handshake window, not three.
  // Details are redacted here: a websocket-url may carry the token, and these travel to the workers and reports.
  const probes = await Promise.all(BIND_FORMS.map((form) => probeBindForm(form, [id], [learned.invocation!], setting)));
  learned.bindForms = probes.map((probe) => ({ ...probe, detail: ctx.redact(probe.detail) }));
  const accepted = learned.bindForms.find((p) => p.accepted);
  if (accepted) {
    learned.bindForm = accepted.form;
    learned.bindFormSource = 'probe';
  } else {
    learned.notes.push(`no bind form yielded a handshake: ${learned.bindForms.map((p) => `${p.form}: ${p.detail}`).join('; ')}`);
  }
  return learned;
}
