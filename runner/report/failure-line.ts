/**
 * The one line that says why a scenario did not pass — "<label> [<req> <level>]: expected E, but
 * received R; <note>" — for the terminal, CI annotations and JUnit, and the request its failing
 * step made.
 *
 * A line has a width; a long `expected` (a list of bind forms, a canonical URL) must not push
 * `received`, the server's answer, off the end. So when the line is too long the parts share it
 * fairly: a part that fits in its share keeps all of its text, the longer ones split what is left.
 */
import type { CheckRecord } from '../checks/check-record.js';
import { terminalLine, terminalShort } from '../cli/terminal-text.js';
import { decisiveCheck } from '../outcome/decisive-check.js';
import { HARNESS } from '../outcome/scenario-outcome.js';
import type { TranscriptEntry } from '../evidence/transcript-types.js';
import type { ScenarioResult } from './results-types.js';

/** The fewest characters a shortened part keeps, however narrow the line. */
const MIN_PART = 12;

export interface FailureLineOptions {
  /** Longest line (default: no limit). */
  width?: number;
  /** Leave the check's note out (the caller prints it on a line of its own). */
  withoutNote?: boolean;
}

export function failureLine(check: CheckRecord, options: FailureLineOptions = {}): string {
  const width = options.width ?? Number.POSITIVE_INFINITY;
  const where = check.requirement ? ` [${check.requirement} ${check.level}]` : ` [${check.level}]`;
  // a long label yields to the values: they are what the reader came for
  const head = `${terminalShort(check.label, Math.max(24, Math.floor(width / 3)))}${where}: expected `;
  const middle = ', but received ';
  const note = check.note && !options.withoutNote ? terminalLine(check.note) : undefined;
  const fixed = head.length + middle.length + (note !== undefined ? 2 : 0);
  const parts = [terminalLine(check.expected), terminalLine(check.actual), ...(note !== undefined ? [note] : [])];
  const [expected, received, fittedNote] = fitParts(parts, width - fixed);
  return `${head}${expected}${middle}${received}${fittedNote !== undefined ? `; ${fittedNote}` : ''}`;
}

/**
 * Why a scenario did not pass, in `width` characters: its deciding check with expected and received
 * both visible (the note has a line of its own in the closing section). A scenario blocked by another
 * names only that one: the failure is printed once, on its judge's line, not again for every
 * scenario it blocks.
 */
export function scenarioReason(scenario: Pick<ScenarioResult, 'outcome' | 'blockedBy' | 'checks' | 'reason'>, width: number): string {
  if (scenario.outcome === 'blocked' && scenario.blockedBy && scenario.blockedBy !== HARNESS) return terminalShort(`blocked by ${scenario.blockedBy} (not judged)`, width);
  const check = decisiveCheck(scenario.checks, scenario.outcome);
  if (!check) return terminalShort(scenario.reason ?? scenario.outcome, width);
  const prefix = scenario.outcome === 'blocked' ? 'blocked by the harness: ' : '';
  return `${prefix}${failureLine(check, { width: width - prefix.length, withoutNote: true })}`;
}

/**
 * suites/04-binding.yaml:57 — where the failing check is written (its assertion, else its step), else
 * the scenario's line.
 */
export function failureLocation(scenario: Pick<ScenarioResult, 'file' | 'line' | 'steps'>, check: CheckRecord | undefined): string {
  const step = check?.step !== undefined ? scenario.steps?.find((s) => s.index === check.step) : undefined;
  const location = check?.location ?? step?.location;
  if (location) return `${location.file}:${location.line}`;
  return scenario.line !== undefined ? `${scenario.file}:${scenario.line}` : scenario.file;
}

/**
 * Shortens the parts to `budget` characters together: the shortest keep their whole text while it
 * fits in an equal share of what is left, the rest share the remainder equally (never below MIN_PART).
 */
export function fitParts(parts: readonly string[], budget: number): string[] {
  if (parts.reduce((n, p) => n + p.length, 0) <= budget) return [...parts];
  const shortestFirst = parts.map((_, i) => i).sort((a, b) => parts[a]!.length - parts[b]!.length);
  const limits: number[] = [];
  let left = budget;
  shortestFirst.forEach((index, served) => {
    const share = Math.max(MIN_PART, Math.floor(left / (parts.length - served)));
    limits[index] = Math.min(parts[index]!.length, share);
    left -= limits[index]!;
  });
  return parts.map((part, i) => terminalShort(part, limits[i]!));
}

/**
 * "POST http://…/Subscription/a/$get-ws-binding-token" or "websocket ws://…/websocket": the last
 * request made in or before the failing check's step and before the check (not the clean-up after
 * it); a check on frames names the URL its socket was opened at.
 */
export function failedRequest(scenario: Pick<ScenarioResult, 'transcript'>, check: CheckRecord): string | undefined {
  if (check.step === undefined) return undefined;
  const checkedAt = check.at ? Date.parse(check.at) : Number.POSITIVE_INFINITY;
  const before = scenario.transcript.filter((e) => e.kind !== 'note' && e.step !== undefined && e.step <= check.step! && Date.parse(startOf(e)) <= checkedAt);
  const last = before.at(-1);
  if (last?.kind === 'http') return `${last.request.method} ${last.request.url}`;
  if (last?.kind === 'ws') {
    const url = socketUrl(scenario.transcript, last.socket, last.seq);
    return url ? `websocket ${url}` : undefined;
  }
  return undefined;
}

function startOf(entry: TranscriptEntry): string {
  return entry.kind === 'http' ? entry.startedAt : entry.at;
}

/** The URL a socket was opened at: its latest open (or failed connect) at or before `seq`. */
function socketUrl(transcript: readonly TranscriptEntry[], socket: string, seq: number): string | undefined {
  const opened = transcript.filter((e) => e.kind === 'ws' && e.socket === socket && e.seq <= seq && e.url !== undefined);
  const last = opened.at(-1);
  return last?.kind === 'ws' ? last.url : undefined;
}
