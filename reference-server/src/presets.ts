/**
 * Presets: one name that expands to options emulating a real server, so a suite run against the
 * reference server can show what the suite reports for that server. A preset is not a fault: it
 * is a bundle of existing options and fault-table entries (each entry is still proved on its own
 * by the fault tests); this file only says which, and why.
 *
 * `medplum-like` follows DIGEST §6.1 (Medplum, `medplum/medplum`: packages/server/src/fhir/operations/
 * getwsbindingtoken.ts, subscriptions/websockets.ts, workers/subscription.ts, fhir/metadata.ts,
 * heartbeat.ts). What it does not emulate is listed in reference-server/README.md ("Presets").
 */
import type { FaultName } from './faults.js';
import type { FhirVersion } from './fhir-version.js';
import type { TokenFormat } from './options.js';

export const PRESET_NAMES = ['medplum-like'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  name: PresetName;
  /** What the preset emulates, for messages and the CLI banner. */
  emulates: string;
  /** Options the emulated server has no choice about: another value contradicts the preset. */
  fixed: { fhirVersion: FhirVersion; tokenFormat: TokenFormat };
  /** Options the emulated server has by default: the caller may override them. */
  defaults: { tokenTtlSeconds: number; basePath: string };
  /** Fault-table entries switched on, each with the behaviour of the emulated server it stands for. */
  faults: ReadonlyArray<{ name: FaultName; because: string }>;
}

const MEDPLUM_LIKE: Preset = {
  name: 'medplum-like',
  emulates: 'Medplum (R4 server)',
  fixed: { fhirVersion: 'R4', tokenFormat: 'jwt' },
  // Medplum's binding token is an access token: the default access-token lifetime, one hour.
  // Its FHIR base is <root>/fhir/R4.
  defaults: { tokenTtlSeconds: 3600, basePath: '/fhir/R4' },
  faults: [
    { name: 'get-only', because: 'only GET Subscription/:id/$get-ws-binding-token is routed: POST and the type level answer 404 from the router' },
    { name: 'unknown-subscription-400', because: 'a Subscription that cannot be read answers 400 "Error reading subscription: …"' },
    { name: 'bind-json-only', because: 'every client frame is parsed as JSON {"type":"bind-with-token","payload":{"token":…}}' },
    { name: 'status-resource-in-r4', because: 'R4 notifications carry a SubscriptionStatus resource, not the backport Parameters' },
    { name: 'entries-without-request', because: 'history Bundles are sent without entry.request' },
    { name: 'status-counters-omitted', because: 'SubscriptionStatus has no eventsSinceSubscriptionStart and no topic' },
    { name: 'heartbeat-fixed-10s', because: 'a server-wide 10 s heartbeat, one Bundle per socket with a status per bound Subscription; heartbeatPeriod is ignored' },
    { name: 'event-numbers-repeat', because: 'every event notification has eventNumber "0"' },
    { name: 'content-ignored', because: 'websocket events always include the resource (includeResource: true), whatever the payload content' },
    { name: 'criteria-resource-type', because: 'Subscription.criteria is a search criteria such as "Patient"' },
    { name: 'operation-not-listed', because: 'the CapabilityStatement lists no operation on Subscription' },
    { name: 'opdef-not-served', because: 'the backport OperationDefinition is not served under its id' },
  ],
};

const PRESETS: Readonly<Record<PresetName, Preset>> = { 'medplum-like': MEDPLUM_LIKE };

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

export function presetNamed(name: PresetName): Preset {
  return PRESETS[name];
}
