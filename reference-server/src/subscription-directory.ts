/** Version-neutral lookups of stored Subscriptions, for the token service and the websocket channel. */
import type { FhirVersion } from './fhir-version.js';
import type { ResourceStore } from './store.js';
import { isRetired, subscriptionModel, type SubscriptionModel } from './subscriptions.js';

export type Lookup = { state: 'live' | 'deleted'; model: SubscriptionModel } | { state: 'missing' };

export class SubscriptionDirectory {
  constructor(
    private readonly store: ResourceStore,
    private readonly version: FhirVersion,
  ) {}

  find(id: string): Lookup {
    const read = this.store.read('Subscription', id);
    if (read.state === 'missing') return read;
    return { state: read.state === 'found' ? 'live' : 'deleted', model: subscriptionModel(read.resource, this.version) };
  }

  /** Websocket Subscriptions that may be bound: what "every websocket Subscription" means. */
  activeWebsocketIds(): string[] {
    return this.store
      .list('Subscription')
      .map((resource) => subscriptionModel(resource, this.version))
      .filter((model) => model.channel === 'websocket' && !isRetired(model.status))
      .map((model) => model.id);
  }
}
