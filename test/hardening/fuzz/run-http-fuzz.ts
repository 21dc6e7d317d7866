/**
 * Runs N HTTP fuzz cases against a server with a fixed number of requests in flight, bounded by a
 * case count and a deadline. Cases are generated in index order from one seeded PRNG, so a seed
 * replays the same sequence whatever the concurrency.
 */
import http from 'node:http';
import { generateHttpCase, type CaseContext, type HttpCase } from './http-cases.js';
import { judgeExchange } from './http-rules.js';
import { sendCase } from './http-send.js';
import type { Random } from './prng.js';

export interface Violation {
  index: number;
  label: string;
  problem: string;
}

export interface HttpFuzzOptions {
  baseUrl: string;
  rng: Random;
  cases: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Per exchange. */
  timeoutMs: number;
  /** Stop starting new cases after this long. */
  deadlineMs: number;
  liveIds: readonly string[];
  /** Violations kept in full (all are counted). */
  keepViolations?: number;
}

export interface HttpFuzzStats {
  cases: number;
  byStatus: Record<string, number>;
  violations: Violation[];
  violationCount: number;
  elapsedMs: number;
}

export async function runHttpFuzz(options: HttpFuzzOptions): Promise<HttpFuzzStats> {
  const url = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const target = { host: url.hostname, port: Number(url.port), agent, timeoutMs: options.timeoutMs };
  const context: CaseContext = { basePath: url.pathname.replace(/\/+$/, ''), liveIds: options.liveIds };
  const stats: HttpFuzzStats = { cases: 0, byStatus: {}, violations: [], violationCount: 0, elapsedMs: 0 };
  const started = Date.now();
  let next = 0;
  const take = (): HttpCase | undefined => {
    if (next >= options.cases || Date.now() - started > options.deadlineMs) return undefined;
    return generateHttpCase(options.rng, next++, context);
  };
  const worker = async (): Promise<void> => {
    for (let fuzzCase = take(); fuzzCase; fuzzCase = take()) {
      const exchange = await sendCase(target, fuzzCase);
      stats.cases++;
      const key = exchange.status !== undefined ? String(exchange.status) : 'no-response';
      stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
      const problem = judgeExchange(fuzzCase, exchange);
      if (problem) record(stats, { index: fuzzCase.index, label: fuzzCase.label, problem }, options.keepViolations ?? 50);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  stats.elapsedMs = Date.now() - started;
  return stats;
}

export function record(stats: { violations: Violation[]; violationCount: number }, violation: Violation, keep: number): void {
  stats.violationCount++;
  if (stats.violations.length < keep) stats.violations.push(violation);
}
