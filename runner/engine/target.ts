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
  /** Secrets to redact from every output (bearer token, client secret). */
  secrets: string[];
  learned: {
    bindForm?: BindForm;
    invocation?: string;
  };
}
