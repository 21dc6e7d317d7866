/**
 * Fuzzing the reference server (in its own process): over 10,000 cases — 8,000 HTTP requests at the
 * REST endpoints and both levels of $get-ws-binding-token (malformed JSON, huge bodies, wrong media
 * types, invalid ids, odd query strings and methods, raw byte-level requests) and 3,000 websocket
 * frames (random text and binary, bind near-misses, oversize frames, two floods of 500 binds).
 *
 * Asserted: no response ≥ 500; no crash (the process lives and answers metadata afterwards); every
 * 4xx carries an OperationOutcome; every websocket frame gets one FHIR JSON reply; and the server's
 * memory returns near its baseline — heapUsed measured after a forced GC (the child runs with
 * --expose-gc), within 10 MB of a baseline taken after a 300-case warm-up, and no leaked sockets.
 *
 * The seed is random per run and printed on failure; replay with FWC_FUZZ_SEED=<seed>.
 */
import { test, expect } from '@playwright/test';
import { spawnReferenceServer } from '../../bench/support/spawn-reference-server.js';
import { describeFuzzReport, fuzzReferenceServer, type FuzzReport } from './fuzz/fuzz-reference-server.js';
import { fuzzSeed } from './fuzz/prng.js';

/**
 * What the fuzz may legitimately leave behind: the tokens it was issued (kept until an hour after
 * they expire, by design) and V8's own caches. A leaked 1–50 MB request body, or a socket's buffers
 * per connection, would show far above this.
 */
const HEAP_MARGIN_BYTES = 10 * 1024 * 1024;
const FD_MARGIN = 4;

test('the reference server survives 10,000+ fuzz cases with no 5xx, no crash, an OperationOutcome on every 4xx, memory back near baseline', async ({}, testInfo) => {
  // The case count is the point, the deadline only a bound against a hang: idle, 8,000 HTTP cases
  // take under 10 s; with four busy processes on two cores 30 s reached 5,921 of them.
  test.setTimeout(180_000);
  const seed = fuzzSeed();
  testInfo.annotations.push({ type: 'fuzz seed', description: `${seed} (replay: FWC_FUZZ_SEED=${seed})` });
  const server = await spawnReferenceServer({ fhirVersion: 'R5' });
  let report: FuzzReport;
  try {
    report = await fuzzReferenceServer(server, { seed, httpCases: 8_000, wsFrames: 2_000, floodBinds: 500, deadlineMs: 100_000 });
  } finally {
    await server.close();
  }
  const summary = describeFuzzReport(report);
  await testInfo.attach('fuzz summary', { body: summary, contentType: 'text/plain' });
  const context = (what: string, details: unknown = '') =>
    `${what} — replay with FWC_FUZZ_SEED=${seed}\n${summary}\n${typeof details === 'string' ? details : JSON.stringify(details, null, 2)}`;

  expect(report.totalCases, context('fewer cases than planned')).toBeGreaterThanOrEqual(10_000);
  expect(report.notAliveAfter, context('the server did not survive')).toBeUndefined();
  const fiveHundreds = Object.keys(report.http.byStatus).filter((status) => Number(status) >= 500);
  expect(fiveHundreds, context('responses ≥ 500', report.http.violations.filter((v) => /HTTP 5\d\d/.test(v.problem)))).toEqual([]);
  expect(report.http.violations, context(`${report.http.violationCount} HTTP violation(s)`, report.http.violations)).toEqual([]);
  expect(report.ws.violations, context(`${report.ws.violationCount} websocket violation(s)`, report.ws.violations)).toEqual([]);
  const { baseline, after } = report.memory;
  expect(after.gcExposed, context('the server child runs without --expose-gc')).toBe(true);
  expect(after.heapUsed - baseline.heapUsed, context('heapUsed after GC grew by more than 10 MB')).toBeLessThan(HEAP_MARGIN_BYTES);
  expect(after.openFds - baseline.openFds, context('file descriptors (sockets) leaked')).toBeLessThanOrEqual(FD_MARGIN);
});
