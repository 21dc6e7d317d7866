/**
 * Baseline files: deviations a team has accepted, each with a reason and optionally an owner and an
 * expiry date. Unused or expired entries fail the run, so a baseline cannot silently outlive its purpose.
 *
 *   accepted:
 *     - scenario: invoke.errors.malformed-body
 *       reason: "Gateway answers 500 for bad JSON; vendor ticket ACME-1234"
 *       owner: platform-team
 *       expires: 2025-12-31          # last day the acceptance holds
 *
 * How an accepted scenario shows (applyBaseline):
 *  - its outcome stays `failed` (or `warning`) in every report, with `accepted: { reason, owner, expires }`;
 *  - summary.failed / summary.warnings no longer count it; summary.accepted does (the counts still add up
 *    to the number of scenarios);
 *  - it no longer decides the verdict (verdict.ts), and JUnit reports it as passing with an
 *    "ACCEPTED DEVIATION" note.
 * Each entry ends in exactly one list of results.baseline:
 *  - expired: today is after `expires` (whatever the scenario did) → verdict non-conformant;
 *  - notRun: the scenario is not in this run, or reached no verdict (skipped, error) → no effect;
 *  - stale: the scenario passed, the entry is no longer needed → verdict non-conformant;
 *  - accepted: the scenario failed or warned, and the entry covers it.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { readInputFile } from '../read-input-file.js';
import { harnessError, type SourceLocation } from '../errors.js';
import type { RunResults, ScenarioResult } from './results-types.js';
import { computeVerdict, summarizeScenarios } from './verdict.js';

export interface BaselineEntry {
  scenario: string;
  reason: string;
  owner?: string;
  expires?: string; // YYYY-MM-DD
  location: SourceLocation;
}

export interface Baseline {
  file: string;
  entries: BaselineEntry[];
}

const ENTRY_KEYS = ['scenario', 'reason', 'expires', 'owner'];

export function loadBaseline(file: string): Baseline {
  return parseBaseline(readInputFile(file, 'baseline file'), file);
}

/** The file's text → entries; any problem is a HarnessError FWC_ERR_CONFIG pointing at file:line:col. */
export function parseBaseline(text: string, file: string): Baseline {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | null | undefined): SourceLocation => locate(file, lineCounter, node?.range?.[0] ?? 0);
  const fail = (node: Node | null | undefined, message: string) => harnessError('FWC_ERR_CONFIG', message, at(node));

  const syntaxError = document.errors[0];
  if (syntaxError) {
    throw harnessError('FWC_ERR_CONFIG', syntaxError.message.split('\n')[0]!, locate(file, lineCounter, syntaxError.pos[0]));
  }
  const root = document.contents;
  if (!isMap(root)) throw fail(root, 'a baseline is a mapping with one key, "accepted:", holding a list of entries');
  for (const pair of root.items) {
    const key = keyName(pair.key);
    if (key !== 'accepted') throw fail(pair.key as Node, `unknown key "${key}" (a baseline has only "accepted")`);
  }
  const list = root.get('accepted', true) as Node | undefined;
  if (list === undefined || (isScalar(list) && list.value === null)) return { file, entries: [] };
  if (!isSeq(list)) throw fail(list, '"accepted" must be a list of entries (- scenario: …, reason: …)');

  const entries: BaselineEntry[] = [];
  const seen = new Map<string, SourceLocation>();
  for (const item of list.items as Node[]) {
    const entry = readEntry(item, at, fail);
    const previous = seen.get(entry.scenario);
    if (previous) throw fail(item, `scenario "${entry.scenario}" is already listed at line ${previous.line}`);
    seen.set(entry.scenario, entry.location);
    entries.push(entry);
  }
  return { file, entries };
}

type Locate = (node: Node | null | undefined) => SourceLocation;
type Fail = (node: Node | null | undefined, message: string) => Error;

