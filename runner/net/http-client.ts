/**
 * A bounded HTTP client for talking to the server under test. It never throws because of what the
 * server does: a hang becomes a timeout error, garbage becomes text with a jsonError, a huge body is
 * read up to a cap, a reset becomes an error sentence. Every exchange is recorded in the transcript.
 */
import { parseServerJson } from '../checks/json-depth.js';
import { harnessError } from '../errors.js';
import type { Transcript } from '../evidence/transcript.js';
import { describeNetworkError } from './network-errors.js';
import { fetchFollowing } from './follow-redirects.js';
import { headersForOrigin } from './origin-policy.js';
import { readCappedBody, type CappedBody } from './read-capped-body.js';

export const FHIR_JSON = 'application/fhir+json';
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
/** Large enough to see a token over FHIR's 1 MB string limit, small enough to stay harmless. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface HttpClientOptions {
  /** The FHIR base, e.g. http://127.0.0.1:8080/fhir. Relative paths are appended to it. */
  baseUrl: string;
  /** Sent with every request (Authorization etc.); request headers override them. */
  headers?: Record<string, string>;
  /** Covers the whole exchange: connecting, the response headers and reading the body. */
  timeoutMs?: number;
  transcript?: Transcript;
  maxBodyBytes?: number;
  /** Default false: a redirect is recorded and returned as is, not silently followed. When true, a hop to another origin carries no credential. */
  followRedirects?: boolean;
}

export interface HttpRequest {
  method: string;
  /** Relative to baseUrl ("Subscription/a/$get-ws-binding-token"; a leading "/" is also relative). */
  path?: string;
  /** An absolute URL, used instead of path. */
  url?: string;
  /** Arrays repeat the key: { id: ['a', 'b'] } → id=a&id=b. */
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  /** Sent instead of the client's own default headers (another identity's credentials). */
  defaultHeaders?: Record<string, string>;
  /** Object → JSON (Content-Type application/fhir+json unless given); string → sent as is; undefined → no body. */
  body?: unknown;
  /** With no body, state "Content-Length: 0" explicitly (a POST with an empty body). */
  emptyBody?: boolean;
  timeoutMs?: number;
}

export interface HttpResult {
  /** A response arrived (whatever its status). */
  ok: boolean;
  status?: number;
  statusText?: string;
  /** Lower-case names; repeated headers joined with ", " (Set-Cookie with newlines). */
  headers: Record<string, string>;
  text?: string;
  /** Parsed when the body is JSON, whatever the content-type. */
  json?: unknown;
  /** Why a non-empty body is not JSON. */
  jsonError?: string;
  /** Network failure in words: "timed out after 10000 ms waiting for the response headers", "connection refused (ECONNREFUSED)". */
  error?: string;
  /** The body was longer than maxBodyBytes; text holds the first part and a marker. */
  truncated?: boolean;
  durationMs: number;
  /** The URL requested (unredacted; do not log it, the transcript holds the redacted form). */
  url: string;
}

export class HttpClient {
  readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly transcript?: Transcript;
  private readonly maxBodyBytes: number;
  private readonly followRedirects: boolean;

