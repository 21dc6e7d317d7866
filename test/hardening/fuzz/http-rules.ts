/**
 * What every answer to a fuzz case must satisfy: an answer at all (within the timeout), never a 5xx,
 * an OperationOutcome body on every 4xx, JSON on every 2xx (websocket upgrade requests: the first
 * two only). Returns the problem in words, or undefined when the exchange is fine.
 */
import type { HttpCase } from './http-cases.js';
import type { Exchange } from './http-send.js';

export function judgeExchange(fuzzCase: HttpCase, exchange: Exchange): string | undefined {
  if (exchange.timedOut) return exchange.error ?? 'no answer in time';
  if (exchange.status === undefined) {
    return fuzzCase.mayCloseWithoutAnswer ? undefined : `no HTTP response (${exchange.error ?? 'connection closed'})`;
  }
  const status = exchange.status;
  if (status >= 500) return `HTTP ${status}: ${preview(exchange.body)}`;
  if (fuzzCase.method === 'HEAD') return undefined; // a HEAD answer has no body by definition
  if (fuzzCase.upgrade) return undefined; // a refused websocket handshake may carry any body (RFC 6455 §4.2.2)
  if (status >= 400) return outcomeProblem(status, exchange.body);
  if (status >= 200 && status < 300 && exchange.body.length > 0 && parseJson(exchange.body) === undefined) {
    return `HTTP ${status} with a body that is not JSON: ${preview(exchange.body)}`;
  }
  return undefined;
}

function outcomeProblem(status: number, body: Buffer): string | undefined {
  const json = parseJson(body) as { resourceType?: unknown; issue?: unknown } | undefined;
  if (json?.resourceType === 'OperationOutcome' && Array.isArray(json.issue) && json.issue.length > 0) return undefined;
  return `HTTP ${status} without an OperationOutcome body: ${preview(body)}`;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function preview(body: Buffer): string {
  if (body.length === 0) return '(empty body)';
  const text = body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ');
  return body.length > 200 ? `${text}…(${body.length} bytes)` : text;
}
