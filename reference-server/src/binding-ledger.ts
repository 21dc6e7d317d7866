/**
 * What one connection remembers about each bound Subscription beyond its heartbeat timer: when the
 * token that bound it expires, how many binds it has had on this socket, when it was bound. The
 * variants and faults about connections over time read it:
 * - events-stop-at-expiry: no events once the binding token has expired (heartbeats go on),
 *   the Medplum behaviour; the default keeps delivering (both legitimate, DIGEST §8);
 * - renewal-duplicates: a renewal on the same socket adds a second delivery instead of replacing
 *   the first, so each event arrives twice (clients de-duplicate by eventNumber);
 * - heartbeats-stop-after-30s-idle: heartbeats stop once a binding has been idle for 30 s.
 */
import type { ActiveFaults } from './faults.js';

export const IDLE_HEARTBEAT_CUTOFF_MS = 30_000;

interface Binding {
  tokenExpiresAtMs: number;
  binds: number;
  lastTrafficMs: number;
}

export class BindingLedger {
  private readonly bindings = new Map<string, Binding>();

  constructor(
    private readonly faults: ActiveFaults,
    private readonly now: () => number,
  ) {}

  noteBind(subscriptionId: string, tokenExpiresAtMs = Number.POSITIVE_INFINITY): void {
    const previous = this.bindings.get(subscriptionId);
    this.bindings.set(subscriptionId, { tokenExpiresAtMs, binds: (previous?.binds ?? 0) + 1, lastTrafficMs: this.now() });
  }

  forget(subscriptionId: string): void {
    this.bindings.delete(subscriptionId);
  }

  /** How many copies of an event to send: 0 (stopped after expiry), 1, or one per bind (renewal-duplicates). */
  eventCopies(subscriptionId: string): number {
    const binding = this.bindings.get(subscriptionId);
    if (!binding) return 1;
    binding.lastTrafficMs = this.now();
    if (this.faults.has('events-stop-at-expiry') && this.now() >= binding.tokenExpiresAtMs) return 0;
    return this.faults.has('renewal-duplicates') ? binding.binds : 1;
  }

  /** Whether a heartbeat is due: always, except under heartbeats-stop-after-30s-idle. */
  heartbeatDue(subscriptionId: string): boolean {
    const binding = this.bindings.get(subscriptionId);
    if (!binding || !this.faults.has('heartbeats-stop-after-30s-idle')) return true;
    return this.now() - binding.lastTrafficMs < IDLE_HEARTBEAT_CUTOFF_MS;
  }
}
