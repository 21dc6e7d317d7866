/**
 * Which connections have bound which Subscription: an event goes straight to the sockets bound to
 * its Subscription instead of asking every open connection (5,000 sockets × every event). A
 * connection registers each binding it makes and removes it on unbind and on close.
 */
export class BindingRegistry<Connection> {
  private readonly bySubscription = new Map<string, Set<Connection>>();

  add(subscriptionId: string, connection: Connection): void {
    let connections = this.bySubscription.get(subscriptionId);
    if (!connections) this.bySubscription.set(subscriptionId, (connections = new Set()));
    connections.add(connection);
  }

  remove(subscriptionId: string, connection: Connection): void {
    const connections = this.bySubscription.get(subscriptionId);
    connections?.delete(connection);
    if (connections?.size === 0) this.bySubscription.delete(subscriptionId);
  }

  /** A snapshot, in bind order: delivery may close a connection while the caller iterates. */
  connectionsOf(subscriptionId: string): Connection[] {
    return [...(this.bySubscription.get(subscriptionId) ?? [])];
  }
}
