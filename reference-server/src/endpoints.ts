/**
 * Where things are, as a client sees them. The FHIR base is `publicUrl` when given (a proxy in
 * front), else http(s)://<Host header><basePath> — so a client that came in through "localhost" gets
 * URLs it can reach — else the bound address. The websocket channel lives at
 * `<basePath>/websocket`; its URL is the FHIR base with http→ws / https→wss plus `/websocket`.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedOptions } from './options.js';

export const WEBSOCKET_SEGMENT = 'websocket';

const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/** A Host header we can build URLs from: a name or IP literal, and a port no larger than 65535. */
function isUsableHost(host: string): boolean {
  const match = HOST_HEADER.exec(host);
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65_535);
}

export class Endpoints {
  readonly websocketPath: string;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly address: () => AddressInfo,
  ) {
    this.websocketPath = `${options.basePath}/${WEBSOCKET_SEGMENT}`;
  }

  /** The base on the listening socket itself, whatever publicUrl says (what a local client uses). */
  localFhirBase(): string {
    return `${this.scheme()}://${this.boundHost()}${this.options.basePath}`;
  }

  /** The base written into responses for this request. */
  fhirBaseFor(request: IncomingMessage): string {
    if (this.options.publicUrl) return this.options.publicUrl;
    const host = request.headers.host;
    return host && isUsableHost(host) ? `${this.scheme()}://${host}${this.options.basePath}` : this.localFhirBase();
  }

  private scheme(): 'http' | 'https' {
    return this.options.tls ? 'https' : 'http';
  }

  websocketUrlFor(request: IncomingMessage): string {
    return `${this.fhirBaseFor(request).replace(/^http/, 'ws')}/${WEBSOCKET_SEGMENT}`;
  }

  /** host:port of the listening socket; wildcard addresses are shown as loopback. */
  private boundHost(): string {
    const { address, port, family } = this.address();
    if (address === '0.0.0.0' || address === '') return `127.0.0.1:${port}`;
    if (address === '::') return `[::1]:${port}`;
    return family === 'IPv6' ? `[${address}]:${port}` : `${address}:${port}`;
  }
}
