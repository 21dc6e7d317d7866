/**
 * One defect, one failure, where it lies — proven per fault of the reference server.
 *
 * - The whole suite runs against the reference server with one fault (on the first FHIR version
 *   where it is a fault): the failed scenarios are exactly the fault table's `catches` (those that
 *   apply to the version), the warnings exactly its SHOULD-level ones, nothing errors, and the
 *   blocked scenarios are exactly the ones pinned below, each naming the scenario that judges
 *   what it needed. A superset is a cascade; a missing one is a vacuous pass.
 * - On the fault's other versions the catching scenarios alone run (they must still catch it).
 * - Each fault again, combined with Medplum's routing (the get-only fault: instance GET only) and
 *   a bind form pinned in the config: red lines only where one of the two defects lies, every
 *   catch of the fault either caught or blocked behind the routing defect, and every blocked
 *   scenario blocked by a scenario of the same run that did not pass (never by the harness).
 * After a change to the suite, FWC_PIN_DIR=<dir> writes each fault's blocked sets there as JSON, for
 * review before they replace the pins (scripts/pin-fault-blocked.py turns them into the data file).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { FAULT_TABLE, EXCLUSIVE_FAULT_GROUPS, roleOn, type FaultEntry } from '../../reference-server/src/faults.js';
import type { ScenarioResult } from '../../runner/report/results-types.js';
import type { FhirVersion, Scenario } from '../../runner/scenario/model.js';
import { loadProjectSuite } from '../../runner/suite/project-suite.js';
import { describeFailure } from '../../runner/checks/check-record.js';
import { messageProblems } from '../support/message-quality.js';
import { describeNonPassing, eachAtMost, inGroupsOf, runSuiteAgainstReference, type InProcessRun } from './in-process-suite.js';
import { BLOCKED_BY_FAULT } from './fault-outcomes.blocked.js';

const VERSIONS: FhirVersion[] = ['R5', 'R4B', 'R4'];
const SCENARIOS = new Map<string, Scenario>(loadProjectSuite().flatMap((f) => f.scenarios.map((s) => [s.id, s] as const)));
const FAULTS: FaultEntry[] = FAULT_TABLE.filter((entry) => entry.kind === 'fault');
/** The reference server's ws:// URLs always earn this SHOULD warning (wss). */
const ALWAYS_WARNS = ['outputs.websocket-url.wss'];
const ROUTING = FAULTS.find((entry) => entry.name === 'get-only')!;
/** Full suite runs in flight at once in one test: they mostly wait on the servers' timers. */
const RUNS_AT_ONCE = 8;
const GROUP_SIZE = 15;

const applies = (id: string, version: FhirVersion) => SCENARIOS.get(id)?.fhirVersions?.includes(version) ?? true;
const faultVersions = (entry: FaultEntry) => VERSIONS.filter((v) => roleOn(entry, v) === 'fault');
const idsWith = (results: Map<string, ScenarioResult>, outcome: string) => [...results.values()].filter((r) => r.outcome === outcome).map((r) => r.id).sort();
const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();

function runWith(entry: FaultEntry, fhirVersion: FhirVersion, extra: Partial<InProcessRun> = {}): Promise<Map<string, ScenarioResult>> {
  return runSuiteAgainstReference({
    fhirVersion,
    faults: [entry.name, ...(extra.faults ?? [])],
    tokenFormat: entry.impliesTokenFormat,
    // Long-lived tokens unless the fault is about expiry: a loaded machine must not make the harness late.
    tokenTtlSeconds: entry.catches.some((id) => id.startsWith('expiry.')) ? 8 : 30,
    concurrency: 12,
    // the idle scenario runs only with --soak; the fault needs it
    ...(entry.needsSoakSeconds ? { soakMs: entry.needsSoakSeconds * 1000 } : {}),
    ...(extra.bindForm ? { bindForm: extra.bindForm } : {}),
    ...(extra.only ? { only: extra.only } : {}),
  });
}

function blockedByMap(results: Map<string, ScenarioResult>): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const r of results.values()) if (r.outcome === 'blocked') (map[r.blockedBy ?? '?'] ??= []).push(r.id);
  return canonical(map);
}

/** Keys and lists in code-point order, so two maps compare as JSON. */
function canonical(map: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.keys(map).sort().map((by) => [by, [...map[by]!].sort()]));
}

test.describe.configure({ mode: 'parallel' });

test('every fault names scenarios that exist, and at least one; every pinned blocked set belongs to a fault', () => {
  for (const entry of FAULTS) {
    expect(entry.catches.length, entry.name).toBeGreaterThan(0);
    for (const id of [...entry.catches, ...(entry.alsoWarns ?? [])]) expect(SCENARIOS.has(id), `${entry.name} names unknown scenario ${id}`).toBe(true);
  }
  for (const name of Object.keys(BLOCKED_BY_FAULT)) expect(FAULTS.some((e) => e.name === name), name).toBe(true);
});

