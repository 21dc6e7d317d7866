/**
 * The one table of deliberate misbehaviours ("faults") and legitimate alternatives ("variants").
 *
 * - A fault is a way to break the spec. `catches` names the scenarios (docs/ARCHITECTURE.md) that
 *   must end with outcome `expect` when the suite runs against a server with that fault, on every
 *   FHIR version in `versions` (default: all three).
 * - A variant is behaviour the spec allows. The whole suite must still pass against it: that is
 *   the proof that the suite is not stricter than the spec.
 * - `versions` on a fault: the versions on which the behaviour breaks the spec. On the other
 *   versions it is legitimate (or has no effect), so there the entry plays the role of a variant.
 *   Example: refusing GET breaks the backport (affectsState=false → GET is SHALL) but not R5.
 *
 * Everything else in the server asks `faults.has(name)`; nothing else decides which faults exist.
 */
import type { FhirVersion } from './fhir-version.js';
import { CATALOGUE_SCENARIO_IDS, type ScenarioId } from './scenario-ids.js';

interface EntryBase {
  name: string;
  description: string;
  versions?: readonly FhirVersion[];
  /** Forces an option: the jwt-* faults only make sense with JWT tokens. */
  impliesTokenFormat?: 'jwt';
  /** The suite must run with --soak of this many seconds to catch the fault (test/suite/faults-caught.test.ts does). */
  needsSoakSeconds?: number;
}
export interface FaultEntry extends EntryBase {
  kind: 'fault';
  catches: readonly ScenarioId[];
  expect: 'failed' | 'warning';
  /** SHOULD-level scenarios the same defect also breaks: they end as warnings, beside the catches. */
  alsoWarns?: readonly ScenarioId[];
}
export interface VariantEntry extends EntryBase {
  kind: 'variant';
  catches: readonly [];
  expect?: undefined;
}
export type FaultTableEntry = FaultEntry | VariantEntry;

const BACKPORT: readonly FhirVersion[] = ['R4', 'R4B'];

// Generic over the name, so FaultName below is the union of the literal names (not just string)
// and a Record<FaultName, …> elsewhere must cover every row.
function fault<const N extends string>(
  name: N,
  catches: readonly ScenarioId[],
  description: string,
  extra: Partial<Pick<FaultEntry, 'expect' | 'versions' | 'impliesTokenFormat' | 'alsoWarns' | 'needsSoakSeconds'>> = {},
): FaultEntry & { name: N } {
  return { name, kind: 'fault', description, catches, expect: extra.expect ?? 'failed', ...extra };
}
function variant<const N extends string>(name: N, description: string, extra: Pick<EntryBase, 'impliesTokenFormat'> = {}): VariantEntry & { name: N } {
  return { name, kind: 'variant', description, catches: [], ...extra };
}

/** Every forgery scenario that applies to any token (the JWT ones need a JWT). */
const FORGERIES: readonly ScenarioId[] = CATALOGUE_SCENARIO_IDS.filter((id) => id.startsWith('forged.') && !id.startsWith('forged.jwt.'));

