/**
 * The conformance delta between two runs (results.json files), for terminals, PR comments and CI gates.
 *
 * Severity of a scenario: an unaccepted failure 2, an unaccepted warning 1, anything else 0 (passed,
 * skipped, blocked, error, or a deviation the baseline accepts).
 *  - regressed: severity went up (passed → failed, warning → failed, skipped → warning, error → failed, …);
 *  - fixed: severity went down and the scenario now passes or only warns (evidence that it got better);
 *  - changed: any other difference: outcome (failed → skipped, passed → error), baseline acceptance, or the
 *    set of failing checks while the outcome stayed the same;
 *  - added / removed: scenario ids present in only one run (suite changes; never a regression).
 * When both runs carry definition hashes (results.json `definitionHash`), a scenario whose definition
 * differs is marked: its delta may come from the suite, not the server. A changed definition alone
 * (same outcome) is listed under `changed`.
 * The CLI exits 1 when `regressed` is not empty.
 */
import { terminalLine } from '../cli/terminal-text.js';
import { outcomeText, summaryText } from './outcomes.js';
import { serverIdentity } from './server-identity.js';
import type { Outcome, RunResults, ScenarioResult } from './results-types.js';
import { isAccepted } from './verdict.js';

export interface ScenarioDelta {
  id: string;
  title: string;
  before?: Outcome;
  after?: Outcome;
  beforeAccepted?: boolean;
  afterAccepted?: boolean;
  /** One sentence: why it changed, or the reason the new run gives. */
  note?: string;
  /** The scenario's definition differs between the runs (both carry a definitionHash). */
  definitionChanged?: boolean;
}

export interface RunSide {
  /** --label of the run, when it had one. */
  label?: string;
  startedAt: string;
  /** The URL, or "the bundled reference server with faults …" (its port changes every run). */
  server: string;
  fhirVersion: string;
  toolVersion: string;
  /** provenance.suite.hash, when the run recorded it. */
  suiteHash?: string;
  verdict: RunResults['verdict'];
  summary: RunResults['summary'];
}

export interface RunComparison {
  before: RunSide;
  after: RunSide;
  regressed: ScenarioDelta[];
  fixed: ScenarioDelta[];
  added: ScenarioDelta[];
  removed: ScenarioDelta[];
  changed: ScenarioDelta[];
}

export function compareRuns(oldResults: RunResults, newResults: RunResults): RunComparison {
  const oldById = new Map(oldResults.scenarios.map((s) => [s.id, s]));
  const newById = new Map(newResults.scenarios.map((s) => [s.id, s]));
  const diff: RunComparison = {
    before: side(oldResults),
    after: side(newResults),
    regressed: [], fixed: [], added: [], removed: [], changed: [],
  };
  for (const after of newResults.scenarios) {
    const before = oldById.get(after.id);
    if (!before) diff.added.push(delta(undefined, after, after.reason));
    else classify(before, after, diff);
  }
  for (const before of oldResults.scenarios) {
    if (!newById.has(before.id)) diff.removed.push(delta(before, undefined));
  }
  return diff;
}

export function hasRegressions(diff: RunComparison): boolean {
  return diff.regressed.length > 0;
}

function classify(before: ScenarioResult, after: ScenarioResult, diff: RunComparison): void {
  const was = severity(before);
  const now = severity(after);
  const redefined = definitionChanged(before, after);
  const mark = (item: ScenarioDelta): ScenarioDelta => (redefined ? { ...item, definitionChanged: true } : item);
  if (now > was) diff.regressed.push(mark(delta(before, after, after.reason ?? failingChecks(after).join(', '))));
  else if (now < was && (after.outcome === 'passed' || after.outcome === 'warning')) diff.fixed.push(mark(delta(before, after)));
  else {
    const note = changeNote(before, after) ?? (redefined ? 'same outcome; the scenario itself was changed' : undefined);
    if (note) diff.changed.push(mark(delta(before, after, note)));
  }
}

function definitionChanged(before: ScenarioResult, after: ScenarioResult): boolean {
  return !!before.definitionHash && !!after.definitionHash && before.definitionHash !== after.definitionHash;
}

function severity(scenario: ScenarioResult): number {
  if (isAccepted(scenario)) return 0;
  return scenario.outcome === 'failed' ? 2 : scenario.outcome === 'warning' ? 1 : 0;
}

function changeNote(before: ScenarioResult, after: ScenarioResult): string | undefined {
  if (before.outcome !== after.outcome) return after.reason ?? `outcome changed`;
  if (isAccepted(before) !== isAccepted(after)) {
    return isAccepted(after) ? `now accepted by the baseline: ${after.accepted!.reason}` : 'no longer accepted by the baseline';
  }
  const was = failingChecks(before);
  const now = failingChecks(after);
  if (was.join('\n') !== now.join('\n')) return `failing checks were [${was.join(', ')}], now [${now.join(', ')}]`;
  return undefined;
}

function failingChecks(scenario: ScenarioResult): string[] {
  return scenario.checks.filter((c) => !c.passed).map((c) => c.id).sort();
}

function delta(before: ScenarioResult | undefined, after: ScenarioResult | undefined, note?: string): ScenarioDelta {
  const result: ScenarioDelta = { id: (after ?? before)!.id, title: (after ?? before)!.title };
  if (before) Object.assign(result, { before: before.outcome, beforeAccepted: isAccepted(before) });
  if (after) Object.assign(result, { after: after.outcome, afterAccepted: isAccepted(after) });
  if (note) result.note = note;
  return result;
}

