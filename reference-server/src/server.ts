/**
 * startReferenceServer: wires the parts together and listens. The server is in-memory and starts
 * empty apart from its conformance resources (the OperationDefinition, the SubscriptionTopics).
 * close() terminates every socket and stops every timer, so the process can exit.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { BindingTokenBearers } from './binding-token-bearer.js';
import { Endpoints } from './endpoints.js';
import { EventDispatcher } from './event-dispatch.js';
import { ActiveFaults } from './faults.js';
import { operationOutcome } from './fhir-responses.js';
import { EventHistory } from './event-history.js';
import { createRequestHandler } from './http-router.js';
import { servedOperationDefinition } from './operation-definition.js';
import { SubscriptionOwnership } from './ownership.js';
import { resolveOptions, type ReferenceServerOptions, type ResolvedOptions } from './options.js';
import { ResourceStore } from './store.js';
import { SubscriptionDirectory } from './subscription-directory.js';
import { SubscriptionQuota } from './subscription-quota.js';
import { isRetired } from './subscriptions.js';
import { TokenService } from './tokens.js';
import { isBackport } from './fhir-version.js';
import { subscriptionTopicResource, TopicCatalogue } from './topics.js';
import { WebsocketChannel } from './websocket-channel.js';

export interface ReferenceServer {
  /** The FHIR base on the listening socket, e.g. http://127.0.0.1:PORT/fhir (https with tls; no trailing slash). */
  url: string;
  /** The websocket channel on the listening socket, e.g. ws://127.0.0.1:PORT/fhir/websocket (wss with tls). */
  websocketUrl: string;
  options: ResolvedOptions;
  /** Open websocket connections and bound Subscriptions right now (diagnostics, tests, benchmarks). */
  stats(): { connections: number; bindings: number };
  /** For tests: every binding token issued so far (the most recent 10 000), to prove none leaks. */
  issuedTokens(): string[];
  close(): Promise<void>;
}

export async function startReferenceServer(input: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const options = resolveOptions(input);
  const now = Date.now;
  const faults = new ActiveFaults(options.faults);
  const topics = new TopicCatalogue(options.topics, {
    resourceTypeCriteria: faults.has('criteria-resource-type') && isBackport(options.fhirVersion),
  });
  const store = seededStore(options, topics, faults, now);
  const directory = new SubscriptionDirectory(store, options.fhirVersion);
  const tokens = new TokenService({
    format: options.tokenFormat,
    ttlSeconds: options.tokenTtlSeconds,
    faults,
    allWebsocketSubscriptionIds: () => directory.activeWebsocketIds(),
    now,
  });
  store.onChange(({ interaction, resource }) => {
    if (resource.resourceType !== 'Subscription') return;
    if (interaction === 'delete' || isRetired(String(resource.status))) tokens.revokeSubscription(String(resource.id));
  });
  const dispatcher = new EventDispatcher(store, topics, options.fhirVersion, faults, now);
  const history = new EventHistory(dispatcher, store); // for $events, and $status under status-misses-events

  // https when given a certificate: the same handlers, and the websocket channel becomes wss://
  const server: http.Server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }) : http.createServer();
  const endpoints = new Endpoints(options, () => server.address() as AddressInfo);
  const channel = new WebsocketChannel({
    path: endpoints.websocketPath,
    version: options.fhirVersion,
    faults,
    tokens,
    directory,
    dispatcher,
    history,
    store,
    now,
    fhirBaseFor: (request) => endpoints.fhirBaseFor(request),
  });
  const context = { basePath: options.basePath, version: options.fhirVersion, faults, store, topics, tokens, directory, endpoints, now, dispatcher, history };
  const bearerTokens = options.bearerTokens ?? [];
  const ownership = new SubscriptionOwnership(bearerTokens.length);
  const subscriptionQuota = new SubscriptionQuota(options.maxSubscriptions, store);
  const bindingBearers = faults.has('binding-token-as-bearer') ? new BindingTokenBearers() : undefined;
  server.on('request', createRequestHandler({ ...context, startedAt: now(), bearerTokens, ownership, subscriptionQuota, ...(bindingBearers ? { bindingBearers } : {}) }));
  server.on('upgrade', (request, socket: Duplex, head: Buffer) => channel.handleUpgrade(request, socket, head));
  server.on('clientError', (_error, socket: Duplex) => answerUnparseable(socket));

  await listen(server, options);
  const url = endpoints.localFhirBase();
  return {
    url,
    websocketUrl: `${url.replace(/^http/, 'ws')}/websocket`,
    options,
    stats: () => channel.stats(),
    issuedTokens: () => tokens.issuedTokens(),
    close: () => closeAll(server, channel),
  };
}

function seededStore(options: ResolvedOptions, topics: TopicCatalogue, faults: ActiveFaults, now: () => number): ResourceStore {
  const store = new ResourceStore(now);
  if (!faults.has('opdef-not-served')) store.seed(servedOperationDefinition(options.fhirVersion, faults));
  if (options.fhirVersion !== 'R4') {
    for (const topic of topics.topics) store.seed({ ...subscriptionTopicResource(topic), id: topic.id });
  }
  return store;
}

function listen(server: http.Server, options: ResolvedOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A request Node could not even parse (bad request line, huge headers): 400 and close. */
function answerUnparseable(socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify(operationOutcome('structure', 'the HTTP request could not be parsed'));
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/fhir+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

async function closeAll(server: http.Server, channel: WebsocketChannel): Promise<void> {
  await channel.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
