/**
 * One client socket: its bind messages, its bound Subscriptions and their heartbeat timers.
 * Several binds per connection are allowed (WS-09): each good bind sends one handshake per covered
 * Subscription (WS-04, WS-10) and (re)binds them. Bad input never throws out of here: unknown
 * messages and binary frames get an OperationOutcome frame; a refused token gets an
 * OperationOutcome frame (variants: silence, or close with 1008). Delivery continues after the
 * token expires (the spec leaves that open; variant events-stop-at-expiry stops it) and stops when
 * the Subscription is deleted or set off. Variants add the frames real servers understand beside
 * bind-with-token: Medplum's ping and unbind-from-token, the pre-R5 `bind <id>` (bind-message.ts).
 */
import { WebSocket, type RawData } from 'ws';
import { parseClientMessage, parseExtraMessage, type BindForm, type ExtraMessage } from './bind-message.js';
import type { EventDispatcher, SubscriptionEvent } from './event-dispatch.js';
import type { BindingRegistry } from './binding-registry.js';
import type { ActiveFaults, FaultName } from './faults.js';
import { operationOutcome, type IssueCode } from './fhir-responses.js';
import type { FhirVersion } from './fhir-version.js';
import { serializeNotification } from './notification-format.js';
import { buildCombinedHeartbeat, buildNotification, type NotificationRequest, type NotificationType } from './notifications.js';
import { sendWithBackpressure } from './slow-consumer.js';
import type { SubscriptionDirectory } from './subscription-directory.js';
import type { SubscriptionModel } from './subscriptions.js';
import type { TokenService } from './tokens.js';
import { BindingLedger } from './binding-ledger.js';
import type { EventHistory } from './event-history.js';

export interface ConnectionContext {
  version: FhirVersion;
  faults: ActiveFaults;
  tokens: TokenService;
  directory: SubscriptionDirectory;
  dispatcher: EventDispatcher;
  now: () => number;
  /** Event history for $events and $status (absent in tests that build a connection alone). */
  history?: EventHistory;
}

/** One event's notification frame per FHIR base, built once for every socket bound to its Subscription. */
export type NotificationFrames = Map<string, Buffer>;

/** The variants that understand one bind form only. */
const ONLY_FORM: Array<[FaultName, BindForm]> = [
  ['bind-space-only', 'space'],
  ['bind-colon-only', 'colon'],
  ['bind-json-only', 'json'],
];

export class ChannelConnection {
  /** Bound Subscription id → its heartbeat timer (undefined: no heartbeatPeriod). */
  private readonly bindings = new Map<string, NodeJS.Timeout | undefined>();
  /** Variant legacy-bind-protocol: Subscriptions bound with `bind <id>`, notified with `ping <id>`. */
  private readonly legacyBindings = new Set<string>();
  private bindsAccepted = 0;
  /** Variant expiry-closes: fires when the latest token bound on this socket expires. */
  private expiryTimer?: NodeJS.Timeout;
  private expiresAtMs = 0;
  /** Token expiry, bind count and idleness per binding (binding-ledger.ts: variants over time). */
  private readonly ledger: BindingLedger;

  constructor(
    private readonly socket: WebSocket,
    private readonly fhirBase: string,
    private readonly context: ConnectionContext,
    private readonly registry: BindingRegistry<ChannelConnection>,
  ) {
    this.ledger = new BindingLedger(context.faults, context.now);
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('error', () => undefined); // oversize or malformed frames: `ws` closes the socket itself
  }

  get boundCount(): number {
    return this.bindings.size;
  }

  /** The Subscriptions bound on this socket, by token or (variant) by the pre-R5 `bind <id>`. */
  boundSubscriptionIds(): string[] {
    return [...new Set([...this.bindings.keys(), ...this.legacyBindings])];
  }

  /** `frames`: shared by the sockets an event goes to, so the Bundle is serialised once per FHIR base. */
  deliverEvent(event: SubscriptionEvent, subscription: SubscriptionModel, frames: NotificationFrames = new Map()): void {
    if (this.legacyBindings.has(subscription.id)) this.send(`ping ${subscription.id}`);
    if (!this.bindings.has(subscription.id)) return;
    const copies = this.ledger.eventCopies(subscription.id);
    if (copies === 0) return;
    let frame = frames.get(this.fhirBase);
    if (!frame) frames.set(this.fhirBase, (frame = this.notificationFrame('event-notification', subscription, event)));
    let sent = false;
    for (let copy = 0; copy < copies; copy++) sent = this.send(frame) === 'sent' || sent;
    // a socket already closing (the client's close frame is in) receives nothing: not delivered
    if (sent) this.context.history?.noteDelivered(subscription.id, event.eventNumber);
  }

