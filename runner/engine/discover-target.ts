/**
 * Learns what the run needs about the target before any scenario: FHIR version (from the
 * CapabilityStatement unless configured), the canonical OperationDefinition for it, a topic to
 * subscribe to, and which capabilities the suite can use. Unreachable → HarnessError (exit 2);
 * anything else the server gets wrong is left for the scenarios to judge.
 */
import { Client } from 'fhir-kit-client';
import type { RunConfig } from '../config/run-config.js';
import { harnessError } from '../errors.js';
import { HttpClient } from '../net/http-client.js';
import { Transcript } from '../evidence/transcript.js';
import type { Capability, FhirVersion } from '../scenario/model.js';
import { canonicalOperationDefinition } from '../validator/definitions.js';
import { resolveAuth } from './auth.js';
import { learnBindFormUpFront } from './learn-bind-form.js';
import { recogniseLegacyProtocol } from './legacy-protocol.js';
import { observeTokenSecurity } from './security-observations.js';
import { probeOtherIdentity, type OtherIdentity } from './other-identity.js';
import type { Target } from './target.js';

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
    learned: {},
    unresponsive,
  };
  decideCapabilities(target, other);
  if (!unresponsive) await learnBindFormUpFront(target);
  await recogniseLegacyProtocol(target);
  await observeTokenSecurity(target);
  return target;
}

async function fetchCapabilityStatement(
  config: RunConfig & { server: string },
  headers: Record<string, string>,
): Promise<{ capabilityStatement?: Record<string, unknown>; unresponsive?: string }> {
  const client = new Client({ baseUrl: config.server, customHeaders: headers });
  try {
    const cs = (await client.capabilityStatement({ signal: AbortSignal.timeout(config.timeouts.httpMs) } as never)) as Record<string, unknown>;
    return { capabilityStatement: cs && cs.resourceType === 'CapabilityStatement' ? cs : undefined };
  } catch (error) {
    if (isTimeout(error)) return { unresponsive: `GET ${config.server}/metadata got no answer within ${config.timeouts.httpMs} ms` };
    if (isNetworkFailure(error)) {
      const reason = networkReason(error);
      // Nothing listening is a harness problem (exit 2); a server that accepts and then breaks off is a finding.
      if (UNREACHABLE.has(reason)) throw harnessError('FWC_ERR_SERVER_UNREACHABLE', `cannot reach ${config.server}: ${reason}`);
      return { unresponsive: `GET ${config.server}/metadata failed: ${reason}` };
    }
    return {}; // an HTTP error or a non-FHIR body: discovery.metadata.available reports it
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function isNetworkFailure(error: unknown): boolean {
  const e = error as { response?: unknown; status?: unknown; name?: string; cause?: unknown };
  return e?.response === undefined && e?.status === undefined && (e?.name === 'TypeError' || e?.name === 'TimeoutError' || e?.name === 'AbortError');
}

function networkReason(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer within the HTTP timeout';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'network error';
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

/** Any extension whose url names the backport's subscription-topic canonical, anywhere in the statement. */
function findTopicExtension(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findTopicExtension(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if (typeof record.url === 'string' && /subscriptiontopic/i.test(record.url) && typeof record.valueCanonical === 'string') return record.valueCanonical;
  return findTopicExtension(Object.values(record).filter((v) => typeof v === 'object'));
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