export const FAULT_TABLE = [
  // discovery
  fault('opdef-differs', ['discovery.opdef.matches-canonical'],
    'OperationDefinition read returns a changed copy of the canonical: websocket-url typed string, affectsState flipped.'),
  fault('opdef-token-repeats', ['discovery.opdef.matches-canonical'],
    'OperationDefinition read returns the canonical with one change: the `token` output may repeat (max "*" instead of "1").'),
  fault('capability-wrong-definition', ['discovery.capability.operation-listed'],
    "CapabilityStatement lists the operation with the other FHIR version's canonical as its definition."),
  // Every response is mislabelled: the metadata read (FW-09) and the operation's own answer (OP-10) each break their rule.
  fault('wrong-content-type', ['discovery.metadata.available', 'invoke.instance.post-parameters'],
    'Every HTTP response is labelled text/plain instead of application/fhir+json.'),
  fault('operation-not-listed', ['discovery.capability.operation-listed'],
    'The CapabilityStatement does not list the operation under Subscription (listing it is a SHOULD).', { expect: 'warning' }),
  // invocation
  fault('no-instance-level', ['invoke.instance.post-parameters', 'invoke.instance.post-empty'],
    'The instance-level URL answers 404 (operation not supported there).'),
  fault('no-type-level', ['invoke.type.single-id', 'invoke.type.several-ids'],
    'The type-level URL answers 404 (operation not supported there).'),
  fault('post-refused', ['invoke.instance.post-parameters', 'invoke.instance.post-empty'],
    'POST invocations answer 405; only GET works (POST is SHALL for every operation).'),
  fault('get-only', ['invoke.instance.post-parameters', 'invoke.instance.post-empty', 'invoke.type.single-id', 'invoke.type.several-ids', 'invoke.type.get-several-ids'],
    "Routing like Medplum's: the operation exists only at instance level by GET; POST (either level) and the type level answer 404 as an unknown route, with an OperationOutcome (POST is SHALL for every operation, the type level is in the definition)."),
  fault('empty-body-rejected', ['invoke.instance.post-empty'],
    'An instance-level POST with an empty body answers 400 instead of issuing a token.'),
  fault('get-refused', ['invoke.instance.get.backport', 'invoke.type.get-several-ids'],
    'GET invocations answer 405. A fault on R4/R4B (affectsState=false makes GET SHALL); legitimate on R5.',
    { versions: BACKPORT }),
  fault('instance-honours-id', ['invoke.instance.ignores-id'],
    'At instance level the `id` inputs are added to the token scope instead of being ignored.'),
  fault('type-level-first-id-only', ['invoke.type.several-ids'],
    'At type level only the first `id` is covered; the others are dropped silently.'),
  // Another identity's Subscription is unknown to the caller, so it gets a token too: OP-18 is broken as well.
  fault('unknown-id-accepted', ['invoke.errors.unknown-instance', 'invoke.errors.unknown-id-type-level', 'scope.other-identity-refused'],
    'Unknown Subscription ids (instance or `id` input) still get a 200 token.'),
  fault('malformed-id-500', ['invoke.errors.malformed-id'],
    'A malformed id (65 characters, `_`, ...) crashes the handler: 500.'),
  fault('malformed-body-500', ['invoke.errors.malformed-body'],
    'A body that is not JSON, or not a Parameters resource, crashes the handler: 500.'),
  fault('no-ids-500', ['invoke.type.no-ids'],
    'A type-level call without any `id` crashes the handler: 500.'),
  // outputs
  // the type-level scenarios judge their own answer before any bind, so they catch it too
  fault('missing-token', ['invoke.instance.post-parameters', 'invoke.instance.post-empty', 'invoke.type.single-id', 'invoke.type.several-ids'],
    'The `token` output is left out.'),
  fault('token-wrong-type', ['outputs.parameters.conform'], 'The token is sent as valueCode instead of valueString.'),
  fault('repeated-token', ['outputs.parameters.conform'], 'Two `token` outputs (max is 1), the second a decoy.'),
  fault('legacy-output-names', ['outputs.parameters.conform'],
    'The pre-release names: one `subscriptions` valueString with the ids comma-joined instead of repeated `subscription`.'),
  // The value breaks the dateTime datatype (DT-02, judged with every output's type) and the expiration's own rule.
  fault('expiration-no-timezone', ['outputs.parameters.conform', 'outputs.expiration.future-with-timezone'],
    '`expiration` has a time but no timezone (2030-01-01T10:00:00).'),
  fault('expiration-in-past', ['outputs.expiration.future-with-timezone'],
    '`expiration` states a time one hour ago (the token still works for its real lifetime).'),
  // A relative value breaks the url datatype (DT-05) and the output's own rule (OP-13); every bind that needs it is blocked.
  fault('websocket-url-relative', ['outputs.parameters.conform', 'outputs.websocket-url.absolute-ws'], '`websocket-url` is a relative path.'),
  fault('websocket-url-http', ['outputs.websocket-url.absolute-ws'], '`websocket-url` uses http:// instead of ws://.'),
  fault('websocket-url-string', ['outputs.parameters.conform'], '`websocket-url` is sent as valueString instead of valueUrl.'),
  fault('subscription-output-wrong', ['outputs.subscription.names-covered'],
    'Each `subscription` output names a Subscription the token does not cover (`<id>-other`).'),
  fault('websocket-url-wrong-path', ['binding.returned-url'],
    '`websocket-url` points at a path where no websocket endpoint listens (upgrade answered 404).'),
  // handshakes and binding
  // One defect, one failure: no form yields a handshake, so discovery learns none, binding.forms.accepted
  // fails and every scenario that needs a bind (binding.handshake.* included) is blocked by it.
  fault('no-handshake', ['binding.forms.accepted'],
    'A good bind is accepted silently: no handshake (events are still delivered).'),
  fault('handshake-wrong-type', ['binding.forms.accepted'], 'The handshake says SubscriptionStatus.type heartbeat.'),
  fault('handshake-wrong-subscription', ['binding.handshake.single'],
    'The handshake references `Subscription/<id>-other` instead of the bound Subscription.'),
  fault('handshake-bundle-type', ['binding.handshake.single'],
    'The handshake Bundle.type is collection (instead of subscription-notification / history).'),
  // invoke.type.several-ids judges coverage by events, so a handshake missing for a covered
  // Subscription is binding.handshake.multiple's alone.
  fault('handshake-first-only', ['binding.handshake.multiple'],
    'A token covering several Subscriptions yields only the first handshake (all are still bound).'),
  fault('second-bind-ignored', ['binding.rebind.same-connection'],
    'After the first bind on a connection, further bind messages are ignored.'),
  // notifications
  fault('content-ignored', ['binding.events.empty', 'binding.events.id-only'],
    'Events always carry the full resource, whatever the Subscription content level.'),
  fault('event-numbers-repeat', [
    'binding.events.empty', 'binding.events.id-only', 'binding.events.full-resource',
    'connections.missed.event-numbers', 'connections.missed.status-counts',
  ],
    'The event counter never advances: every event has eventNumber "0", the value the handshake already reported.'),
  fault('counter-advances-on-heartbeat', ['binding.heartbeat.period'],
    'Each heartbeat advances eventsSinceSubscriptionStart.'),
  fault('no-heartbeat', ['binding.heartbeat.period'], 'heartbeatPeriod is ignored: no heartbeats.', { expect: 'warning' }),
  fault('heartbeat-fixed-10s', ['binding.heartbeat.period'],
    'heartbeatPeriod is ignored: a server-wide timer sends every 10 s one heartbeat Bundle per socket, with one status entry per bound Subscription.',
    { expect: 'warning' }),
  // token validity
  fault('expired-tokens-accepted', ['expiry.refused-after'], 'Tokens still bind after their stated expiration.'),
  fault('tokens-expire-early', ['expiry.binds-late-in-life'], 'Tokens are refused after half of their stated lifetime.'),
  fault('token-prefix-match', ['forged.truncated', 'forged.extended'],
    'A presented token binds when it is a prefix of an issued token or an issued token is a prefix of it.'),
  fault('token-case-insensitive', ['forged.flip-case'], 'Tokens are compared ignoring case.'),
  fault('any-token-accepted', [...FORGERIES, 'expiry.refused-after'],
    'Any token, even an empty or unknown one, binds every websocket Subscription.', { alsoWarns: ['scope.revoked-on-delete'] }),
  fault('vanished-client-stalls-delivery', ['binding.vanished-client'],
    'A connection that drops without a closing handshake (code 1006) is never let go, and event delivery stops at it: connections made after it get no events.'),
  fault('token-binds-all', ['scope.token-a-not-b'], 'A valid token binds every websocket Subscription, not only those it covers.'),
  fault('tokens-survive-delete', ['scope.revoked-on-delete'],
    'Deleting a Subscription (or setting it off) does not revoke its tokens.', { expect: 'warning' }),
  fault('binding-token-any-identity', ['scope.other-identity-refused'],
    "`$get-ws-binding-token` ignores ownership: it issues tokens for another identity's Subscriptions (both levels), while read, search, update and delete still hide them. Only has an effect with two or more bearer identities."),
  // OP-16 is a rule for every error answer: each scenario that receives one judges it.
  fault('errors-without-outcome', ['discovery.opdef.unknown-404', 'invoke.errors.unknown-instance', 'invoke.errors.unknown-id-type-level', 'invoke.errors.malformed-id', 'invoke.errors.malformed-body', 'invoke.errors.rest-hook-subscription', 'scope.other-identity-refused'],
    'HTTP errors carry a text/plain body instead of an OperationOutcome.', { expect: 'warning' }),
  fault('jwt-alg-none-accepted', ['forged.jwt.alg-none'], 'JWT mode: a token with alg "none" and no signature is accepted.',
    { impliesTokenFormat: 'jwt' }),
  // A changed or extended last character changes only the signature: those forgeries bind as well.
  fault('jwt-signature-ignored', ['forged.change-end', 'forged.extended', 'forged.jwt.alg-none', 'forged.jwt.claims-changed', 'forged.jwt.signature-removed', 'forged.jwt.exp-forward'],
    'JWT mode: the claims are read without checking the algorithm or signature.', { impliesTokenFormat: 'jwt' }),
  fault('jwt-exp-ignored', ['expiry.refused-after'], 'JWT mode: the exp claim is not checked.', { impliesTokenFormat: 'jwt' }),
  // backport bundle shapes
  fault('entries-without-request', ['binding.handshake.single'],
    'History bundles have no entry.request (bdl-3/bdl-4); on R5 entry.request is optional, so legitimate there.',
    { versions: BACKPORT }),
  fault('status-resource-in-r4', ['binding.handshake.single'],
    'On R4 the status entry is a SubscriptionStatus resource instead of Parameters (backport-subscription-status-r4).',
    { versions: ['R4'] }),
  // real servers: behaviours the presets need that no entry above covers
  fault('metadata-plain-json', ['discovery.metadata.available'],
    'GET metadata answers Content-Type application/json (not application/fhir+json), as Medplum 5 does; other responses are unchanged.'),
  fault('subscription-deleted-on-close', ['binding.vanished-client'],
    'When any socket bound to a Subscription closes (cleanly or not), the Subscription is deleted, as Medplum does: later reads answer 404/410 and sockets bound to it elsewhere get no more events.'),
  fault('operation-absent', ['invoke.instance.post-parameters', 'invoke.instance.post-empty', 'invoke.type.single-id', 'invoke.type.several-ids'],
    '$get-ws-binding-token is not implemented: both levels answer 404 like an unknown operation (HAPI, Smile CDR, DSF).'),
  fault('second-bind-closes', ['binding.rebind.same-connection'],
    'A second bind message on a socket that already bound closes it with 1008 "single-bind-only" (Helios).'),
  fault('ids-input-name', ['invoke.type.single-id', 'invoke.type.several-ids'],
    'Type level reads the pre-release input name `ids` (a comma-joined list allowed) and ignores `id`; without `ids` it answers 400 (the Argonaut RI).'),
  fault('keepalive-text-frames', ['binding.heartbeat.period'],
    'Instead of heartbeat notifications, a plain text frame `keepalive <ISO time>` every heartbeatPeriod (the Argonaut RI).', { expect: 'warning' }),
  // connections over time (suites/08-connections.yaml)
  fault('xml-answered-in-json', ['connections.xml.notifications'],
    'A Subscription asking for application/fhir+xml is accepted, but its handshakes and events are sent as JSON.'),
  fault('event-numbers-restart-on-reconnect', ['connections.missed.event-numbers'],
    "Each new connection that binds a Subscription restarts its event counter: after a reconnect, eventNumber starts again at 1."),
  fault('status-misses-events', ['connections.missed.status-counts'],
    '`$status` counts only the events delivered over a socket: events that happened while no client was connected are left out.'),
  fault('heartbeats-stop-after-30s-idle', ['connections.idle.survives'],
    'Heartbeats stop once a binding has seen no event for 30 s (a socket a load balancer would then drop). Caught only with a soak longer than 30 s (the fault test runs 45 s).',
    { expect: 'warning', needsSoakSeconds: 45 }),
  // legitimate variants
  variant('bind-space-only', 'Only `bind-with-token <token>` is understood.'),
  variant('bind-colon-only', 'Only `bind-with-token: <token>` is understood.'),
  variant('bind-json-only', 'Only `{"type":"bind-with-token","payload":{"token":"…"}}` is understood.'),
  variant('single-use-tokens', 'A token binds once; later binds with it are refused.'),
  variant('no-ids-refused', 'A type-level call without `id` answers 400 (the operation allows failing).'),
  variant('bad-token-silent', 'A refused token gets no answer at all.'),
  variant('bad-token-close', 'A refused token closes the socket (1008).'),
  variant('subscription-output-omitted', 'No `subscription` outputs (0..*).'),
  variant('subscription-output-reference', '`subscription` outputs are written `Subscription/<id>`.'),
  variant('expiration-offset', '`expiration` is written with a +05:00 offset.'),
  variant('heartbeat-before-handshake', 'A heartbeat is sent just before each handshake.'),
  variant('backlog-replay', "After the handshake the Subscription's last event (if any) is sent again."),
  variant('unknown-subscription-400', 'An unknown or deleted Subscription answers 400 with an OperationOutcome ("Error reading subscription: …"), not 404 or 410.'),
  variant('websocket-only', 'Only websocket Subscriptions can be created; a rest-hook one is refused with 422 (a websocket server need not offer rest-hook).'),
  variant('opdef-not-served', 'No OperationDefinition is served (reads answer 404): serving it is optional.'),
  variant('status-counters-omitted', 'Status resources carry no eventsSinceSubscriptionStart and no topic (both 0..1).'),
  variant('renewal-duplicates', 'A renewal bind on the same socket adds a second delivery: each later event arrives twice, with the same eventNumber.'),
  variant('xml-refused', 'A Subscription asking for application/fhir+xml notifications is refused at creation (422): a server may offer JSON only, as long as it does not accept XML and send JSON.'),
  variant('unknown-frame-closes', 'An unknown text frame, a non-JSON frame or a binary frame closes the socket (1003) instead of answering with an OperationOutcome.'),
  variant('criteria-resource-type',
    'R4/R4B: Subscription.criteria may also be a resource type this server stores ("Patient", classic R4 criteria); such a Subscription fires on creates and updates of that type. Topic canonicals keep working; no effect on R5.'),
  variant('binding-token-as-bearer',
    'A binding token is also accepted as a REST bearer token, for the identity that obtained it, until its expiration: it can read and write resources and obtain a new binding token itself (Medplum).'),
  variant('rest-hook-tokens', 'A rest-hook Subscription gets a binding token too, and binding it yields a handshake (Medplum).'),
  variant('events-stop-at-expiry',
    "After a token's expiration, the sockets where it is bound get no more events for its Subscriptions; heartbeats continue and nothing tells the client (Medplum)."),
  variant('expiry-closes',
    'When the latest token bound on a socket expires, the server sends an OperationOutcome (expired) and closes the socket (1008): delivery stops and the client is told.'),
  variant('jwt-exp-before-expiration',
    'JWT mode: the exp claim counts whole seconds from the issuing second, so it is up to 1 s before the stated `expiration`; the token is refused from exp on (Medplum).',
    { impliesTokenFormat: 'jwt' }),
  variant('ping-pong-unbind',
    'JSON frames `{"type":"ping"}` are answered `{"type":"pong"}`; `{"type":"unbind-from-token","payload":{"token":…}}` unbinds that token\'s Subscriptions from the socket (Medplum).'),
  variant('legacy-bind-protocol',
    'The channel also speaks the pre-R5 protocol: `bind <id>` → `bound <id>`, then `ping <id>` on each event; the CapabilityStatement advertises the endpoint with the capabilitystatement-websocket extension (HAPI, Smile CDR, DSF; accepted by the Argonaut RI).'),
  variant('uuid-tokens', 'Opaque tokens are UUID v4 strings (122 random bits) instead of 256-bit base64url (Helios, the Argonaut RI).'),
  variant('bind-text-only', 'Only the two text forms `bind-with-token <token>` and `bind-with-token: <token>` are understood; JSON is refused (Helios).'),
] as const satisfies readonly FaultTableEntry[];

