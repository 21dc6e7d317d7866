/**
 * One client socket: its bind messages, its bound Subscriptions and their heartbeat timers.
 * Several binds per connection are allowed (WS-09): each good bind sends one handshake per covered
 * Subscription (WS-04, WS-10) and (re)binds them. Bad input never throws out of here: unknown
 * messages and binary frames get an OperationOutcome frame; a refused token gets an
 * OperationOutcome frame (variants: silence, or close with 1008). Delivery continues after the
 * token expires (the spec leaves that open) and stops when the Subscription is deleted or set off.
 */
import type { RawData, WebSocket } from 'ws';
import { parseClientMessage, type BindForm } from './bind-message.js';
import type { EventDispatcher, SubscriptionEvent } from './event-dispatch.js';
import type { BindingRegistry } from './binding-registry.js';
import type { ActiveFaults, FaultName } from './faults.js';
import { operationOutcome, type IssueCode } from './fhir-responses.js';
import type { FhirVersion } from './fhir-version.js';
import { buildCombinedHeartbeat, buildNotification, type NotificationRequest, type NotificationType } from './notifications.js';
import { sendWithBackpressure } from './slow-consumer.js';
import type { SubscriptionDirectory } from './subscription-directory.js';
import type { SubscriptionModel } from './subscriptions.js';
import type { TokenService } from './tokens.js';

export interface ConnectionContext {
  version: FhirVersion;
  faults: ActiveFaults;
  tokens: TokenService;
  directory: SubscriptionDirectory;
  dispatcher: EventDispatcher;
  now: () => number;
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
  private bindsAccepted = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly fhirBase: string,
    private readonly context: ConnectionContext,
    private readonly registry: BindingRegistry<ChannelConnection>,
  ) {
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('error', () => undefined); // oversize or malformed frames: `ws` closes the socket itself
  }

  get boundCount(): number {
    return this.bindings.size;
  }

  /** The Subscriptions bound on this socket (fault subscription-deleted-on-close deletes them when it closes). */
  boundSubscriptionIds(): string[] {
    return [...this.bindings.keys()];
  }

  /** `frames`: shared by the sockets an event goes to, so the Bundle is serialised once per FHIR base. */
  deliverEvent(event: SubscriptionEvent, subscription: SubscriptionModel, frames: NotificationFrames = new Map()): void {
    if (!this.bindings.has(subscription.id)) return;
    let frame = frames.get(this.fhirBase);
    if (!frame) frames.set(this.fhirBase, (frame = this.notificationFrame('event-notification', subscription, event)));
    this.send(frame);
  }

  unbind(subscriptionId: string): void {
    clearInterval(this.bindings.get(subscriptionId));
    this.bindings.delete(subscriptionId);
    this.registry.remove(subscriptionId, this);
  }

  /** Fault heartbeat-fixed-10s: the channel's timer calls this; one Bundle for every bound Subscription. */
  sendCombinedHeartbeat(): void {
    const subscriptions = [...this.bindings.keys()].flatMap((id) => this.bindable(id));
    if (subscriptions.length === 0) return;
    for (const subscription of subscriptions) this.context.dispatcher.noteHeartbeat(subscription.id);
    this.send(JSON.stringify(buildCombinedHeartbeat(subscriptions.map((s) => this.notificationRequest('heartbeat', s)), this.context.faults)));
  }

  dispose(): void {
    for (const [subscriptionId, timer] of this.bindings) {
      clearInterval(timer);
      this.registry.remove(subscriptionId, this);
    }
    this.bindings.clear();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.sendOutcome('not-supported', 'binary frames are not understood; send bind-with-token as text');
    const message = parseClientMessage(rawToText(data));
    if (message.kind === 'unrecognised' || !this.formAccepted(message.form)) {
      return this.sendOutcome('invalid', message.kind === 'unrecognised' ? message.reason : `this server does not understand the ${message.form} bind form`);
    }
    if (this.context.faults.has('second-bind-ignored') && this.bindsAccepted > 0) return;
    this.bind(message.token);
  }

  private formAccepted(form: BindForm): boolean {
    const only = ONLY_FORM.find(([variant]) => this.context.faults.has(variant));
    return !only || only[1] === form;
  }

  private bind(token: string): void {
    const resolution = this.context.tokens.resolve(token);
    if (!resolution.ok) return this.refuse(resolution.reason === 'expired' ? 'expired' : 'security', `bind-with-token refused: ${resolution.message}`);
    const subscriptions = resolution.subscriptionIds.flatMap((id) => this.bindable(id));
    if (subscriptions.length === 0) return this.sendOutcome('not-found', 'the token covers no existing websocket Subscription');
    this.bindsAccepted += 1;
    subscriptions.forEach((subscription, index) => this.bindOne(subscription, index === 0));
  }

  /** A live websocket Subscription; a deleted one only when its tokens were not revoked (fault). */
  private bindable(id: string): SubscriptionModel[] {
    const found = this.context.directory.find(id);
    if (found.state === 'missing' || found.model.channel !== 'websocket') return [];
    if (found.state === 'deleted' && !this.context.faults.has('tokens-survive-delete')) return [];
    return [found.model];
  }

  private bindOne(subscription: SubscriptionModel, first: boolean): void {
    const { faults } = this.context;
    this.unbind(subscription.id);
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
    return setInterval(() => {
      this.context.dispatcher.noteHeartbeat(subscription.id);
      this.sendNotification('heartbeat', subscription);
    }, subscription.heartbeatPeriod * 1000);
  }

  private sendNotification(type: NotificationType, subscription: SubscriptionModel, event?: SubscriptionEvent): void {
    this.send(this.notificationFrame(type, subscription, event));
  }

  private notificationFrame(type: NotificationType, subscription: SubscriptionModel, event?: SubscriptionEvent): Buffer {
    return Buffer.from(JSON.stringify(buildNotification(this.notificationRequest(type, subscription, event), this.context.faults)));
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
  private send(data: string | Buffer): void {
    sendWithBackpressure(this.socket, typeof data === 'string' ? Buffer.from(data) : data);
  }
}

function rawToText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
