/**
 * The target server as the run understands it: base URL, FHIR version, the canonical
 * OperationDefinition for that version, a topic to subscribe to, which capabilities the suite can
 * use, and what discovery learned about calling and binding it (`learned`). Discovered once per
 * run (discover-target.ts) and frozen: workers and scenarios read it, nothing writes it, so no
 * result depends on which scenario ran first.
 */
import type { RunConfig } from '../config/run-config.js';
import type { Invocation } from '../protocol/invocation.js';
import type { TokenKind } from '../protocol/issued-token.js';
import type { BindFormProbe } from '../protocol/probe-bind-form.js';
import type { BindForm, Capability, FhirVersion } from '../scenario/model.js';

export type { BindFormProbe };

/** One invocation tried in discovery with a Subscription known to exist. */
export interface InvocationProbe {
  invocation: Invocation;
  works: boolean;
  /** HTTP status, when there was an answer: a 4xx here is what a missing route answers. */
  status?: number;
  detail: string;
}

/** What discovery learned about how this server is called and bound. */
export interface Learned {
  /** The invocation used wherever a scenario does not test one: the first that works, in SINGLE_ORDER. */
  invocation?: Invocation;
  /** Every invocation tried with a known-good id (empty: none tried, see notes). */
  invocations: InvocationProbe[];
  /** The form every bind uses unless its step names one: pinned in the config, else the first accepted. */
  bindForm?: BindForm;
  bindFormSource?: 'config' | 'probe';
  /** The three forms, each probed once with a fresh token on a fresh socket (binding.forms.accepted judges these). */
  bindForms: BindFormProbe[];
  tokenKind?: TokenKind;
  /** Stated lifetime of the first token discovery obtained. */
  tokenLifetimeSeconds?: number;
  /** Why something could not be learned. */
  notes: string[];
  /** legacy-protocol.ts: the sentence saying the server speaks only the pre-R5 `bind <id>` protocol. */
  legacyProtocol?: string;
  /** security-observations.ts: what a binding token grants, as server-profile facts. */
  security?: Record<string, string>;
}

export interface Target {
  baseUrl: string;
  fhirVersion: FhirVersion;
  /** How the version was decided: "CapabilityStatement.fhirVersion 5.0.0" or "config". */
  fhirVersionSource: string;
  software?: string;
  softwareVersion?: string;
  capabilityStatement?: Record<string, unknown>;
  operationDefinition: Record<string, unknown>;
  topic?: string;
  /** Resource type whose create fires the topic (R5 from SubscriptionTopic.resourceTrigger). */
  triggerResourceType: string;
  capabilities: Set<Capability>;
  /** Why a capability is missing, for the skip sentence. */
  missingCapabilityReasons: Partial<Record<Capability, string>>;
  config: RunConfig;
  authHeaders: Record<string, string>;
  /** Headers of the second identity (auth.otherIdentity), when configured and accepted by the server. */
  otherAuthHeaders?: Record<string, string>;
  /** Secrets to redact from every output (bearer token, client secret). */
  secrets: string[];
  readonly learned: Readonly<Learned>;
  /** Set when discovery got no answer at all: scenarios that need a working server end as errors. */
  unresponsive?: string;
}

/** The target while discovery still adds facts to what it learned; frozen (Readonly) once handed out. */
export type LearningTarget = Omit<Target, 'learned'> & { learned: Learned };

export function nothingLearned(note?: string): Learned {
  return { invocations: [], bindForms: [], notes: note ? [note] : [] };
}

/** Discovery runs once per run (Playwright global setup); workers receive the target as JSON (target-handoff.ts). */

export function serializeTarget(target: Target): string {
  // The statement itself stays behind: what workers need was read from it, and a server may send
  // megabytes (environment variables are limited to 128 KiB each).
  const { capabilityStatement: _left, ...rest } = target;
  return JSON.stringify({ ...rest, capabilities: [...target.capabilities] });
}

export function hydrateTarget(text: string): Target {
  const raw = JSON.parse(text) as Omit<Target, 'capabilities'> & { capabilities: Capability[] };
  return freezeTarget({ ...raw, capabilities: new Set(raw.capabilities) });
}

/**
 * What discovery learned is frozen deeply, the target itself shallowly (its config and headers are
 * read-only by convention; the capability set is never written after discovery).
 */
export function freezeTarget(target: Target): Target {
  deepFreeze(target.learned);
  return Object.freeze(target);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
  }
  return value;
}
