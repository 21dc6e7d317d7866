/**
 * The CapabilityStatement served at [base]/metadata, in the version's shape. The operation is
 * listed on Subscription with the version's canonical as definition; its name follows each
 * version's convention (R5: no `$`; R4/R4B: `$`-prefixed, as R4 defines and the backport IG's own
 * CapabilityStatement writes it). R4/R4B advertise topics with the backport discovery extension;
 * variant legacy-bind-protocol advertises the websocket endpoint with the core websocket extension.
 */
import type { ActiveFaults } from './faults.js';
import { FHIR_RELEASE, isBackport, type FhirVersion } from './fhir-version.js';
import { formatInstant } from './fhir-primitives.js';
import { OPERATION_CODE, operationCanonical, otherFamilyCanonical } from './operation-definition.js';
import type { FhirResource } from './store.js';
import type { TopicCatalogue } from './topics.js';
import { SOFTWARE } from './software.js';
import { WEBSOCKET_SEGMENT } from './endpoints.js';

/** Where a pre-R5 server says its websocket endpoint is (on CapabilityStatement.rest). */
export const WEBSOCKET_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket';

const TOPIC_CANONICAL_EXTENSION =
  'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical';

export interface CapabilityInputs {
  version: FhirVersion;
  topics: TopicCatalogue;
  fhirBase: string;
  faults: ActiveFaults;
  startedAt: number;
}

export function capabilityStatement({ version, topics, fhirBase, faults, startedAt }: CapabilityInputs): FhirResource {
  return {
    resourceType: 'CapabilityStatement',
    id: 'fhir-ws-reference-server',
    status: 'active',
    date: formatInstant(startedAt),
    kind: 'instance',
    software: { name: SOFTWARE.name, version: SOFTWARE.version },
    implementation: { description: 'fhir-ws-conformance reference server (in-memory)', url: fhirBase },
    fhirVersion: FHIR_RELEASE[version],
    format: ['application/fhir+json', 'json'],
    rest: [{ ...websocketExtension(fhirBase, faults), mode: 'server', resource: resources(version, topics, faults) }],
  };
}

/** Variant legacy-bind-protocol: the channel advertised the pre-R5 way. */
function websocketExtension(fhirBase: string, faults: ActiveFaults): Record<string, unknown> {
  if (!faults.has('legacy-bind-protocol')) return {};
  return { extension: [{ url: WEBSOCKET_EXTENSION, valueUri: `${fhirBase.replace(/^http/, 'ws')}/${WEBSOCKET_SEGMENT}` }] };
}

function resources(version: FhirVersion, topics: TopicCatalogue, faults: ActiveFaults): FhirResource[] {
  const list: Array<Record<string, unknown>> = [subscriptionResource(version, topics, faults)];
  if (version !== 'R4') list.push({ type: 'SubscriptionTopic', interaction: interactions('read', 'search-type') });
  list.push({ type: 'OperationDefinition', interaction: interactions('read', 'search-type') });
  for (const type of topics.resourceTypes()) {
    list.push({ type, interaction: interactions('create', 'read', 'update', 'delete', 'search-type') });
  }
  return list as FhirResource[];
}

function subscriptionResource(version: FhirVersion, topics: TopicCatalogue, faults: ActiveFaults): Record<string, unknown> {
  const definition = faults.has('capability-wrong-definition') ? otherFamilyCanonical(version) : operationCanonical(version);
  return {
    ...(isBackport(version)
      ? { extension: topics.topics.map((topic) => ({ url: TOPIC_CANONICAL_EXTENSION, valueCanonical: topic.url })) }
      : {}),
    type: 'Subscription',
    interaction: interactions('create', 'read', 'update', 'delete', 'search-type'),
    // operation-not-listed: no operation at all is listed (as Medplum does), though all are served
    ...(faults.has('operation-not-listed')
      ? {}
      : { operation: [{ name: isBackport(version) ? `$${OPERATION_CODE}` : OPERATION_CODE, definition }, ...statusOperations(version)] }),
  };
}

/** $status (SHALL in the backport server CapabilityStatement) and $events (MAY): operation-subscription-status.ts. */
function statusOperations(version: FhirVersion): Array<{ name: string; definition: string }> {
  return isBackport(version)
    ? [
        { name: '$status', definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status' },
        { name: '$events', definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events' },
      ]
    : [
        { name: 'status', definition: 'http://hl7.org/fhir/OperationDefinition/Subscription-status' },
        { name: 'events', definition: 'http://hl7.org/fhir/OperationDefinition/Subscription-events' },
      ];
}

function interactions(...codes: string[]): Array<{ code: string }> {
  return codes.map((code) => ({ code }));
}