  constructor(options: HttpClientOptions) {
    this.baseUrl = validBaseUrl(options.baseUrl);
    this.headers = { ...(options.headers ?? {}) };
    this.timeoutMs = positiveInteger(options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS, 'timeoutMs');
    this.maxBodyBytes = positiveInteger(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes');
    this.transcript = options.transcript;
    this.followRedirects = options.followRedirects ?? false;
  }

  /** Resolve path/url + query to the absolute URL the request goes to. */
  resolveUrl(request: Pick<HttpRequest, 'path' | 'url' | 'query'>): string {
    const target = request.url ?? request.path ?? '';
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : joinPath(this.baseUrl, target);
    return appendQuery(absolute, request.query);
  }

  async request(request: HttpRequest): Promise<HttpResult> {
    const url = this.resolveUrl(request);
    const method = request.method.toUpperCase();
    const { headers, body } = this.prepare(request, url);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const startedAt = new Date();
    const started = performance.now();
    const result = await this.exchange(url, method, headers, body, timeoutMs, started);
    this.record(startedAt, result, method, headers, body);
    return result;
  }

  /** Credentials go only to the base URL's origin: a request to another one carries none (origin-policy.ts). */
  private prepare(request: HttpRequest, url: string): { headers: Record<string, string>; body?: string } {
    const merged = mergeHeaders({ Accept: FHIR_JSON }, request.defaultHeaders ?? this.headers, request.headers ?? {});
    const headers = headersForOrigin(url, this.baseUrl, merged);
    if (request.body === undefined) {
      if (request.emptyBody) setHeaderIfAbsent(headers, 'Content-Length', '0');
      return { headers };
    }
    const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    setHeaderIfAbsent(headers, 'Content-Type', FHIR_JSON);
    return { headers, body };
  }

  private async exchange(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
    started: number,
  ): Promise<HttpResult> {
    // One controller and timer for the whole exchange (headers and body), cleared when done, so no
    // timer outlives the request; fetch's own timeouts (minutes) never come into play.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutMarker()), timeoutMs);
    const elapsed = (): number => Math.round(performance.now() - started);
    const timedOut = (phase: string): string => `timed out after ${timeoutMs} ms ${phase}`;
    try {
      let response: Response;
      try {
        response = this.followRedirects
          ? await fetchFollowing(url, { method, headers, body, signal: controller.signal }, this.baseUrl)
          : await fetch(url, { method, headers, body, signal: controller.signal, redirect: 'manual' });
      } catch (error) {
        const why = controller.signal.aborted ? timedOut('waiting for the response headers') : describeNetworkError(error);
        return { ok: false, headers: {}, error: why, durationMs: elapsed(), url };
      }
      const read = await readCappedBody(response, this.maxBodyBytes);
      let readError: string | undefined;
      if (read.error !== undefined) {
        const why = controller.signal.aborted ? timedOut('reading the body') : `${read.error} while reading the body`;
        readError = `${why} (${read.bytes} bytes received)`;
      }
      return { ...responseFields(response, read, this.maxBodyBytes), ...(readError ? { error: readError } : {}), durationMs: elapsed(), url };
    } finally {
      clearTimeout(timer);
    }
  }

  private record(startedAt: Date, result: HttpResult, method: string, headers: Record<string, string>, body: string | undefined): void {
    this.transcript?.recordHttp({
      startedAt: startedAt.toISOString(),
      durationMs: result.durationMs,
      request: { method, url: result.url, headers, ...(body !== undefined ? { body } : {}) },
      ...(result.status !== undefined
        ? {
            response: {
              status: result.status,
              headers: result.headers,
              ...(result.text !== undefined ? { body: result.text } : {}),
              ...(result.truncated ? { bodyTruncated: true } : {}),
            },
          }
        : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
    });
  }
}

class TimeoutMarker extends Error {
  constructor() {
    super('timeout');
    this.name = 'TimeoutError';
  }
}

function responseFields(response: Response, read: CappedBody, maxBodyBytes: number): Omit<HttpResult, 'durationMs' | 'url'> {
  const fields: Omit<HttpResult, 'durationMs' | 'url'> = {
    ok: true,
    status: response.status,
    statusText: response.statusText,
    headers: headerRecord(response.headers),
  };
  if (read.truncated) {
    return { ...fields, truncated: true, text: `${read.text}…[truncated: read limit of ${maxBodyBytes} bytes reached]`, jsonError: `the body is longer than the read limit of ${maxBodyBytes} bytes, so it was not parsed` };
  }
  if (read.bytes === 0) return { ...fields, text: '' };
  return { ...fields, text: read.text, ...parseJson(read.text, read.error !== undefined) };
}

function parseJson(text: string, incomplete: boolean): { json?: unknown; jsonError?: string } {
  const parsed = parseServerJson(text);
  if (parsed.error === undefined) return { json: parsed.json };
  return { jsonError: incomplete && parsed.notJson ? `the body is incomplete, so ${parsed.error}` : parsed.error };
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) {
    const separator = name === 'set-cookie' ? '\n' : ', ';
    record[name] = name in record ? `${record[name]}${separator}${value}` : value;
  }
  return record;
}

function mergeHeaders(...layers: Array<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer)) {
      for (const existing of Object.keys(merged)) if (existing.toLowerCase() === name.toLowerCase()) delete merged[existing];
      merged[name] = value;
    }
  }
  return merged;
}

function setHeaderIfAbsent(headers: Record<string, string>, name: string, value: string): void {
  if (!Object.keys(headers).some((existing) => existing.toLowerCase() === name.toLowerCase())) headers[name] = value;
}

function joinPath(base: string, path: string): string {
  if (path === '') return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function appendQuery(url: string, query: HttpRequest['query']): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const encoded = params.toString();
  if (encoded === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${encoded}`;
}

function validBaseUrl(baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw harnessError('FWC_ERR_CONFIG', `the FHIR base URL "${baseUrl}" is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw harnessError('FWC_ERR_CONFIG', `the FHIR base URL "${baseUrl}" must use http or https, not ${parsed.protocol}`);
  }
  return baseUrl;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw harnessError('FWC_ERR_CONFIG', `HttpClient ${name} must be a positive integer, got ${value}`);
  return value;
}
