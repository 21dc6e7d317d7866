/**
 * The closed vocabularies of the scenario format as runtime lists (model.ts holds only types).
 * The schema builder and the loader read these; the `Exactly` checks below fail the type-check
 * the moment model.ts and these lists disagree, so the two cannot drift apart.
 */
import type { Level } from '../checks/check-record.js';
import type {
  BindForm,
  Capability,
  FhirVersion,
  ForgeClass,
  GetTokenStep,
  Identity,
  MessageMatcher,
  ObservedOutcome,
  OperationStep,
  StepKind,
  SubscriptionFixture,
  WsExpectStep,
} from './model.js';

export const LEVELS = ['SHALL', 'SHALL NOT', 'SHOULD', 'MAY', 'DEF'] as const;
export const FHIR_VERSIONS = ['R4', 'R4B', 'R5'] as const;
export const CAPABILITIES = [
  'create-subscriptions',
  'topic',
  'trigger-events',
  'two-subscriptions',
  'rest-hook-subscription',
  'delete-subscriptions',
  'other-identity',
] as const;
export const IDENTITIES = ['main', 'other'] as const;
export const CHANNELS = ['websocket', 'rest-hook'] as const;
export const CONTENT_LEVELS = ['empty', 'id-only', 'full-resource'] as const;
export const BIND_FORMS = ['space', 'colon', 'json'] as const;
export const GET_TOKEN_VIA = ['auto', 'instance', 'type', 'instance-post', 'instance-post-empty', 'instance-get', 'type-post', 'type-get'] as const;
export const FORGE_CLASSES = [
  'random-same-alphabet',
  'change-start',
  'change-middle',
  'change-end',
  'flip-case',
  'truncate',
  'extend',
  'empty',
  'jwt-alg-none',
  'jwt-claims-changed',
  'jwt-signature-removed',
  'jwt-exp-forward',
] as const;
export const NOTIFICATION_KINDS = ['handshake', 'heartbeat', 'event-notification', 'any'] as const;
export const FRAME_SINCE = ['open', 'last-send'] as const;
export const OBSERVED_OUTCOMES = ['arrived', 'more', 'none', 'closed'] as const;

/** The YAML key that names a step's kind. A step holds exactly one of these. */
export const STEP_KINDS = [
  'http',
  'read',
  'create',
  'delete',
  'search',
  'operation',
  'getToken',
  'forgeToken',
  'ws.connect',
  'ws.send',
  'ws.bind',
  'ws.expect',
  'ws.expectNone',
  'ws.expectClose',
  'ws.observe',
  'ws.events',
  'ws.soak',
  'subscription.query',
  'ws.close',
  'bindForms',
  'wait',
  'set',
] as const;

/** The keys any step may hold beside its kind (model.ts StepBase, without the loader's `location`). */
export const STEP_BASE_KEYS = ['name', 'level', 'requirement', 'capture', 'expect', 'record', 'prerequisite'] as const;

// --- compile-time agreement with model.ts ----------------------------------------------------------

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Member<T extends readonly unknown[]> = T[number];

const agreement: [
  Exactly<Member<typeof LEVELS>, Level>,
  Exactly<Member<typeof FHIR_VERSIONS>, FhirVersion>,
  Exactly<Member<typeof CAPABILITIES>, Capability>,
  Exactly<Member<typeof IDENTITIES>, Identity>,
  Exactly<Member<typeof CHANNELS>, SubscriptionFixture['channel']>,
  Exactly<Member<typeof CONTENT_LEVELS>, NonNullable<SubscriptionFixture['content']>>,
  Exactly<Member<typeof BIND_FORMS>, BindForm>,
  Exactly<Member<typeof GET_TOKEN_VIA>, NonNullable<GetTokenStep['getToken']['via']>>,
  Exactly<Member<typeof FORGE_CLASSES>, ForgeClass>,
  Exactly<Member<typeof NOTIFICATION_KINDS>, NonNullable<MessageMatcher['notification']>>,
  Exactly<Member<typeof FRAME_SINCE>, NonNullable<WsExpectStep['ws.expect']['since']>>,
  Exactly<Member<typeof STEP_KINDS>, StepKind>,
  Exactly<Member<typeof OBSERVED_OUTCOMES>, ObservedOutcome>,
  Exactly<Member<typeof STEP_BASE_KEYS>, Exclude<keyof OperationStep, 'kind' | 'operation' | 'location'>>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];
void agreement;

export function isStepKind(key: string): key is StepKind {
  return (STEP_KINDS as readonly string[]).includes(key);
}
