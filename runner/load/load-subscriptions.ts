/**
 * The Subscriptions a load run binds to, when the caller gives none: a small pool created before
 * the run and deleted after it (clients share them round-robin; a websocket Subscription may be
 * bound by many connections). Creating one per client would make load mode a Subscription-create
 * benchmark and leave thousands behind on a real server if the run were cut short.
 */
import type { HttpClient } from '../net/http-client.js';
import { subscriptionBody } from '../engine/subscription-body.js';
import type { FhirVersion } from '../scenario/model.js';
import { generalise } from './load-token.js';

export const LOAD_SUBSCRIPTION_POOL = 10;

export interface CreatedPool {
  ids: string[];
  /** Why creation stopped early (the ids created so far are still returned, to be deleted). */
  error?: string;
}

export async function createSubscriptionPool(http: HttpClient, count: number, topic: string, fhirVersion: FhirVersion, template?: Record<string, unknown>): Promise<CreatedPool> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = subscriptionBody({ fixture: { channel: 'websocket', content: 'id-only' }, topic, fhirVersion, template });
    const result = await http.request({ method: 'POST', path: 'Subscription', body });
    const id = (result.json as { id?: unknown } | undefined)?.id ?? /Subscription\/([^/]+)/.exec(result.headers.location ?? '')?.[1];
    if (!result.ok || (result.status ?? 500) >= 300 || typeof id !== 'string') {
      const answer = result.ok ? `HTTP ${result.status}` : generalise(result.error ?? 'no response');
      return { ids, error: `setup: could not create a websocket Subscription (POST Subscription → ${answer})` };
    }
    ids.push(id);
  }
  return { ids };
}

/** Best effort: a failed delete is left for the server's own clean-up, it does not fail the run. */
export async function deleteSubscriptions(http: HttpClient, ids: readonly string[]): Promise<number> {
  const results = await Promise.all(ids.map((id) => http.request({ method: 'DELETE', path: `Subscription/${encodeURIComponent(id)}` })));
  return results.filter((r) => r.ok && (r.status ?? 500) < 300).length;
}
