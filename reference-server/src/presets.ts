/**
 * Presets: one name that expands to options emulating a real server, so a suite run against the
 * reference server can show what the suite reports for that server. A preset is not a fault: it
 * is a bundle of existing options and fault-table entries (each entry is still proved on its own
 * by the fault tests); this file only says which, and why.
 *
 * `medplum-like` follows Medplum's code and a live 5.0.10 (Medplum read in `medplum/medplum`: packages/server/src/fhir/
 * operations/getwsbindingtoken.ts, subscriptions/websockets.ts, workers/subscription.ts, fhir/metadata.ts,
 * heartbeat.ts; and Medplum 5.0.10 seen live). `helios-like` follows §6.5 (HeliosSoftware/hfs),
 * `argonaut-like` §6.2 (the Argonaut subscription RI proxy), `legacy-only` §6.6 (HAPI FHIR, Smile CDR,
 * DSF: no operation, the pre-R5 `bind <id>` protocol). What each does not emulate is listed in
 * reference-server/README.md ("Presets").
 */
import type { FaultName } from './faults.js';
import type { FhirVersion } from './fhir-version.js';
import type { TokenFormat } from './options.js';

export const PRESET_NAMES = ['medplum-like', 'helios-like', 'argonaut-like', 'legacy-only'] as const;
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
    // seen live on 5.0.10
    { name: 'metadata-plain-json', because: 'GET metadata answers Content-Type application/json, even to Accept: application/fhir+json' },
    { name: 'subscription-deleted-on-close', because: 'a websocket Subscription lives in Redis and is deleted when any socket bound to it closes' },
    { name: 'tokens-survive-delete', because: "a deleted Subscription's token still binds and gets a handshake" },
    { name: 'binding-token-as-bearer', because: 'the binding token is a full access token: a REST bearer that can also obtain a new binding token' },
    { name: 'rest-hook-tokens', because: 'a rest-hook Subscription gets a token too, and binding it gives a handshake' },
    { name: 'events-stop-at-expiry', because: 'each delivery re-checks the token: after its expiration heartbeats continue, events stop' },
    { name: 'jwt-exp-before-expiration', because: "the JWT's exp can be about 1 s before the stated expiration (ES256 there, HS256 here)" },
    { name: 'ping-pong-unbind', because: '{"type":"ping"} is answered {"type":"pong"}; {"type":"unbind-from-token",…} unbinds' },
  ],
};

const HELIOS_LIKE: Preset = {
  name: 'helios-like',
  emulates: 'Helios FHIR Server (HeliosSoftware/hfs)',
  fixed: { fhirVersion: 'R4', tokenFormat: 'opaque' },
  // Tokens live 30 s by default; the FHIR base is the server root.
  defaults: { tokenTtlSeconds: 30, basePath: '' },
  faults: [
    { name: 'post-refused', because: 'only GET Subscription/{id}/$get-ws-binding-token is routed' },
    { name: 'no-type-level', because: 'there is no type-level route' },
    { name: 'uuid-tokens', because: 'the token is a UUID v4' },
    { name: 'single-use-tokens', because: 'a token binds once' },
    { name: 'bind-text-only', because: 'the first frame must be text: bind-with-token <t> or bind-with-token: <t>' },
    { name: 'bad-token-close', because: 'a refused token closes the socket with 1008 and a reason' },
    { name: 'second-bind-closes', because: 'a second bind on the same socket closes it (1008 single-bind-only)' },
    { name: 'no-heartbeat', because: 'there is no heartbeat loop yet' },
    { name: 'subscription-output-omitted', because: 'the output has no subscription parameter' },
  ],
};

const ARGONAUT_LIKE: Preset = {
  name: 'argonaut-like',
  emulates: 'the Argonaut subscription RI proxy (microsoft-healthcare-madison/argonaut-subscription-server-proxy)',
  fixed: { fhirVersion: 'R4', tokenFormat: 'opaque' },
  // Tokens live 30 minutes.
  defaults: { tokenTtlSeconds: 1800, basePath: '/fhir/r4' },
  faults: [
    { name: 'ids-input-name', because: 'type level reads Parameters named ids (the old name)' },
    { name: 'legacy-output-names', because: 'subscriptions is one comma-joined valueString' },
    { name: 'websocket-url-string', because: 'websocket-url is written as valueString' },
    { name: 'expiration-offset', because: "expiration carries the server's local offset (format specifier K)" },
    { name: 'uuid-tokens', because: 'the token is a GUID' },
    { name: 'single-use-tokens', because: 'each token binds to one client only' },
    { name: 'bind-space-only', because: 'the bind command is bind-with-token <guid> (space, no colon)' },
    { name: 'legacy-bind-protocol', because: 'the legacy bind <id> is accepted too' },
    { name: 'bad-token-silent', because: 'an invalid token is logged and silently ignored' },
    { name: 'no-handshake', because: 'no handshake Bundle is sent on bind' },
    { name: 'keepalive-text-frames', because: 'keep-alive is the text frame keepalive <ISO time>, not a heartbeat Bundle' },
    { name: 'errors-without-outcome', because: 'errors are 400 text/plain ("Invalid subscription id: …"), not OperationOutcome' },
  ],
};

const LEGACY_ONLY: Preset = {
  name: 'legacy-only',
  emulates: 'a pre-R5 websocket server (HAPI FHIR, Smile CDR, DSF)',
  fixed: { fhirVersion: 'R4', tokenFormat: 'opaque' },
  defaults: { tokenTtlSeconds: 60, basePath: '/fhir' },
  faults: [
    { name: 'operation-absent', because: '$get-ws-binding-token is not implemented (hapi-fhir#2825): not-supported' },
    { name: 'operation-not-listed', because: 'the CapabilityStatement lists no such operation' },
    { name: 'opdef-not-served', because: 'no OperationDefinition for it' },
    { name: 'legacy-bind-protocol', because: 'bind <id> → bound <id> → ping <id>, at the endpoint the capabilitystatement-websocket extension names' },
  ],
};

const PRESETS: Readonly<Record<PresetName, Preset>> = {
  'medplum-like': MEDPLUM_LIKE,
  'helios-like': HELIOS_LIKE,
  'argonaut-like': ARGONAUT_LIKE,
  'legacy-only': LEGACY_ONLY,
};

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

export function presetNamed(name: PresetName): Preset {
  return PRESETS[name];
}
