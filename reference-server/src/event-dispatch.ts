/**
 * Turns resource changes into subscription events: a change that a topic watches becomes one
 * numbered event for every active Subscription on that topic. Keeps each Subscription's event
 * counter (eventsSinceSubscriptionStart) and its last event (for the backlog-replay variant).
 * Counters advance on events only, never on handshakes or heartbeats (NB-05) — except under the
 * counter faults.
 */
import type { ActiveFaults } from './faults.js';
import type { FhirVersion } from './fhir-version.js';
import type { FhirResource, Interaction, ResourceChange, ResourceStore } from './store.js';
import { SubscriptionsByTopic } from './subscription-index.js';
import type { SubscriptionModel } from './subscriptions.js';
import type { TopicCatalogue } from './topics.js';

export interface SubscriptionEvent {
  subscriptionId: string;
  eventNumber: number;
  timestampMs: number;
  interaction: Interaction;
  /** The resource after the change (for a delete: its last version). */
  focus: FhirResource;
}

type EventListener = (event: SubscriptionEvent, subscription: SubscriptionModel) => void;

export class EventDispatcher {
  private readonly counters = new Map<string, number>();
  private readonly lastEvents = new Map<string, SubscriptionEvent>();
  private readonly listeners: EventListener[] = [];
  private readonly subscriptions: SubscriptionsByTopic;

  constructor(
    private readonly store: ResourceStore,
    private readonly topics: TopicCatalogue,
    private readonly version: FhirVersion,
    private readonly faults: ActiveFaults,
    private readonly now: () => number = Date.now,
  ) {
    this.subscriptions = new SubscriptionsByTopic(version);
    store.onChange((change) => this.onChange(change));
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  eventCount(subscriptionId: string): number {
    return this.counters.get(subscriptionId) ?? 0;
  }

  lastEvent(subscriptionId: string): SubscriptionEvent | undefined {
    return this.lastEvents.get(subscriptionId);
  }

  /** Fault event-numbers-restart-on-reconnect: the counter starts again from 0. */
  restartCounter(subscriptionId: string): void {
    this.counters.delete(subscriptionId);
  }

  /** A heartbeat was sent; only fault counter-advances-on-heartbeat lets that move the counter. */
  noteHeartbeat(subscriptionId: string): void {
    if (this.faults.has('counter-advances-on-heartbeat')) this.advance(subscriptionId);
  }

  private onChange(change: ResourceChange): void {
    const { resource, interaction } = change;
    if (resource.resourceType === 'Subscription') {
      this.subscriptions.note(change);
      if (interaction === 'delete') this.forget(String(resource.id));
      return;
    }
    const topicUrls = this.topics.matching(resource.resourceType, interaction).map((topic) => topic.url);
    if (topicUrls.length === 0) return;
    for (const subscription of this.subscriptions.on(topicUrls)) this.emit(subscription, interaction, resource);
  }

  private emit(subscription: SubscriptionModel, interaction: Interaction, focus: FhirResource): void {
    const eventNumber = this.faults.has('event-numbers-repeat') ? this.eventCount(subscription.id) : this.advance(subscription.id);
    const event: SubscriptionEvent = { subscriptionId: subscription.id, eventNumber, timestampMs: this.now(), interaction, focus };
    this.lastEvents.set(subscription.id, event);
    for (const listener of this.listeners) listener(event, subscription);
  }

  private advance(subscriptionId: string): number {
    const next = this.eventCount(subscriptionId) + 1;
    this.counters.set(subscriptionId, next);
    return next;
  }

  private forget(subscriptionId: string): void {
    this.lastEvents.delete(subscriptionId);
  }
}
