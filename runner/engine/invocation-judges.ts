/**
 * Which scenario judges an invocation: when a scenario needs an invocation that does not work,
 * it is blocked by the one scenario whose finding that is (a server without POST fails
 * invoke.instance.post-parameters once, not every scenario that happened to ask by POST).
 */
import type { Invocation } from '../protocol/invocation.js';
import type { FhirVersion } from '../scenario/model.js';
import type { Learned } from './target.js';

const BACKPORT: ReadonlySet<FhirVersion> = new Set(['R4', 'R4B']);

export function judgeOfInvocation(invocation: Invocation, learned: Readonly<Learned>, fhirVersion: FhirVersion): string {
  switch (invocation) {
    case 'instance-post': return 'invoke.instance.post-parameters';
    case 'instance-post-empty': return 'invoke.instance.post-empty';
    case 'instance-get': return BACKPORT.has(fhirVersion) ? 'invoke.instance.get.backport' : 'invoke.instance.get.r5';
    case 'type-post':
      // POST missing everywhere (its instance form fails too) is the POST scenario's finding.
      return fails(learned, 'instance-post') ? 'invoke.instance.post-parameters' : 'invoke.type.single-id';
    case 'type-get':
      if (BACKPORT.has(fhirVersion)) return 'invoke.type.get-several-ids';
      return fails(learned, 'instance-get') ? 'invoke.instance.get.r5' : 'invoke.type.single-id';
  }
}

/** A token for several Subscriptions (or all of them) needs the type level. */
export function judgeOfTokenFor(subscriptionCount: number, learned: Readonly<Learned>, fhirVersion: FhirVersion): string {
  if (subscriptionCount >= 2) return 'invoke.type.several-ids';
  if (subscriptionCount === 0) return 'invoke.type.no-ids';
  return learned.invocation ? judgeOfInvocation(learned.invocation, learned, fhirVersion) : 'invoke.instance.post-parameters';
}

function fails(learned: Readonly<Learned>, invocation: Invocation): boolean {
  return learned.invocations.some((p) => p.invocation === invocation && !p.works);
}
