/**
 * The target server as the run understands it: base URL, FHIR version, the canonical
 * OperationDefinition for that version, a topic to subscribe to, and which capabilities the suite
 * can use. Discovered once per worker (discover-target.ts); what the run learns about the
 * server's open-ended behaviour accumulates in `learned` and the scenario profiles.
 */
import type { RunConfig } from '../config/run-config.js';
import type { BindForm, Capability, FhirVersion } from '../scenario/model.js';

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
  learned: {
    bindForm?: BindForm;
    invocation?: string;
    /** legacy-protocol.ts: the sentence saying the server speaks only the pre-R5 `bind <id>` protocol. */
    legacyProtocol?: string;
    /** security-observations.ts: what a binding token grants, as server-profile facts. */
    security?: Record<string, string>;
  };
  /** Set when discovery got no answer at all: scenarios that need a working server end as errors. */
  unresponsive?: string;
}

/** Discovery runs once per run (Playwright global setup); workers receive the target as JSON. */
export const TARGET_ENV = 'FWC_TARGET';

export function serializeTarget(target: Target): string {
  // The statement itself stays behind: what workers need was read from it, and a server may send
  // megabytes (environment variables are limited to 128 KiB each).
  const { capabilityStatement: _left, ...rest } = target;
  return JSON.stringify({ ...rest, capabilities: [...target.capabilities] });
}

export function hydrateTarget(text: string): Target {
  const raw = JSON.parse(text) as Omit<Target, 'capabilities'> & { capabilities: Capability[] };
  return { ...raw, capabilities: new Set(raw.capabilities) };
}
