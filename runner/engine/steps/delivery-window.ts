/**
 * Whether a frame came after every token this scenario obtained for its Subscription had expired.
 * From then on a server may legitimately stop delivering events while heartbeats go on (DIGEST §8,
 * Medplum does): events still happen and still advance eventsSinceSubscriptionStart, so a
 * heartbeat's count above what this connection saw proves nothing. The counter rules are not
 * applied to such a heartbeat or handshake (event numbers still are, on events).
 */
import type { Frame } from '../../net/ws-client.js';
import { NOTIFICATION_RULE_GROUPS } from '../../notifications/validate.js';
import type { NotificationRuleGroup } from '../../scenario/model.js';
import type { ScenarioContext } from '../scenario-context.js';

/** Clock slack between harness and server, as for token lifetimes (DIGEST §8). */
const SLACK_MS = 1_000;

export function afterDeliveryWindow(frame: Frame, subscriptionId: string, ctx: ScenarioContext): boolean {
  const expirations = [...ctx.tokens.values()]
    .filter((token) => token.subscriptions.includes(subscriptionId) && token.expiration !== undefined)
    .map((token) => Date.parse(token.expiration!));
  if (expirations.length === 0 || expirations.some((ms) => Number.isNaN(ms))) return false;
  return frame.at > Math.max(...expirations) + SLACK_MS;
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
