/**
 * Active Subscriptions by topic, kept up to date from the store's change events, so a write finds
 * the Subscriptions it fires in O(their number) rather than re-reading (and copying) every stored
 * Subscription on every write (issue 11 item 19: 5,000 Subscriptions made `POST Patient` 300 ms).
 * Order within a topic is creation order, as the store lists them.
 */
import type { FhirVersion } from './fhir-version.js';
import type { ResourceChange } from './store.js';
import { isRetired, subscriptionModel, type SubscriptionModel } from './subscriptions.js';

export class SubscriptionsByTopic {
  private readonly byTopic = new Map<string, Map<string, SubscriptionModel>>();
  private readonly topicOf = new Map<string, string>();
  /** Creation order across topics, for a write that fires several topics at once. */
  private readonly createdAs = new Map<string, number>();
  private created = 0;

  constructor(private readonly version: FhirVersion) {}

  /** Feed every store change here (only Subscription changes matter). */
  note({ interaction, resource }: ResourceChange): void {
    if (resource.resourceType !== 'Subscription') return;
    const model = subscriptionModel(resource, this.version);
    if (interaction === 'delete' || isRetired(model.status)) return this.remove(model.id);
    const previousTopic = this.topicOf.get(model.id);
    if (previousTopic !== undefined && previousTopic !== model.topicUrl) this.remove(model.id);
    let members = this.byTopic.get(model.topicUrl);
    if (!members) this.byTopic.set(model.topicUrl, (members = new Map()));
    members.set(model.id, model); // an update keeps its place
    this.topicOf.set(model.id, model.topicUrl);
    if (!this.createdAs.has(model.id)) this.createdAs.set(model.id, this.created++);
  }

  /** Active Subscriptions on one of these topics, in creation order. */
  on(topicUrls: readonly string[]): SubscriptionModel[] {
    const found = [...new Set(topicUrls)].flatMap((url) => [...(this.byTopic.get(url)?.values() ?? [])]);
    return topicUrls.length < 2 ? found : found.sort((a, b) => this.createdAs.get(a.id)! - this.createdAs.get(b.id)!);
  }

  private remove(id: string): void {
    const topic = this.topicOf.get(id);
    if (topic === undefined) return;
    this.topicOf.delete(id);
    this.createdAs.delete(id);
    const members = this.byTopic.get(topic);
    members?.delete(id);
    if (members?.size === 0) this.byTopic.delete(topic);
  }
}
