/**
 * Who may see which Subscription, when the server has two or more bearer identities (OP-18: "a
 * caller cannot obtain a token for Subscriptions it is not allowed to access").
 *
 * Each Subscription belongs to the identity that created it (POST, or PUT creating it), for good:
 * after a delete too, so another identity neither learns of it from a 410 nor takes the id over
 * with PUT. For every other identity it does not exist: reads, searches, writes and the operation
 * answer as they answer for an unknown id. Other resource types are shared (topics fire for
 * everyone). With zero or one identity nothing is recorded and every caller sees everything.
 */

/** An identity's label (`identity-1`, …), never its bearer token, so it is safe in any message. */
export type IdentityName = string;

/** What one caller may see of the stored resources. */
export interface CallerAccess {
  /** false: `type/id` belongs to another identity, so for this caller it does not exist. */
  sees(type: string, id: string): boolean;
  /** The caller has just created `type/id`: it is theirs from now on. */
  claim(type: string, id: string): void;
}

/** No ownership: one identity or none, or a fault that ignores ownership. */
export const UNRESTRICTED: CallerAccess = { sees: () => true, claim: () => undefined };

const OWNED_TYPE = 'Subscription';

export class SubscriptionOwnership {
  private readonly creators = new Map<string, IdentityName>();
  private readonly enforced: boolean;

  /** `identityCount`: how many bearer identities the server has; ownership applies from two. */
  constructor(identityCount: number) {
    this.enforced = identityCount >= 2;
  }

  /** The view of the caller authenticated as `identity` (undefined: no authentication configured). */
  accessFor(identity: IdentityName | undefined): CallerAccess {
    if (!this.enforced) return UNRESTRICTED;
    return {
      // An unrecorded id is nobody's yet (unknown, or about to be created), so the caller may use it.
      sees: (type, id) => type !== OWNED_TYPE || [undefined, identity].includes(this.creators.get(id)),
      claim: (type, id) => {
        if (type === OWNED_TYPE && identity !== undefined) this.creators.set(id, identity);
      },
    };
  }
}
