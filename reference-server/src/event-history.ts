/**
 * The events of each Subscription, kept for `$events` (MAY: a client that missed events while
 * disconnected fetches them) and for `$status` under fault status-misses-events (which counts
 * only what a socket received). Bounded: the last MAX_KEPT events per Subscription; forgotten when
 * the Subscription is deleted.
 */
import type { EventDispatcher, SubscriptionEvent } from './event-dispatch.js';
import type { ResourceStore } from './store.js';

export const MAX_KEPT_EVENTS = 100;

export class EventHistory {
  private readonly events = new Map<string, SubscriptionEvent[]>();
  private readonly delivered = new Map<string, Set<number>>();

  constructor(dispatcher: EventDispatcher, store: ResourceStore) {
    dispatcher.onEvent((event) => this.keep(event));
    store.onChange(({ interaction, resource }) => {
      if (resource.resourceType === 'Subscription' && interaction === 'delete') this.forget(String(resource.id));
    });
  }

  /** Events numbered from `from` to `to` (inclusive, either open), oldest first. */
  between(subscriptionId: string, from = 1, to = Number.POSITIVE_INFINITY): SubscriptionEvent[] {
    return (this.events.get(subscriptionId) ?? []).filter((event) => event.eventNumber >= from && event.eventNumber <= to);
  }

  noteDelivered(subscriptionId: string, eventNumber: number): void {
    const numbers = this.delivered.get(subscriptionId) ?? new Set<number>();
    numbers.add(eventNumber);
    this.delivered.set(subscriptionId, numbers);
  }

  deliveredCount(subscriptionId: string): number {
    return this.delivered.get(subscriptionId)?.size ?? 0;
  }

  private keep(event: SubscriptionEvent): void {
    const list = this.events.get(event.subscriptionId) ?? [];
    list.push(event);
    if (list.length > MAX_KEPT_EVENTS) list.shift();
    this.events.set(event.subscriptionId, list);
  }

  private forget(subscriptionId: string): void {
    this.events.delete(subscriptionId);
    this.delivered.delete(subscriptionId);
  }
}