for (const [index, group] of inGroupsOf(GROUP_SIZE, FAULTS).entries()) {
  test(`faults ${index + 1}: the whole suite fails exactly the catching scenarios and blocks exactly the pinned ones (${group.map((e) => e.name).join(', ')})`, async () => {
    test.setTimeout(360_000);
    const problems: string[] = [];
    await eachAtMost(group, RUNS_AT_ONCE, async (entry) => {
      const version = faultVersions(entry)[0]!;
      const results = await runWith(entry, version);
      const catches = entry.catches.filter((id) => applies(id, version));
      const got = {
        failed: idsWith(results, 'failed'),
        warning: idsWith(results, 'warning'),
        error: idsWith(results, 'error'),
        blocked: blockedByMap(results),
      };
      const blocked = canonical(BLOCKED_BY_FAULT[entry.name] ?? {});
      const blockedIds = new Set(Object.values(blocked).flat());
      const want = {
        failed: entry.expect === 'failed' ? sorted(catches) : [],
        warning: sorted([...(entry.expect === 'warning' ? catches : []), ...(entry.alsoWarns ?? []), ...ALWAYS_WARNS.filter((id) => !blockedIds.has(id))]),
        error: [],
        blocked,
      };
      if (process.env.FWC_PIN_DIR) writeFileSync(path.join(process.env.FWC_PIN_DIR, `${entry.name}.json`), JSON.stringify(got.blocked));
      // what the fault looks like to a reader: every failed check a sentence saying what was wrong
      for (const id of catches) {
        const unreadable = (results.get(id)?.checks ?? []).filter((c) => !c.passed).flatMap((c) => messageProblems(describeFailure(c)));
        if (unreadable.length > 0) problems.push(`${entry.name} on ${version}: ${id} reads badly: ${unreadable.join('; ')}`);
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        problems.push(`${entry.name} on ${version}:\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}\n${describeNonPassing(results).replace(/^/gm, '    ')}`);
      }
    });
    expect(problems.join('\n\n'), 'faults whose outcomes are not exactly their catches and pinned blocked sets').toBe('');
  });
}

const OTHER_VERSIONS = FAULTS.flatMap((entry) => faultVersions(entry).slice(1).map((version) => ({ entry, version })));
test(`faults on their other versions: the catching scenarios still catch them (${OTHER_VERSIONS.length} runs)`, async () => {
  test.setTimeout(360_000);
  const problems: string[] = [];
  await eachAtMost(OTHER_VERSIONS, RUNS_AT_ONCE * 2, async ({ entry, version }) => {
    const catches = entry.catches.filter((id) => applies(id, version));
    const results = await runWith(entry, version, { only: catches });
    for (const id of catches) {
      if (results.get(id)?.outcome !== entry.expect) problems.push(`${entry.name} on ${version}: ${id} must be ${entry.expect}; got:\n${describeNonPassing(results) || 'all passed'}`);
    }
  });
  expect(problems.join('\n\n')).toBe('');
});

const WITH_ROUTING = FAULTS.filter((entry) => entry !== ROUTING && !EXCLUSIVE_FAULT_GROUPS.some((g) => g.includes(entry.name as never) && g.includes(ROUTING.name as never)));
for (const [index, group] of inGroupsOf(GROUP_SIZE, WITH_ROUTING).entries()) {
  test(`faults ${index + 1} with Medplum's routing (get-only) and a pinned bind form: red only where a defect lies, every catch caught or blocked (${group.map((e) => e.name).join(', ')})`, async () => {
    test.setTimeout(360_000);
    const problems: string[] = [];
    await eachAtMost(group, RUNS_AT_ONCE, async (entry) => {
      const version = faultVersions(entry)[0]!;
      const results = await runWith(entry, version, { faults: [ROUTING.name], bindForm: 'json' });
      const say = (text: string) => problems.push(`${entry.name} + get-only on ${version}: ${text}`);
      const mayFail = new Set<string>([...entry.catches, ...ROUTING.catches]);
      const mayWarn = new Set<string>([...(entry.expect === 'warning' ? entry.catches : []), ...(entry.alsoWarns ?? []), ...ALWAYS_WARNS]);
      for (const id of idsWith(results, 'failed')) if (!mayFail.has(id)) say(`${id} failed, but neither defect is caught there: ${results.get(id)!.reason}`);
      for (const id of idsWith(results, 'warning')) if (!mayWarn.has(id)) say(`${id} warned: ${results.get(id)!.reason}`);
      for (const id of idsWith(results, 'error')) say(`${id} errored: ${results.get(id)!.reason}`);
      for (const id of entry.catches.filter((c) => applies(c, version))) {
        const outcome = results.get(id)?.outcome;
        if (outcome !== entry.expect && outcome !== 'blocked') say(`${id} must be ${entry.expect} (or blocked behind the routing defect), got ${outcome}`);
      }
      for (const r of results.values()) {
        if (r.outcome !== 'blocked') continue;
        const judge = results.get(r.blockedBy ?? '');
        if (!judge || judge.outcome === 'passed') say(`${r.id} is blocked by ${r.blockedBy}, which ${judge ? 'passed' : 'is not a scenario of the run'}`);
      }
    });
    expect(problems.join('\n'), 'faults combined with GET-only routing and a pinned bind form').toBe('');
  });
}