  unbind(subscriptionId: string): void {
    clearInterval(this.bindings.get(subscriptionId));
    this.bindings.delete(subscriptionId);
    this.registry.remove(subscriptionId, this);
    this.ledger.forget(subscriptionId);
    this.legacyBindings.delete(subscriptionId);
  }

  /** Fault heartbeat-fixed-10s: the channel's timer calls this; one Bundle for every bound Subscription. */
  sendCombinedHeartbeat(): void {
    const subscriptions = [...this.bindings.keys()].flatMap((id) => this.bindable(id));
    if (subscriptions.length === 0) return;
    for (const subscription of subscriptions) this.context.dispatcher.noteHeartbeat(subscription.id);
    this.send(JSON.stringify(buildCombinedHeartbeat(subscriptions.map((s) => this.notificationRequest('heartbeat', s)), this.context.faults)));
  }

  dispose(): void {
    clearTimeout(this.expiryTimer);
    for (const [subscriptionId, timer] of this.bindings) {
      clearInterval(timer);
      this.registry.remove(subscriptionId, this);
    }
    for (const subscriptionId of this.legacyBindings) this.registry.remove(subscriptionId, this);
    this.bindings.clear();
    this.legacyBindings.clear();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const closeOnUnknown = this.context.faults.has('unknown-frame-closes');
    if (isBinary) {
      if (closeOnUnknown) return this.socket.close(1003, 'binary frames are not understood');
      return this.sendOutcome('not-supported', 'binary frames are not understood; send bind-with-token as text');
    }
    const text = rawToText(data);
    const extra = parseExtraMessage(text);
    if (extra && this.understands(extra)) return this.onExtraMessage(extra);
    const message = parseClientMessage(text);
    if (message.kind === 'unrecognised' && closeOnUnknown) return this.socket.close(1003, 'unknown message');
    if (message.kind === 'unrecognised' || !this.formAccepted(message.form)) {
      return this.sendOutcome('invalid', message.kind === 'unrecognised' ? message.reason : `this server does not understand the ${message.form} bind form`);
    }
    if (this.context.faults.has('second-bind-ignored') && this.bindsAccepted > 0) return;
    if (this.context.faults.has('second-bind-closes') && this.bindsAccepted > 0) return this.socket.close(1008, 'single-bind-only');
    this.bind(message.token);
  }

  private formAccepted(form: BindForm): boolean {
    if (this.context.faults.has('bind-text-only')) return form !== 'json';
    const only = ONLY_FORM.find(([variant]) => this.context.faults.has(variant));
    return !only || only[1] === form;
  }

  private understands(message: ExtraMessage): boolean {
    return this.context.faults.has(message.kind === 'legacy-bind' ? 'legacy-bind-protocol' : 'ping-pong-unbind');
  }

  private onExtraMessage(message: ExtraMessage): void {
    if (message.kind === 'ping') {
      this.send(JSON.stringify({ type: 'pong' }));
      return;
    }
    if (message.kind === 'unbind') {
      const resolution = this.context.tokens.resolve(message.token);
      if (resolution.ok) for (const id of resolution.subscriptionIds) this.unbind(id);
      return;
    }
    this.legacyBind(message.subscriptionId);
  }

  /** The pre-R5 protocol: no token, no handshake; an unknown id closes the socket (1002, as HAPI). */
  private legacyBind(subscriptionId: string): void {
    const [subscription] = this.bindable(subscriptionId);
    if (!subscription) return this.socket.close(1002, 'unknown subscription');
    this.legacyBindings.add(subscription.id);
    this.registry.add(subscription.id, this); // events find their sockets through the registry
    this.send(`bound ${subscription.id}`);
  }

  private bind(token: string): void {
    const resolution = this.context.tokens.resolve(token);
    if (!resolution.ok) return this.refuse(resolution.reason === 'expired' ? 'expired' : 'security', `bind-with-token refused: ${resolution.message}`);
    const subscriptions = resolution.subscriptionIds.flatMap((id) => this.bindable(id));
    if (subscriptions.length === 0) return this.sendOutcome('not-found', 'the token covers no existing websocket Subscription');
    this.bindsAccepted += 1;
    subscriptions.forEach((subscription, index) => this.bindOne(subscription, index === 0, resolution.expiresAtMs));
    if (this.context.faults.has('expiry-closes') && resolution.expiresAtMs !== undefined) this.closeAtExpiry(resolution.expiresAtMs);
  }