export type FaultName = (typeof FAULT_TABLE)[number]['name'];

export const FAULT_NAMES: readonly FaultName[] = FAULT_TABLE.map((entry) => entry.name);

/** Sets whose members contradict each other; at most one of each may be active. */
export const EXCLUSIVE_FAULT_GROUPS: readonly (readonly FaultName[])[] = [
  ['bind-space-only', 'bind-colon-only', 'bind-json-only', 'bind-text-only'],
  ['bad-token-silent', 'bad-token-close'],
  ['subscription-output-omitted', 'subscription-output-reference', 'subscription-output-wrong', 'legacy-output-names'],
  ['websocket-url-relative', 'websocket-url-http', 'websocket-url-string', 'websocket-url-wrong-path'],
  ['expiration-no-timezone', 'expiration-offset'],
  ['expired-tokens-accepted', 'tokens-expire-early'],
  ['missing-token', 'token-wrong-type', 'repeated-token'],
  ['post-refused', 'get-refused'],
  ['get-only', 'get-refused'],
  ['get-only', 'no-instance-level'],
  ['no-ids-500', 'no-ids-refused'],
  ['no-heartbeat', 'heartbeat-fixed-10s', 'keepalive-text-frames'],
  ['wrong-content-type', 'metadata-plain-json'],
  ['operation-absent', 'no-instance-level'],
  ['operation-absent', 'no-type-level'],
  ['second-bind-closes', 'second-bind-ignored'],
  ['opdef-not-served', 'opdef-differs'],
  ['opdef-not-served', 'opdef-token-repeats'],
];

