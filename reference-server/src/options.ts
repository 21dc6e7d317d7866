/**
 * Options of the reference server, merged with their defaults in this one place. A bad option or a
 * bad combination throws a ReferenceServerOptionError at once, with a message that states the rule.
 */
import { tlsProblem, type TlsMaterial } from './tls.js';
import { EXCLUSIVE_FAULT_GROUPS, FAULT_NAMES, faultEntry, isFaultName, type FaultName } from './faults.js';
import { FHIR_VERSIONS, isFhirVersion, type FhirVersion } from './fhir-version.js';
import { isFhirId } from './fhir-primitives.js';
import { isPresetName, presetNamed, PRESET_NAMES, type Preset, type PresetName } from './presets.js';
import { DEFAULT_MAX_SUBSCRIPTIONS } from './subscription-quota.js';
import { BUILT_IN_TOPICS } from './topics.js';

export type TokenFormat = 'opaque' | 'jwt';
export type TopicInteraction = 'create' | 'update' | 'delete';

/** A topic: changes of `resourceType` by one of `interactions` fire notifications. */
export interface TopicDefinition {
  id: string; // SubscriptionTopic id
  url: string; // canonical, what Subscription.topic (R5) or .criteria (backport) names
  resourceType: string;
  interactions: TopicInteraction[];
  title?: string;
}

export interface ReferenceServerOptions {
  host?: string;
  port?: number;
  basePath?: string;
  fhirVersion?: FhirVersion;
  tokenTtlSeconds?: number;
  tokenFormat?: TokenFormat;
  faults?: string[];
  /** Topics in addition to the built-in Patient-create topic. */
  topics?: TopicDefinition[];
  /** The FHIR base as clients reach it (behind a proxy); websocket-url is derived from it. */
  publicUrl?: string;
  /**
   * When set, every REST request must carry `Authorization: Bearer <one of these tokens>` (the
   * websocket upgrade is not checked). Each token is one identity; with two or more, each identity
   * sees only the Subscriptions it created (ownership.ts).
   */
  bearerToken?: string | string[];
  /** Emulate a real server (presets.ts); options given beside it override its defaults. */
  preset?: PresetName;
  /** Serve https:// and wss:// with this PEM certificate and key (tls.ts has a bundled pair for local tests). */
  tls?: TlsMaterial;
  /** Live Subscriptions one client (bearer identity, or everyone without auth) may hold; 422 past it (subscription-quota.ts). */
  maxSubscriptions?: number;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  basePath: string; // '' for the root, else '/segment(/segment)*'
  fhirVersion: FhirVersion;
  tokenTtlSeconds: number;
  tokenFormat: TokenFormat;
  faults: FaultName[];
  topics: TopicDefinition[];
  publicUrl?: string;
  /** The identities' tokens, 1 to MAX_BEARER_IDENTITIES distinct ones; absent when bearerToken is not set. */
  bearerTokens?: string[];
  preset?: PresetName;
  tls?: TlsMaterial;
  maxSubscriptions: number;
}

export const DEFAULT_OPTIONS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  basePath: '/fhir',
  fhirVersion: 'R5',
  tokenTtlSeconds: 60,
  tokenFormat: 'opaque',
  maxSubscriptions: DEFAULT_MAX_SUBSCRIPTIONS,
} as const);

/** Largest request body accepted (413 above it). FHIR strings are limited to 1 MB too. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest websocket frame accepted; `ws` closes the socket with 1009 above it. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const MAX_TOKEN_TTL_SECONDS = 86_400;
export const MAX_BEARER_TOKEN_LENGTH = 4096;
/** Most bearer identities one server takes: enough for any ownership scenario, small enough to list. */
export const MAX_BEARER_IDENTITIES = 8;
/** The server-wide heartbeat interval of fault heartbeat-fixed-10s (Medplum's DEFAULT_HEARTBEAT_MS). */
export const FIXED_HEARTBEAT_INTERVAL_MS = 10_000;

