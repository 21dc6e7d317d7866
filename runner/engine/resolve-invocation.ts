/**
 * `level: auto` / `method: auto` on an operation step, and `via` on getToken, read discovery's
 * answer (target.learned) and nothing else: a scenario that does not test how the operation is
 * called uses the invocation that works, so a GET-only server's error handling is reached by GET.
 */
import type { GetTokenStep, OperationStep } from '../scenario/model.js';
import {
  levelOf, MANY_ORDER, methodOf, SINGLE_ORDER, type ConcreteInvocation, type Invocation, type InvocationLevel, type InvocationMethod,
} from '../protocol/invocation.js';
import type { InvocationProbe, Learned } from './target.js';

type Operation = OperationStep['operation'];

/** The first invocation discovery found working that fits the given level and method (either may be open). */
function firstWorking(learned: Readonly<Learned>, level?: InvocationLevel, method?: InvocationMethod): Invocation | undefined {
  return learned.invocations.find((p) => p.works && (!level || levelOf(p.invocation) === level) && (!method || methodOf(p.invocation) === method))?.invocation;
}

export function resolveOperation(op: Operation, learned: Readonly<Learned>): ConcreteInvocation {
  const method = op.method === 'auto' ? undefined : op.method;
  const level = op.level === 'auto' ? undefined : op.level;
  // What fits what the step pins; else the run's invocation (the level or method it pins then simply applies).
  const model = firstWorking(learned, level, method) ?? learned.invocation;
  const chosenLevel = level ?? (model ? levelOf(model) : 'instance');
  const chosenMethod = method ?? (model ? methodOf(model) : 'POST');
  const body = op.body ?? (op.method === 'auto' && model === 'instance-post-empty' && chosenLevel === 'instance' ? 'empty' : undefined);
  const { id, ids, raw } = op;
  const concrete: ConcreteInvocation = { level: chosenLevel, method: chosenMethod, ...(body ? { body } : {}), ...(raw !== undefined ? { raw } : {}) };
  if (chosenLevel === 'instance') return { ...concrete, id, ...(ids ? { ids } : {}) };
  // With level auto, `id` names the one Subscription, an id input at type level.
  return { ...concrete, ids: ids ?? (op.level === 'auto' && id !== undefined ? [id] : []) };
}

/**
 * The status a missing route answers: discovery asked this invocation with a Subscription known to
 * exist and got this very 4xx. The same answer now is no evidence that the handler refused anything.
 */
export function missingRoute(invocation: Invocation, status: number | undefined, learned: Readonly<Learned>): InvocationProbe | undefined {
  const probe = learned.invocations.find((p) => p.invocation === invocation);
  if (!probe || probe.works || probe.status === undefined || status === undefined) return undefined;
  return probe.status >= 400 && probe.status < 500 && probe.status === status ? probe : undefined;
}

type Via = NonNullable<GetTokenStep['getToken']['via']>;

/**
 * The order in which getToken tries invocations: a named one alone; otherwise those of the level
 * (one Subscription: both levels; several or none: type level only), discovery's working ones first
 * in preference order, the rest after (a server may answer differently for other Subscriptions).
 */
export function tokenInvocationOrder(subscriptionCount: number, via: Via | undefined, learned: Readonly<Learned>): Invocation[] {
  if (via && via !== 'auto' && via !== 'instance' && via !== 'type') return [via];
  const candidates = (subscriptionCount === 1 ? SINGLE_ORDER : MANY_ORDER).filter((o) => via !== 'instance' && via !== 'type' ? true : levelOf(o) === via);
  const works = (o: Invocation) => learned.invocations.some((p) => p.invocation === o && p.works);
  const preferredMethod = learned.invocation ? methodOf(learned.invocation) : undefined;
  const rank = (o: Invocation) => (o === learned.invocation ? 0 : works(o) ? 1 : methodOf(o) === preferredMethod ? 2 : 3);
  return [...candidates].sort((a, b) => rank(a) - rank(b)); // stable: SINGLE_ORDER within a rank
}
