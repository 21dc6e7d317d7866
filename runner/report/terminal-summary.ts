/**
 * The closing section a person reads on the terminal after a run (Newman's summary, Hurl's located
 * errors): every failure and warning with its requirement, expected vs received on one line, the
 * scenario's YAML location and the command that reruns it alone; then what was blocked, grouped by
 * cause. The verdict line with the counts follows it (cli/main.ts). A pure function of results.json: the CLI prints it, tests read it.
 */
import { decisiveCheck } from '../outcome/decisive-check.js';
import { failedRequest, failureLine, failureLocation } from './failure-line.js';
import type { RunResults, ScenarioResult } from './results-types.js';
import { OUTCOME_LABEL } from './outcomes.js';
import { terminalShort } from '../cli/terminal-text.js';

export interface SummaryStyle {
  /** ANSI colours (only on a TTY, never in CI logs unless forced). */
  color: boolean;
  /** Longest line for server-controlled text. */
  width: number;
}

const PLAIN: SummaryStyle = { color: false, width: 160 };

export function renderClosingSummary(results: RunResults, style: SummaryStyle = PLAIN): string {
  const paint = painter(style.color);
  const lines: string[] = [];
  const attention = (outcome: string) => results.scenarios.filter((s) => s.outcome === outcome);
  for (const [outcome, heading] of [['failed', 'Failures'], ['error', 'Could not run'], ['warning', 'Warnings']] as const) {
    const scenarios = attention(outcome);
    if (scenarios.length === 0) continue;
    lines.push('', paint(outcome, `${heading} (${scenarios.length})`));
    for (const scenario of scenarios) lines.push(...describeScenario(scenario, results, style));
  }
  lines.push(...describeBlocked(attention('blocked'), style));
  return lines.join('\n');
}

const INDENT = '      ';

function describeScenario(scenario: ScenarioResult, results: RunResults, style: SummaryStyle): string[] {
  const check = decisiveCheck(scenario.checks, scenario.outcome);
  const request = check ? failedRequest(scenario, check) : undefined;
  const room = style.width - INDENT.length;
  const why = check ? failureLine(check, { width: room, withoutNote: true }) : terminalShort(scenario.reason ?? scenario.outcome, room);
  return [
    `  ${symbolOf(scenario.outcome)} ${scenario.id} — ${terminalShort(scenario.title, style.width)}`,
    `${INDENT}${why}`,
    ...(check?.note ? [`${INDENT}${terminalShort(check.note, room)}`] : []),
    ...(request ? [`${INDENT}request: ${terminalShort(request, style.width - INDENT.length - 9)}`] : []),
    `${INDENT}at ${failureLocation(scenario, check)}`,
    `${INDENT}rerun: ${rerunCommand(results.invocation, scenario.id)}`,
  ];
}

/** The run's own command line with --grep narrowed to this one scenario. */
export function rerunCommand(invocation: string | undefined, id: string): string {
  const words = (invocation ?? 'fhir-ws-conformance').split(' ').filter(Boolean);
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '--grep') { i++; continue; }
    if (words[i]!.startsWith('--grep=')) continue;
    kept.push(words[i]!);
  }
  if (kept[0] === 'fhir-ws-conformance') kept[0] = 'npx fhir-ws-conformance';
  const dashDash = kept.indexOf('--');
  // --grep matches "<id> <title>": the id and the space after it select exactly this scenario
  const grep = ['--grep', `'^${id.replace(/\./g, '\\.')} '`];
  if (dashDash >= 0) kept.splice(dashDash, 0, ...grep);
  else kept.push(...grep);
  return terminalShort(kept.join(' '), 400);
}

/** Blocked scenarios grouped by what blocked them: one line per cause, not one per scenario. */
function describeBlocked(blocked: ScenarioResult[], style: SummaryStyle): string[] {
  if (blocked.length === 0) return [];
  const byCause = new Map<string, string[]>();
  for (const scenario of blocked) {
    const cause = (scenario as { blockedBy?: string }).blockedBy ?? 'a prerequisite';
    byCause.set(cause, [...(byCause.get(cause) ?? []), scenario.id]);
  }
  const lines = ['', `Blocked (${blocked.length}): not judged, because something they depend on failed`];
  for (const [cause, ids] of byCause) lines.push(`  ${symbolOf('blocked')} by ${cause}: ${terminalShort(ids.join(', '), style.width)}`);
  return lines;
}

const COLOURS: Record<string, string> = { failed: '31', error: '35', warning: '33', blocked: '36', passed: '32', skipped: '90' };

function painter(enabled: boolean): (outcome: string, text: string) => string {
  return (outcome, text) => (enabled && COLOURS[outcome] ? `\u001b[${COLOURS[outcome]}m${text}\u001b[0m` : text);
}

function symbolOf(outcome: string): string {
  return (OUTCOME_LABEL as Record<string, { symbol: string } | undefined>)[outcome]?.symbol ?? '?';
}