export function isFaultName(name: string): name is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(name);
}

export function faultEntry(name: FaultName): FaultTableEntry {
  const entry = FAULT_TABLE.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`no fault table entry named ${name}`); // unreachable: FaultName is derived from the table
  return entry;
}

/** What the entry is on that version: a fault there, or behaviour the suite must accept. */
export function roleOn(entry: FaultTableEntry, version: FhirVersion): 'fault' | 'variant' {
  if (entry.kind === 'variant') return 'variant';
  return !entry.versions || entry.versions.includes(version) ? 'fault' : 'variant';
}

/** The active faults and variants of one server; everything asks this. */
export class ActiveFaults {
  private readonly names: ReadonlySet<FaultName>;
  constructor(names: Iterable<FaultName>) {
    this.names = new Set(names);
  }
  has(name: FaultName): boolean {
    return this.names.has(name);
  }
  list(): FaultName[] {
    return [...this.names];
  }
}

/** The table as Markdown, embedded in reference-server/README.md (a test keeps them equal). */
export function renderFaultTableMarkdown(): string {
  const rows = FAULT_TABLE.map((entry) => {
    const caught = entry.kind === 'fault' ? `${entry.catches.map((id) => `\`${id}\``).join(', ')} → ${entry.expect}${alsoWarnsText(entry, (id) => `\`${id}\``)}` : 'suite passes';
    const versions = entry.versions ? entry.versions.join(', ') : 'all';
    return `| \`${entry.name}\` | ${entry.kind} | ${versions} | ${escapeCell(entry.description)} | ${caught} |`;
  });
  return ['| name | kind | fault on | behaviour | caught by → outcome |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** "; `id` → warning" for the SHOULD-level scenarios a fault also breaks. */
export function alsoWarnsText(entry: FaultEntry, show: (id: string) => string = (id) => id): string {
  return entry.alsoWarns?.length ? `; ${entry.alsoWarns.map(show).join(', ')} → warning` : '';
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}
