/**
 * `fhir-ws-conformance merge`: the results.json files of a `-- --shard=N/M` run (one per machine)
 * become the results of one run, from which the usual reports are written with one verdict.
 *
 * Shards merge only when they are parts of one run: the same suite (provenance suite hash), the same
 * server (serverIdentity: the URL, or the bundled reference server with the same faults, whatever
 * port it got), the same FHIR version and level, and no scenario in two of them. Anything else is
 * FWC_ERR_CONFIG naming the two files that disagree.
 *
 * The merged run is rebuilt from the shards' scenarios by buildResults (summary, verdict, coverage,
 * timing, profile), exactly as the reporter builds a run; baseline bookkeeping is united (an entry
 * one shard did not run is decided by the shard that did).
 */
import { harnessError } from '../errors.js';
import type { RequirementRow } from '../suite/requirements.js';
import { buildResults } from './build-results.js';
import { withLabel } from './label.js';
import type { RunResults, ScenarioResult } from './results-types.js';
import { serverIdentity } from './server-identity.js';
import { computeVerdict, summarizeScenarios } from './verdict.js';

export interface Shard {
  /** The file it was read from, as given on the command line (named in every refusal). */
  source: string;
  results: RunResults;
}

export interface MergeOptions {
  /** --label for the merged run; default: the shards' label when they all carry the same one. */
  label?: string;
}

export function mergeShards(shards: readonly Shard[], options: MergeOptions = {}): RunResults {
  if (shards.length === 0) throw harnessError('FWC_ERR_CONFIG', 'merge: no results files given');
  checkSameRun(shards);
  const scenarios = uniteScenarios(shards);
  const [first] = shards as [Shard, ...Shard[]];
  const built = buildResults({
    tool: first.results.tool,
    ...(first.results.provenance ? { provenance: first.results.provenance } : {}),
    server: mostKnownServer(shards),
    invocation: unshardedInvocation(first.results.invocation),
    startedAt: earliest(shards.map((s) => s.results.startedAt)),
    finishedAt: latest(shards.map((s) => s.results.finishedAt)),
    level: first.results.level,
    scenarios,
    profiles: shards.map((s) => s.results.profile),
    requirements: requirementRows(shards),
  });
  const baseline = uniteBaselines(shards);
  const merged: RunResults = baseline
    ? { ...built, baseline, summary: summarizeScenarios(built.scenarios), verdict: computeVerdict({ scenarios: built.scenarios, level: built.level, baseline }) }
    : built;
  return withLabel(merged, options.label ?? commonLabel(shards));
}

function checkSameRun(shards: readonly Shard[]): void {
  const [first, ...rest] = shards as [Shard, ...Shard[]];
  const refuse = (other: Shard, what: string, a: string, b: string) =>
    harnessError('FWC_ERR_CONFIG', `merge: ${first.source} and ${other.source} are not shards of one run: ${what} differ (${a}; ${b})`);
  for (const shard of [first, ...rest]) {
    if (!shard.results.provenance) {
      throw harnessError('FWC_ERR_CONFIG', `merge: ${shard.source} records no suite hash (provenance), so it cannot be told to be part of the same run; rerun it with this version`);
    }
  }
  for (const other of rest) {
    const [a, b] = [first.results, other.results];
    if (a.provenance!.suite.hash !== b.provenance!.suite.hash) throw refuse(other, 'their suites', a.provenance!.suite.hash, b.provenance!.suite.hash);
    if (serverIdentity(a.server) !== serverIdentity(b.server)) throw refuse(other, 'their servers', serverIdentity(a.server), serverIdentity(b.server));
    if (String(a.server.fhirVersion) !== String(b.server.fhirVersion)) throw refuse(other, 'their FHIR versions', String(a.server.fhirVersion), String(b.server.fhirVersion));
    if (a.level !== b.level) throw refuse(other, 'their levels', a.level, b.level);
    if ((a.baseline?.file ?? '') !== (b.baseline?.file ?? '')) throw refuse(other, 'their baselines', a.baseline?.file ?? 'none', b.baseline?.file ?? 'none');
  }
}

/** Each scenario runs in exactly one shard: one found twice means a shard was given twice. */
function uniteScenarios(shards: readonly Shard[]): ScenarioResult[] {
  const owner = new Map<string, string>();
  const scenarios: ScenarioResult[] = [];
  for (const shard of shards) {
    for (const scenario of shard.results.scenarios) {
      const seen = owner.get(scenario.id);
      if (seen !== undefined) {
        throw harnessError('FWC_ERR_CONFIG', `merge: scenario ${scenario.id} is in both ${seen} and ${shard.source} (the same shard given twice?)`);
      }
      owner.set(scenario.id, shard.source);
      scenarios.push(scenario);
    }
  }
  return scenarios;
}

/** The server as the shard that learned most about it saw it (a shard whose discovery failed knows less). */
function mostKnownServer(shards: readonly Shard[]): RunResults['server'] {
  const known = shards.find((s) => s.results.server.software !== undefined) ?? shards[0]!;
  return known.results.server;
}

/** The command line of a shard with its --shard option removed: what reruns the whole run. */
function unshardedInvocation(invocation: string | undefined): string | undefined {
  if (invocation === undefined) return undefined;
  return invocation.replace(/\s+'?--shard(?:=|\s+)\S+?'?(?=\s|$)/g, '').replace(/\s+--\s*$/, '');
}

function requirementRows(shards: readonly Shard[]): RequirementRow[] {
  const coverage = shards.find((s) => s.results.requirements !== undefined)?.results.requirements ?? [];
  return coverage.map(({ id, level, url, statement, tested, notTestedReason }) => ({ id, level, url, statement, tested, ...(notTestedReason ? { notTestedReason } : {}) }));
}

/** Each entry ends in the list of the shard that ran its scenario; expired and stale in any shard stay so. */
function uniteBaselines(shards: readonly Shard[]): RunResults['baseline'] {
  const records = shards.map((s) => s.results.baseline).filter((b): b is NonNullable<RunResults['baseline']> => b !== undefined);
  if (records.length === 0) return undefined;
  const statusOf = (id: string): 'expired' | 'stale' | 'accepted' | 'notRun' => {
    if (records.some((r) => r.expired.includes(id))) return 'expired';
    if (records.some((r) => r.stale.includes(id))) return 'stale';
    if (records.some((r) => r.accepted.includes(id))) return 'accepted';
    return 'notRun';
  };
  const ids = [...new Set(records.flatMap((r) => [...r.accepted, ...r.stale, ...r.expired, ...(r.notRun ?? [])]))];
  const lists = { accepted: [] as string[], stale: [] as string[], expired: [] as string[], notRun: [] as string[] };
  for (const id of ids) lists[statusOf(id)].push(id);
  return { file: records[0]!.file, ...lists };
}

function commonLabel(shards: readonly Shard[]): string | undefined {
  const labels = new Set(shards.map((s) => s.results.label));
  return labels.size === 1 ? [...labels][0] : undefined;
}

function earliest(instants: readonly string[]): string {
  return [...instants].sort((a, b) => Date.parse(a) - Date.parse(b))[0]!;
}

function latest(instants: readonly string[]): string {
  return [...instants].sort((a, b) => Date.parse(b) - Date.parse(a))[0]!;
}
