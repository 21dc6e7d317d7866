/**
 * Whether a frame came after every token this scenario obtained for its Subscription had expired.
 * From then on a server may legitimately stop delivering events while heartbeats go on (DIGEST §8,
 * Medplum does): events still happen and still advance eventsSinceSubscriptionStart, so a
 * heartbeat's count above what this connection saw proves nothing. The counter rules are not
 * applied to such a heartbeat or handshake (event numbers still are, on events).
 *
 * The boundary is the stated expiration itself, with no slack after it: an event the server held
 * back happened after the expiration, and the heartbeat that counts it was sent later still, so it
 * arrives after the expiration too. A slack after it (once 1 s) judged exactly those heartbeats —
 * an event at expiration + 0.2 s, its count in a heartbeat at + 0.6 s — and failed a legitimate
 * server (variant events-stop-at-expiry) whenever another scenario's Patient landed in that second.
 */
import type { Frame } from '../../net/ws-client.js';
import { NOTIFICATION_RULE_GROUPS } from '../../notifications/validate.js';
import type { NotificationRuleGroup } from '../../scenario/model.js';
import type { ScenarioContext } from '../scenario-context.js';

export function afterDeliveryWindow(frame: Frame, subscriptionId: string, ctx: ScenarioContext): boolean {
  const expirations = [...ctx.tokens.values()]
    .filter((token) => token.subscriptions.includes(subscriptionId) && token.expiration !== undefined)
    .map((token) => Date.parse(token.expiration!));
  if (expirations.length === 0 || expirations.some((ms) => Number.isNaN(ms))) return false;
  return frame.at > Math.max(...expirations);
}

/** The rule groups to apply to a status frame: without `counters` once delivery may have stopped. */
export function groupsFor(
  frame: Frame,
  type: string | undefined,
  subscriptionId: string,
  ctx: ScenarioContext,
  only: NotificationRuleGroup[] | undefined,
): NotificationRuleGroup[] | undefined {
  if ((type !== 'heartbeat' && type !== 'handshake') || !afterDeliveryWindow(frame, subscriptionId, ctx)) return only;
  return (only ?? (Object.keys(NOTIFICATION_RULE_GROUPS) as NotificationRuleGroup[])).filter((group) => group !== 'counters');
}