  /**
   * Variant expiry-closes: when the latest token bound here expires, say so and close — one way to
   * revoke a long-lived connection (WS-21). A renewal with a later token moves the moment.
   */
  private closeAtExpiry(expiresAtMs: number): void {
    if (expiresAtMs <= this.expiresAtMs) return;
    this.expiresAtMs = expiresAtMs;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => {
      this.sendOutcome('expired', 'the binding token expired: this connection is closed; bind a new token on a new connection');
      this.socket.close(1008, 'token expired');
    }, Math.max(0, expiresAtMs - this.context.now()));
  }

  /** A live websocket Subscription; a deleted one only when its tokens were not revoked (fault). */
  private bindable(id: string): SubscriptionModel[] {
    const found = this.context.directory.find(id);
    const channelBindable = found.state !== 'missing' && (found.model.channel === 'websocket' || this.context.faults.has('rest-hook-tokens'));
    if (found.state === 'missing' || !channelBindable) return [];
    if (found.state === 'deleted' && !this.context.faults.has('tokens-survive-delete')) return [];
    return [found.model];
  }

  private bindOne(subscription: SubscriptionModel, first: boolean, tokenExpiresAtMs?: number): void {
    const { faults } = this.context;
    const reconnect = !this.bindings.has(subscription.id);
    if (reconnect && faults.has('event-numbers-restart-on-reconnect')) this.context.dispatcher.restartCounter(subscription.id);
    clearInterval(this.bindings.get(subscription.id)); // a renewal replaces the heartbeat timer
    this.legacyBindings.delete(subscription.id); // a token bind replaces a pre-R5 `bind <id>`
    this.ledger.noteBind(subscription.id, tokenExpiresAtMs);
    if (faults.has('heartbeat-before-handshake')) this.sendNotification('heartbeat', subscription);
    const handshakeDue = !faults.has('no-handshake') && (first || !faults.has('handshake-first-only'));
    if (handshakeDue) this.sendNotification('handshake', subscription);
    this.bindings.set(subscription.id, this.heartbeatTimer(subscription));
    this.registry.add(subscription.id, this);
    const backlog = faults.has('backlog-replay') ? this.context.dispatcher.lastEvent(subscription.id) : undefined;
    if (backlog) this.sendNotification('event-notification', subscription, backlog);
  }

  private heartbeatTimer(subscription: SubscriptionModel): NodeJS.Timeout | undefined {
    const { faults } = this.context;
    if (!subscription.heartbeatPeriod || faults.has('no-heartbeat') || faults.has('heartbeat-fixed-10s')) return undefined;
    if (faults.has('keepalive-text-frames')) {
      return setInterval(() => this.send(`keepalive ${new Date(this.context.now()).toISOString()}`), subscription.heartbeatPeriod * 1000);
    }
    return setInterval(() => {
      if (!this.ledger.heartbeatDue(subscription.id)) return;
      this.context.dispatcher.noteHeartbeat(subscription.id);
      this.sendNotification('heartbeat', subscription);
    }, subscription.heartbeatPeriod * 1000);
  }

  private sendNotification(type: NotificationType, subscription: SubscriptionModel, event?: SubscriptionEvent): void {
    this.send(this.notificationFrame(type, subscription, event));
  }

  /** In the wire format the Subscription asked for (notification-format.ts: FHIR XML or JSON). */
  private notificationFrame(type: NotificationType, subscription: SubscriptionModel, event?: SubscriptionEvent): Buffer {
    const bundle = buildNotification(this.notificationRequest(type, subscription, event), this.context.faults);
    return Buffer.from(serializeNotification(bundle, subscription, this.context.faults));
  }

  private notificationRequest(type: NotificationType, subscription: SubscriptionModel, event?: SubscriptionEvent): NotificationRequest {
    return {
      version: this.context.version,
      type,
      subscription,
      eventsSinceSubscriptionStart: this.context.dispatcher.eventCount(subscription.id),
      ...(event ? { event } : {}),
      fhirBase: this.fhirBase,
      nowMs: this.context.now(),
    };
  }

  private refuse(code: IssueCode, message: string): void {
    const { faults } = this.context;
    if (faults.has('bad-token-silent')) return;
    if (faults.has('bad-token-close')) return this.socket.close(1008, 'token refused');
    this.sendOutcome(code, message);
  }

  private sendOutcome(code: IssueCode, message: string): void {
    this.send(JSON.stringify(operationOutcome(code, message)));
  }

  /** Every frame goes through the backpressure check (slow-consumer.ts). */
  private send(data: string | Buffer): ReturnType<typeof sendWithBackpressure> {
    return sendWithBackpressure(this.socket, typeof data === 'string' ? Buffer.from(data) : data);
  }
}

function rawToText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
