/**
 * How many live Subscriptions one client may hold (option maxSubscriptions, --max-subscriptions):
 * each one costs the server on every write that fires its topic, so a client cannot make every
 * other client's writes slow by creating Subscriptions without end (issue 11 item 19). A client is
 * a bearer identity; without bearer authentication every caller shares one allowance. Past the
 * limit, a create (POST, or PUT creating) is answered 422 with an OperationOutcome (code
 * too-costly) naming the limit; deleting a Subscription frees its place.
 */
import { outcomeReply, type Reply } from './fhir-responses.js';
import type { IdentityName } from './ownership.js';
import type { ResourceStore } from './store.js';

export const DEFAULT_MAX_SUBSCRIPTIONS = 10_000;
const ANONYMOUS = '';

/** The quota as one caller sees it. */
export interface CallerQuota {
  /** The 422 to answer when the caller may create no more Subscriptions; undefined when it may. */
  refusal(): Reply | undefined;
  /** The caller has just created Subscription `id`. */
  record(id: string): void;
}

export class SubscriptionQuota {
  private readonly held = new Map<string, Set<string>>();
  private readonly holderOf = new Map<string, string>();

  constructor(
    readonly limit: number,
    store: ResourceStore,
  ) {
    store.onChange(({ interaction, resource }) => {
      if (resource.resourceType === 'Subscription' && interaction === 'delete') this.release(String(resource.id));
    });
  }

  for(identity: IdentityName | undefined): CallerQuota {
    const holder = identity ?? ANONYMOUS;
    return {
      refusal: () => {
        const count = this.held.get(holder)?.size ?? 0;
        if (count < this.limit) return undefined;
        const who = identity === undefined ? 'clients of this server hold' : `${identity} holds`;
        return outcomeReply(422, 'too-costly', `${who} ${count} Subscriptions, the most allowed (maxSubscriptions ${this.limit}); delete one before creating another`);
      },
      record: (id) => {
        let ids = this.held.get(holder);
        if (!ids) this.held.set(holder, (ids = new Set()));
        ids.add(id);
        this.holderOf.set(id, holder);
      },
    };
  }

  private release(id: string): void {
    const holder = this.holderOf.get(id);
    if (holder === undefined) return;
    this.holderOf.delete(id);
    this.held.get(holder)?.delete(id);
  }
}