function side(results: RunResults): RunSide {
  return {
    ...(results.label ? { label: results.label } : {}),
    startedAt: results.startedAt,
    server: serverIdentity(results.server),
    fhirVersion: String(results.server.fhirVersion),
    toolVersion: results.tool.version,
    ...(results.provenance ? { suiteHash: results.provenance.suite.hash } : {}),
    verdict: results.verdict,
    summary: results.summary,
  };
}

const SECTIONS: [keyof Pick<RunComparison, 'regressed' | 'fixed' | 'changed' | 'added' | 'removed'>, string][] = [
  ['regressed', 'Regressed'],
  ['fixed', 'Fixed'],
  ['changed', 'Changed'],
  ['added', 'Added (new in this run)'],
  ['removed', 'Removed (not in this run)'],
];

/** Plain text for a terminal: every line escaped on its own (notes and servers come from the runs' servers). */
export function renderComparison(diff: RunComparison): string {
  const lines = ['Conformance delta', `  before: ${describeSide(diff.before)}`, `  after:  ${describeSide(diff.after)}`];
  lines.push(...contextWarnings(diff).map((w) => `  note: ${w}`));
  for (const [key, title] of SECTIONS) {
    const items = diff[key];
    if (items.length === 0) continue;
    lines.push('', `${title} (${items.length}):`);
    for (const item of items) lines.push(`  ${item.id}: ${transition(item)}${redefinedMark(item)}${item.note ? `  — ${item.note}` : ''}`);
  }
  lines.forEach((line, i) => (lines[i] = terminalLine(line)));
  lines.push('', summaryLine(diff));
  return `${lines.join('\n')}\n`;
}

/** Markdown for a PR comment or a job summary. */
export function renderComparisonMarkdown(diff: RunComparison): string {
  const out = [
    '## Conformance delta',
    '',
    '| | started | server | verdict | passed | failed | blocked | warnings | skipped | errors |',
    '|---|---|---|---|---|---|---|---|---|---|',
    markdownSideRow('before', diff.before),
    markdownSideRow('after', diff.after),
  ];
  for (const warning of contextWarnings(diff)) out.push('', `> ${md(warning)}`);
  for (const [key, title] of SECTIONS) {
    const items = diff[key];
    if (items.length === 0) continue;
    out.push('', `### ${title} (${items.length})`, '', '| scenario | change | note |', '|---|---|---|');
    for (const item of items) out.push(`| \`${item.id.replace(/`/g, "'")}\` | ${md(transition(item) + redefinedMark(item))} | ${md(item.note ?? '')} |`);
  }
  out.push('', `**${md(summaryLine(diff))}**`);
  return `${out.join('\n')}\n`;
}

function transition(item: ScenarioDelta): string {
  const show = (o: Outcome | undefined, accepted: boolean | undefined) =>
    o === undefined ? '(absent)' : `${outcomeText(o)}${accepted ? ' (accepted)' : ''}`;
  return `${show(item.before, item.beforeAccepted)} → ${show(item.after, item.afterAccepted)}`;
}

function redefinedMark(item: ScenarioDelta): string {
  return item.definitionChanged ? ' [scenario changed]' : '';
}

function describeSide(s: RunSide): string {
  const c = s.summary;
  return `${s.label ? `"${s.label}" ` : ''}${s.startedAt} ${s.server} (${s.fhirVersion}), tool ${s.toolVersion}: ${s.verdict}; ${summaryText(c)}`;
}

function markdownSideRow(label: string, s: RunSide): string {
  const c = s.summary;
  return `| ${label}${s.label ? ` (${md(s.label)})` : ''} | ${md(s.startedAt)} | ${md(s.server)} | ${md(s.verdict)} | ${c.passed} | ${c.failed} | ${c.blocked ?? 0} | ${c.warnings} | ${c.skipped} | ${c.errors} |`;
}

/** Comparing runs of different servers or tool versions is allowed, but the reader should know. */
function contextWarnings(diff: RunComparison): string[] {
  const warnings: string[] = [];
  if (diff.before.server !== diff.after.server) warnings.push(`the runs tested different servers (${diff.before.server}, ${diff.after.server}).`);
  if (diff.before.fhirVersion !== diff.after.fhirVersion) warnings.push(`the runs used different FHIR versions (${diff.before.fhirVersion}, ${diff.after.fhirVersion}).`);
  if (diff.before.toolVersion !== diff.after.toolVersion) warnings.push(`the runs used different tool versions (${diff.before.toolVersion}, ${diff.after.toolVersion}); scenarios may have changed.`);
  if (diff.before.suiteHash && diff.after.suiteHash && diff.before.suiteHash !== diff.after.suiteHash) {
    const redefined = (['regressed', 'fixed', 'changed'] as const).reduce((n, key) => n + diff[key].filter((d) => d.definitionChanged).length, 0);
    warnings.push(`the runs used different suites (${diff.before.suiteHash}, ${diff.after.suiteHash}); ${redefined} listed scenario${redefined === 1 ? ' was' : 's were'} changed themselves, marked [scenario changed].`);
  }
  return warnings;
}

function summaryLine(diff: RunComparison): string {
  if (SECTIONS.every(([key]) => diff[key].length === 0)) return 'No differences between the runs.';
  return `${diff.regressed.length} regressed, ${diff.fixed.length} fixed, ${diff.changed.length} changed, ${diff.added.length} added, ${diff.removed.length} removed.`;
}

/** Markdown table cells: no pipes, no newlines, no HTML. */
function md(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
