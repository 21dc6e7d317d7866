/**
 * Learns what the run needs about the target before any scenario: FHIR version (from the
 * CapabilityStatement unless configured), the canonical OperationDefinition for it, a topic to
 * subscribe to, which capabilities the suite can use, and how the operation is called and a token
 * bound (learn-protocol.ts). The target comes back frozen. Unreachable → HarnessError (exit 2);
 * anything else the server gets wrong is left for the scenarios to judge.
 */
import { MAX_WALK_DEPTH } from '../checks/json-depth.js';
import type { RunConfig } from '../config/run-config.js';
import { HttpClient } from '../net/http-client.js';
import { Transcript } from '../evidence/transcript.js';
import type { Capability, FhirVersion } from '../scenario/model.js';
import { canonicalOperationDefinition } from '../validator/definitions.js';
import { resolveAuth } from './auth.js';
import { learnProtocol } from './learn-protocol.js';
import { recogniseLegacyProtocol } from './legacy-protocol.js';
import { observeTokenSecurity } from './security-observations.js';
import { probeOtherIdentity, type OtherIdentity } from './other-identity.js';
import { fetchCapabilityStatement } from './read-capability-statement.js';
import { freezeTarget, nothingLearned, type Target } from './target.js';

export async function discoverTarget(config: RunConfig & { server: string }): Promise<Target> {
  const auth = await resolveAuth(config);
  const { capabilityStatement, unresponsive } = await fetchCapabilityStatement(config, auth.headers);
  const { fhirVersion, source } = decideVersion(config, capabilityStatement);
  const http = new HttpClient({ baseUrl: config.server, headers: auth.headers, timeoutMs: config.timeouts.httpMs, transcript: new Transcript() });
  const topic = config.topic || unresponsive ? { url: config.topic, resourceType: undefined } : await findTopic(http, fhirVersion, capabilityStatement);
  const software = (capabilityStatement?.software ?? {}) as { name?: string; version?: string };
  const other = unresponsive ? undefined : await probeOtherIdentity(config, auth.headers);
  const target: Target = {
    baseUrl: config.server,
    fhirVersion,
    fhirVersionSource: source,
    software: software.name,
    softwareVersion: software.version,
    capabilityStatement,
    operationDefinition: canonicalOperationDefinition(fhirVersion) as unknown as Record<string, unknown>,
    topic: topic?.url,
    triggerResourceType: String((config.trigger as { resourceType?: unknown } | undefined)?.resourceType ?? topic?.resourceType ?? 'Patient'),
    capabilities: new Set(),
    missingCapabilityReasons: {},
    config,
    authHeaders: auth.headers,
    ...(other?.available ? { otherAuthHeaders: other.headers } : {}),
    secrets: [...auth.secrets, ...(other?.secrets ?? [])],
    learned: nothingLearned(),
    unresponsive,
  };
  decideCapabilities(target, other);
  // legacy-protocol.ts and security-observations.ts add their facts before the target is frozen
  const learning = { ...target, learned: { ...(await learnProtocol(target)) } };
  await recogniseLegacyProtocol(learning);
  await observeTokenSecurity(learning);
  return freezeTarget(learning);
}

export function versionFromFhirVersion(fhirVersion: unknown): FhirVersion | undefined {
  if (typeof fhirVersion !== 'string') return undefined;
  if (fhirVersion.startsWith('4.0')) return 'R4';
  if (fhirVersion.startsWith('4.3')) return 'R4B';
  if (fhirVersion.startsWith('5.0')) return 'R5';
  return undefined;
}

function decideVersion(config: RunConfig, cs: Record<string, unknown> | undefined): { fhirVersion: FhirVersion; source: string } {
  if (config.fhirVersion !== 'auto') return { fhirVersion: config.fhirVersion, source: 'config' };
  const detected = versionFromFhirVersion(cs?.fhirVersion);
  if (detected) return { fhirVersion: detected, source: `CapabilityStatement.fhirVersion ${String(cs?.fhirVersion)}` };
  return { fhirVersion: 'R5', source: `assumed R5: CapabilityStatement.fhirVersion is ${JSON.stringify(cs?.fhirVersion ?? null)}` };
}

interface FoundTopic { url: string; resourceType?: string }

/** R5/R4B: search SubscriptionTopic; R4/R4B: the backport's CapabilityStatement extension. */
async function findTopic(http: HttpClient, version: FhirVersion, cs: Record<string, unknown> | undefined): Promise<FoundTopic | undefined> {
  if (version !== 'R4') {
    const result = await http.request({ method: 'GET', path: 'SubscriptionTopic' });
    const topics = ((result.json as { entry?: Array<{ resource?: Record<string, unknown> }> } | undefined)?.entry ?? [])
      .map((e) => e.resource)
      .filter((r): r is Record<string, unknown> => !!r && r.resourceType === 'SubscriptionTopic' && typeof r.url === 'string');
    const preferred = topics.find((t) => triggerType(t) === 'Patient') ?? topics[0];
    if (preferred) return { url: preferred.url as string, resourceType: triggerType(preferred) };
  }
  const canonical = findTopicExtension(cs);
  return canonical ? { url: canonical } : undefined;
}

function triggerType(topic: Record<string, unknown>): string | undefined {
  const triggers = topic.resourceTrigger as Array<{ resource?: string }> | undefined;
  return triggers?.[0]?.resource?.replace(/^.*\//, '');
}

/** Any extension whose url names the backport's subscription-topic canonical, anywhere in the statement (up to MAX_WALK_DEPTH). */
function findTopicExtension(node: unknown, depth = 0): string | undefined {
  if (depth > MAX_WALK_DEPTH) return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findTopicExtension(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if (typeof record.url === 'string' && /subscriptiontopic/i.test(record.url) && typeof record.valueCanonical === 'string') return record.valueCanonical;
  return findTopicExtension(Object.values(record).filter((v) => typeof v === 'object'), depth + 1);
}

function decideCapabilities(target: Target, other: OtherIdentity | undefined): void {
  const { config } = target;
  const set = (capability: Capability, available: boolean, reason: string) => {
    if (available) target.capabilities.add(capability);
    else target.missingCapabilityReasons[capability] = reason;
  };
  const create = config.subscriptions.create;
  const noTopic = 'no SubscriptionTopic was found (set `topic` in the config)';
  set('create-subscriptions', create, 'the config says the suite may not create Subscriptions');
  set('delete-subscriptions', create, 'the suite may not create (and so not delete) Subscriptions');
  set('topic', !!target.topic || !create, noTopic);
  set('trigger-events', !!target.topic, target.topic ? '' : noTopic);
  set('two-subscriptions', create || config.subscriptions.existing.websocket.length >= 2, 'needs two websocket Subscriptions: list two ids in subscriptions.existing.websocket');
  set('rest-hook-subscription', create || !!config.subscriptions.existing.restHook, 'needs a rest-hook Subscription: set subscriptions.existing.restHook');
  set('other-identity', other?.available === true, other?.available === false ? other.reason : 'the server did not answer discovery');
}
