/**
 * The websocket endpoint at `<basePath>/websocket` (what websocket-url points to). Accepts upgrades
 * there only (elsewhere: 404 and the socket is dropped), tracks connections, fans events out to
 * the connections bound to a Subscription, unbinds Subscriptions that are deleted or set off, and
 * on close() terminates every socket and stops every timer. Under fault heartbeat-fixed-10s it runs
 * one server-wide heartbeat timer instead of per-Subscription ones; under fault
 * subscription-deleted-on-close a closing socket deletes the Subscriptions bound on it.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { BindingRegistry } from './binding-registry.js';
import type { ResourceStore } from './store.js';
import { isRetired } from './subscriptions.js';
import { FIXED_HEARTBEAT_INTERVAL_MS, MAX_FRAME_BYTES } from './options.js';
import { ChannelConnection, type ConnectionContext, type NotificationFrames } from './websocket-connection.js';

export interface ChannelOptions extends ConnectionContext {
  path: string;
  store: ResourceStore;
  /** The FHIR base as the upgrading client addressed it (for fullUrls in notifications). */
  fhirBaseFor: (request: IncomingMessage) => string;
}

export class WebsocketChannel {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly connections = new Set<ChannelConnection>();
  private readonly bindings = new BindingRegistry<ChannelConnection>();
  /** Fault vanished-client-stalls-delivery: connections that dropped without a close frame, never let go. */
  private readonly vanished = new Set<ChannelConnection>();
  private readonly fixedHeartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly options: ChannelOptions) {
    if (options.faults.has('heartbeat-fixed-10s')) {
      this.fixedHeartbeat = setInterval(() => {
        for (const connection of this.connections) connection.sendCombinedHeartbeat();
      }, FIXED_HEARTBEAT_INTERVAL_MS);
      this.fixedHeartbeat.unref(); // never what keeps a process alive
    }
    options.dispatcher.onEvent((event, subscription) => {
      const frames: NotificationFrames = new Map();
      if (!options.faults.has('vanished-client-stalls-delivery')) {
        for (const connection of this.bindings.connectionsOf(subscription.id)) connection.deliverEvent(event, subscription, frames);
        return;
      }
      for (const connection of this.connections) {
        if (this.vanished.has(connection)) break; // the fault: delivery stalls at the dead socket
        connection.deliverEvent(event, subscription, frames);
      }
    });
    options.store.onChange(({ interaction, resource }) => {
      if (resource.resourceType !== 'Subscription') return;
      if (interaction === 'delete' || isRetired(String(resource.status))) this.unbindEverywhere(String(resource.id));
    });
  }

  /** Called for every HTTP upgrade; answers 404 for any path but the channel's. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (pathOf(request.url) !== this.options.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => {
      const connection = new ChannelConnection(ws, this.options.fhirBaseFor(request), this.options, this.bindings);
      this.connections.add(connection);
      ws.on('close', (code) => {
        const bound = connection.boundSubscriptionIds();
        connection.dispose();
        // fault subscription-deleted-on-close (Medplum): a closing socket takes its Subscriptions with it
        if (this.options.faults.has('subscription-deleted-on-close')) for (const id of bound) this.options.store.delete('Subscription', id);
        // 1006: the connection dropped with no close frame (a client that vanished)
        if (code === 1006 && this.options.faults.has('vanished-client-stalls-delivery')) return void this.vanished.add(connection);
        this.connections.delete(connection);
      });
    });
  }

  /** Open sockets and bound Subscriptions (with their heartbeat timers): for tests and benchmarks. */
  stats(): { connections: number; bindings: number } {
    let bindings = 0;
    for (const connection of this.connections) bindings += connection.boundCount;
    return { connections: this.connections.size, bindings };
  }

  async close(): Promise<void> {
    clearInterval(this.fixedHeartbeat);
    for (const connection of this.connections) connection.dispose();
    for (const ws of this.server.clients) ws.terminate();
    this.connections.clear();
    this.vanished.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private unbindEverywhere(subscriptionId: string): void {
    for (const connection of this.bindings.connectionsOf(subscriptionId)) connection.unbind(subscriptionId);
  }
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}