export class ReferenceServerOptionError extends Error {
  readonly code = 'REF_ERR_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceServerOptionError';
  }
}

const KNOWN_KEYS = ['host', 'port', 'basePath', 'fhirVersion', 'tokenTtlSeconds', 'tokenFormat', 'faults', 'topics', 'publicUrl', 'bearerToken', 'preset', 'tls', 'maxSubscriptions'];

export function resolveOptions(given: ReferenceServerOptions = {}): ResolvedOptions {
  rejectUnknownKeys(given);
  const preset = given.preset === undefined ? undefined : resolvePreset(given.preset);
  const input = preset ? withPreset(given, preset) : given;
  const faults = resolveFaults(input.faults ?? [], preset);
  return {
    host: resolveHost(input.host ?? DEFAULT_OPTIONS.host),
    port: resolvePort(input.port ?? DEFAULT_OPTIONS.port),
    basePath: resolveBasePath(input.basePath ?? DEFAULT_OPTIONS.basePath),
    fhirVersion: resolveFhirVersion(input.fhirVersion ?? DEFAULT_OPTIONS.fhirVersion),
    tokenTtlSeconds: resolveTtl(input.tokenTtlSeconds ?? DEFAULT_OPTIONS.tokenTtlSeconds),
    tokenFormat: resolveTokenFormat(input.tokenFormat, faults),
    faults,
    topics: resolveTopics(input.topics ?? []),
    ...(input.publicUrl !== undefined ? { publicUrl: resolvePublicUrl(input.publicUrl) } : {}),
    ...(input.bearerToken !== undefined ? { bearerTokens: resolveBearerTokens(input.bearerToken) } : {}),
    ...(preset ? { preset: preset.name } : {}),
    ...(input.tls !== undefined ? { tls: resolveTls(input.tls) } : {}),
    maxSubscriptions: resolveMaxSubscriptions(input.maxSubscriptions ?? DEFAULT_OPTIONS.maxSubscriptions),
  };
}