function readEntry(item: Node, at: Locate, fail: Fail): BaselineEntry {
  if (!isMap(item)) throw fail(item, 'each entry is a mapping with "scenario" and "reason" (and optionally "expires", "owner")');
  for (const pair of item.items) {
    const key = keyName(pair.key);
    if (!ENTRY_KEYS.includes(key)) throw fail(pair.key as Node, `unknown key "${key}" (allowed: ${ENTRY_KEYS.join(', ')})`);
  }
  const scenario = requiredString(item, 'scenario', fail);
  const reason = requiredString(item, 'reason', fail);
  const entry: BaselineEntry = { scenario, reason, location: at(item) };
  const owner = optionalString(item, 'owner', fail);
  if (owner !== undefined) entry.owner = owner;
  const expires = readExpiry(item, fail);
  if (expires !== undefined) entry.expires = expires;
  return entry;
}

function requiredString(map: YAMLMap, key: string, fail: Fail): string {
  const value = optionalString(map, key, fail);
  if (value === undefined) throw fail(map, `entry is missing "${key}"`);
  return value;
}

function optionalString(map: YAMLMap, key: string, fail: Fail): string | undefined {
  const node = map.get(key, true) as Node | undefined;
  if (node === undefined) return undefined;
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    throw fail(node, `"${key}" must be a non-empty string`);
  }
  return node.value.trim();
}

function readExpiry(map: YAMLMap, fail: Fail): string | undefined {
  const node = map.get('expires', true) as Node | undefined;
  if (node === undefined) return undefined;
  const value = isScalar(node) ? node.value : undefined;
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (typeof text !== 'string' || !isCalendarDate(text)) {
    throw fail(node, `"expires" must be a date written YYYY-MM-DD (the last day the acceptance holds), got ${JSON.stringify(node.toJSON())}`);
  }
  return text;
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function keyName(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function locate(file: string, lineCounter: LineCounter, offset: number): SourceLocation {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col };
}

/**
 * The run with the baseline applied (the input is not modified). `today` is a YYYY-MM-DD string or a
 * Date (its local calendar day); an entry expires the day after its `expires` date.
 */
export function applyBaseline(results: RunResults, baseline: Baseline, today: string | Date): RunResults {
  const day = typeof today === 'string' ? today : localDay(today);
  if (!isCalendarDate(day)) throw harnessError('FWC_ERR_CONFIG', `today must be YYYY-MM-DD, got "${day}"`);
  const byId = new Map(results.scenarios.map((s) => [s.id, s]));
  const lists = { accepted: [] as string[], stale: [] as string[], expired: [] as string[], notRun: [] as string[] };
  const acceptances = new Map<string, BaselineEntry>();
  for (const entry of baseline.entries) {
    const status = entryStatus(entry, byId.get(entry.scenario), day);
    lists[status].push(entry.scenario);
    if (status === 'accepted') acceptances.set(entry.scenario, entry);
  }
  const scenarios = results.scenarios.map((scenario) => withAcceptance(scenario, acceptances.get(scenario.id)));
  const baselineRecord = { file: baseline.file, ...lists };
  return {
    ...results,
    scenarios,
    summary: summarizeScenarios(scenarios),
    verdict: computeVerdict({ scenarios, level: results.level, baseline: baselineRecord }),
    baseline: baselineRecord,
  };
}

function entryStatus(entry: BaselineEntry, scenario: ScenarioResult | undefined, day: string): 'accepted' | 'stale' | 'expired' | 'notRun' {
  if (entry.expires !== undefined && entry.expires < day) return 'expired';
  if (!scenario || scenario.outcome === 'skipped' || scenario.outcome === 'blocked' || scenario.outcome === 'error') return 'notRun';
  if (scenario.outcome === 'passed') return 'stale';
  return 'accepted';
}

/** Replaces any earlier acceptance, so applying a baseline twice gives the same result. */
function withAcceptance(scenario: ScenarioResult, entry: BaselineEntry | undefined): ScenarioResult {
  const { accepted: _previous, ...rest } = scenario;
  if (!entry) return rest;
  return {
    ...rest,
    accepted: {
      reason: entry.reason,
      ...(entry.owner !== undefined ? { owner: entry.owner } : {}),
      ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
    },
  };
}

function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
