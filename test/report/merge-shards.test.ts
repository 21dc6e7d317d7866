/**
 * merge-shards.ts: the results of a sharded run become one run — every scenario once, counts and
 * verdict recomputed, baseline lists united — and files that are not shards of one run are refused
 * naming both files and what differs. Embedded runs (a new port each time) are one server when
 * their faults agree.
 */
import { expect, test } from '@playwright/test';
import { mergeShards, type Shard } from '../../runner/report/merge-shards.js';
import type { RunResults } from '../../runner/report/results-types.js';
import { computeVerdict, summarizeScenarios } from '../../runner/report/verdict.js';
import { HarnessError } from '../../runner/errors.js';
import { sampleResults } from './fixtures/sample-results.js';

const PROVENANCE: NonNullable<RunResults['provenance']> = { node: 'v20', playwright: '1.0', suite: { hash: 'aaaaaaaaaaaaaaaa', scenarios: 52, requirementsHash: 'bbbbbbbbbbbbbbbb' } };

/** The sample run cut in two, as `--shard=1/2` and `--shard=2/2` would have produced it. */
function shards(mutate: (second: RunResults) => void = () => undefined): [Shard, Shard] {
  const whole = sampleResults();
  const half = Math.ceil(whole.scenarios.length / 2);
  const part = (scenarios: RunResults['scenarios'], n: number, startedAt: string, finishedAt: string): RunResults => ({
    ...sampleResults(),
    provenance: PROVENANCE,
    invocation: `fhir-ws-conformance --server http://127.0.0.1:8080/fhir -- --shard=${n}/2`,
    scenarios,
    startedAt,
    finishedAt,
  });
  const first = part(whole.scenarios.slice(0, half), 1, '2026-01-01T10:00:05.000Z', '2026-01-01T10:01:00.000Z');
  const second = part(whole.scenarios.slice(half), 2, '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:50.000Z');
  mutate(second);
  return [{ source: 'shard-1/results.json', results: first }, { source: 'shard-2/results.json', results: second }];
}

function refusal(input: Shard[]): string {
  try {
    mergeShards(input);
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('FWC_ERR_CONFIG');
    return (error as Error).message;
  }
  throw new Error('expected the merge to be refused');
}

test('two shards become one run: every scenario once, counts and verdict of the whole, the run\'s time span', () => {
  const merged = mergeShards(shards(), { label: 'nightly' });
  const all = sampleResults().scenarios;
  expect(merged.scenarios.map((s) => s.id).sort()).toEqual(all.map((s) => s.id).sort());
  expect(merged.summary).toEqual(summarizeScenarios(all));
  expect(merged.verdict).toBe(computeVerdict({ scenarios: all, level: 'shall' }));
  expect(merged.startedAt).toBe('2026-01-01T10:00:00.000Z');
  expect(merged.finishedAt).toBe('2026-01-01T10:01:00.000Z');
  expect(merged.invocation).toBe('fhir-ws-conformance --server http://127.0.0.1:8080/fhir');
  expect(merged.label).toBe('nightly');
  expect(merged.provenance).toEqual(PROVENANCE);
  expect(merged.requirements?.length).toBe(sampleResults().requirements?.length);
});

test('shards of different suites, servers, versions or levels are refused, naming both files', () => {
  expect(refusal(shards((r) => (r.provenance = { ...PROVENANCE, suite: { ...PROVENANCE.suite, hash: 'cccccccccccccccc' } }))))
    .toBe('merge: shard-1/results.json and shard-2/results.json are not shards of one run: their suites differ (aaaaaaaaaaaaaaaa; cccccccccccccccc)');
  expect(refusal(shards((r) => (r.server = { ...r.server, url: 'https://other.example/fhir' })))).toContain('their servers differ');
  expect(refusal(shards((r) => (r.server = { ...r.server, fhirVersion: 'R4' })))).toContain('their FHIR versions differ');
  expect(refusal(shards((r) => (r.level = 'should')))).toContain('their levels differ');
  expect(refusal(shards((r) => delete r.provenance))).toContain('shard-2/results.json records no suite hash');
  const [one] = shards();
  expect(refusal([one, { ...one, source: 'again.json' }])).toContain('is in both shard-1/results.json and again.json (the same shard given twice?)');
});

test('embedded reference server: the same faults on another port is the same server; other faults are not', () => {
  const embedded = (port: number, faults: string[]) => (r: RunResults) => (r.server = { url: `http://127.0.0.1:${port}/fhir`, fhirVersion: 'R5', embedded: { faults } });
  const pair = (a: (r: RunResults) => void, b: (r: RunResults) => void): Shard[] => {
    const [first, second] = shards(b);
    a(first.results);
    return [first, second];
  };
  expect(mergeShards(pair(embedded(40001, ['no-handshake']), embedded(40002, ['no-handshake']))).server.embedded).toEqual({ faults: ['no-handshake'] });
  expect(refusal(pair(embedded(40001, ['no-handshake']), embedded(40002, [])))).toContain('the bundled reference server with faults no-handshake; the bundled reference server');
});

test('baseline lists are united: an entry one shard did not run is decided by the shard that did', () => {
  const [first, second] = shards();
  const failing = second.results.scenarios.find((s) => s.outcome === 'failed')!;
  failing.accepted = { reason: 'vendor ticket' };
  first.results.baseline = { file: 'b.yaml', accepted: [], stale: [], expired: [], notRun: [failing.id] };
  second.results.baseline = { file: 'b.yaml', accepted: [failing.id], stale: [], expired: [], notRun: [] };
  const merged = mergeShards([first, second]);
  expect(merged.baseline).toEqual({ file: 'b.yaml', accepted: [failing.id], stale: [], expired: [], notRun: [] });
  expect(merged.summary.accepted).toBe(1);
});