function resolvePreset(name: unknown): Preset {
  if (typeof name !== 'string' || !isPresetName(name)) fail(`preset must be one of ${PRESET_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  return presetNamed(name);
}

/**
 * The preset's options under the given ones: its defaults yield to what the caller says, its fixed
 * options refuse a different value, and its faults are added to the caller's.
 */
function withPreset(given: ReferenceServerOptions, preset: Preset): ReferenceServerOptions {
  for (const [key, value] of Object.entries(preset.fixed) as Array<[keyof Preset['fixed'], string]>) {
    if (given[key] !== undefined && given[key] !== value) {
      fail(`preset ${preset.name} emulates ${preset.emulates}, which has ${key} ${value}; ${key} ${JSON.stringify(given[key])} contradicts it`);
    }
  }
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  const presetFaults = preset.faults.map((entry) => entry.name);
  const faults = given.faults === undefined ? presetFaults : Array.isArray(given.faults) ? [...presetFaults, ...given.faults] : given.faults;
  return { ...preset.defaults, ...preset.fixed, ...defined, faults };
}
function resolveTls(tls: unknown): TlsMaterial {
  const given = tls as Partial<TlsMaterial> | null;
  if (!given || typeof given !== 'object' || typeof given.cert !== 'string' || typeof given.key !== 'string') {
    fail('tls must be { cert, key }: a PEM certificate and its private key, as text');
  }
  const problem = tlsProblem(given as TlsMaterial);
  if (problem) fail(`tls: the certificate and key cannot be used (${problem})`);
  return { cert: given.cert!, key: given.key! };
}

function fail(message: string): never {
  throw new ReferenceServerOptionError(message);
}

function rejectUnknownKeys(input: object): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('options must be an object');
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.includes(key)) fail(`unknown option "${key}"; the options are ${KNOWN_KEYS.join(', ')}`);
  }
}

function resolveHost(host: unknown): string {
  if (typeof host !== 'string' || host.trim() === '') fail('host must be a non-empty string, e.g. 127.0.0.1');
  return host;
}

function resolvePort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`port must be an integer from 0 to 65535 (0 picks a free port), got ${JSON.stringify(port)}`);
  }
  return port;
}

/** '/' and '' mean the root; otherwise '/a/b' with no trailing slash and URL-safe characters. */
function resolveBasePath(basePath: unknown): string {
  if (typeof basePath !== 'string') fail('basePath must be a string such as /fhir');
  if (basePath === '' || basePath === '/') return '';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
    fail(`basePath must look like /fhir or /a/b (leading slash, no trailing slash, letters, digits, . _ ~ -), got "${basePath}"`);
  }
  return basePath;
}

function resolveFhirVersion(version: unknown): FhirVersion {
  if (typeof version !== 'string' || !isFhirVersion(version)) {
    fail(`fhirVersion must be one of ${FHIR_VERSIONS.join(', ')}, got ${JSON.stringify(version)}`);
  }
  return version;
}

/** Most live Subscriptions per client that may be configured (a limit, not a promise of capacity). */
export const MAX_MAX_SUBSCRIPTIONS = 1_000_000;

function resolveMaxSubscriptions(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_MAX_SUBSCRIPTIONS) {
    fail(`maxSubscriptions must be a whole number from 1 to ${MAX_MAX_SUBSCRIPTIONS}, got ${JSON.stringify(limit)}`);
  }
  return limit;
}

function resolveTtl(ttl: unknown): number {
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
    fail(`tokenTtlSeconds must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SECONDS}, got ${JSON.stringify(ttl)}`);
  }
  return ttl;
}

function resolveFaults(faults: unknown, preset?: Preset): FaultName[] {
  if (!Array.isArray(faults)) fail('faults must be an array of fault or variant names');
  const names: FaultName[] = [];
  for (const name of faults) {
    if (typeof name !== 'string' || !isFaultName(name)) {
      fail(`unknown fault "${String(name)}"; the faults and variants are: ${FAULT_NAMES.join(', ')}`);
    }
    if (!names.includes(name)) names.push(name);
  }
  for (const group of EXCLUSIVE_FAULT_GROUPS) {
    const active = group.filter((name) => names.includes(name));
    if (active.length > 1) {
      const fromPreset = preset ? active.filter((name) => preset.faults.some((entry) => entry.name === name)) : [];
      const note = fromPreset.length > 0 ? ` (${fromPreset.join(', ')} from preset ${preset!.name})` : '';
      fail(`faults ${active.join(' and ')} contradict each other: at most one of ${group.join(', ')}${note}`);
    }
  }
  return names;
}

/** The jwt-* faults need JWT tokens: they imply tokenFormat jwt, and contradict an explicit opaque. */
function resolveTokenFormat(format: unknown, faults: FaultName[]): TokenFormat {
  const needingJwt = faults.filter((name) => faultEntry(name).impliesTokenFormat === 'jwt');
  if (format === undefined) return needingJwt.length > 0 ? 'jwt' : DEFAULT_OPTIONS.tokenFormat;
  if (format !== 'opaque' && format !== 'jwt') fail(`tokenFormat must be opaque or jwt, got ${JSON.stringify(format)}`);
  if (format === 'opaque' && needingJwt.length > 0) {
    fail(`fault ${needingJwt[0]} needs tokenFormat jwt, but tokenFormat opaque was given`);
  }
  return format;
}

const RESERVED_TOPIC_TYPES = ['Subscription', 'SubscriptionTopic', 'OperationDefinition', 'CapabilityStatement', 'Parameters', 'Bundle'];

function resolveTopics(topics: unknown): TopicDefinition[] {
  if (!Array.isArray(topics)) fail('topics must be an array of { id, url, resourceType, interactions }');
  const resolved = topics.map((topic: unknown, index) => resolveTopic(topic, `topics[${index}]`));
  const all = [...BUILT_IN_TOPICS, ...resolved];
  for (const key of ['id', 'url'] as const) {
    const seen = new Set<string>();
    for (const topic of all) {
      if (seen.has(topic[key])) fail(`topics must have distinct ${key}s; "${topic[key]}" is used twice (built-in: ${BUILT_IN_TOPICS.map((t) => t[key]).join(', ')})`);
      seen.add(topic[key]);
    }
  }
  return resolved;
}

function resolveTopic(topic: unknown, where: string): TopicDefinition {
  if (typeof topic !== 'object' || topic === null) fail(`${where} must be an object { id, url, resourceType, interactions }`);
  const { id, url, resourceType, interactions, title } = topic as Record<string, unknown>;
  if (typeof id !== 'string' || !isFhirId(id)) fail(`${where}.id must be a FHIR id ([A-Za-z0-9.-], 1 to 64 characters)`);
  if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) fail(`${where}.url must be an absolute http(s) URL`);
  if (typeof resourceType !== 'string' || !/^[A-Z][A-Za-z]{1,63}$/.test(resourceType) || RESERVED_TOPIC_TYPES.includes(resourceType)) {
    fail(`${where}.resourceType must be a resource type name other than ${RESERVED_TOPIC_TYPES.join(', ')}`);
  }
  const validInteractions = ['create', 'update', 'delete'];
  if (!Array.isArray(interactions) || interactions.length === 0 || !interactions.every((i) => validInteractions.includes(i))) {
    fail(`${where}.interactions must be a non-empty array of create, update, delete`);
  }
  if (title !== undefined && typeof title !== 'string') fail(`${where}.title must be a string`);
  return { id, url, resourceType, interactions: [...new Set(interactions as TopicInteraction[])], ...(title ? { title } : {}) };
}

const BEARER_TOKEN_RULE = `1 to ${MAX_BEARER_TOKEN_LENGTH} visible ASCII characters without spaces (clients send it as Authorization: Bearer <token>)`;

/**
 * One token (one identity, exactly as before lists were allowed) or a list of distinct tokens, one
 * per identity. Messages name the list position, never the token.
 */
function resolveBearerTokens(given: unknown): string[] {
  if (!Array.isArray(given)) {
    if (!isBearerToken(given)) fail(`bearerToken must be ${BEARER_TOKEN_RULE}, or a list of 1 to ${MAX_BEARER_IDENTITIES} such tokens, one per identity`);
    return [given];
  }
  if (given.length === 0 || given.length > MAX_BEARER_IDENTITIES) {
    fail(`bearerToken as a list must hold 1 to ${MAX_BEARER_IDENTITIES} distinct tokens, one per identity; got ${given.length}`);
  }
  const tokens: string[] = [];
  for (let index = 0; index < given.length; index++) { // an index loop, so a hole in a sparse array is seen too
    const token: unknown = given[index];
    if (!isBearerToken(token)) fail(`bearerToken[${index}] must be ${BEARER_TOKEN_RULE}`);
    const first = tokens.indexOf(token);
    if (first !== -1) fail(`bearerToken[${index}] repeats bearerToken[${first}]: each identity needs its own token`);
    tokens.push(token);
  }
  return tokens;
}

/** Sent as `Authorization: Bearer <token>`: visible ASCII, no spaces, so it survives the header intact. */
function isBearerToken(token: unknown): token is string {
  return typeof token === 'string' && token.length > 0 && token.length <= MAX_BEARER_TOKEN_LENGTH && /^[\x21-\x7E]+$/.test(token);
}

function resolvePublicUrl(publicUrl: unknown): string {
  if (typeof publicUrl !== 'string') fail('publicUrl must be a string such as https://fhir.example.org/fhir');
  let parsed: URL;
  try {
    parsed = new URL(publicUrl);
  } catch {
    fail(`publicUrl must be an absolute http(s) URL, got "${publicUrl}"`);
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash) {
    fail(`publicUrl must be an absolute http(s) URL without query or fragment, got "${publicUrl}"`);
  }
  return parsed.href.replace(/\/+$/, '');
}
