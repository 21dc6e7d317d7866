/**
 * The multi-server matrix (`fhir-ws-conformance matrix a.json b.json …`): several runs of the suite —
 * different servers, versions or releases — side by side, as Autobahn's testsuite shows websocket
 * implementations. Rows are scenarios, requirements, server-profile facts and security observations;
 * columns are runs.
 * This module only shapes the data; html-matrix.ts and the text summary render it.
 */
import { groupByChapter } from './chapters.js';
import { PROFILE_FIELDS, SECURITY_FIELDS } from './profile-fields.js';
import { securityFacts } from './security-facts.js';
import type { Outcome, RunResults, ScenarioResult } from './results-types.js';
import type { RunTiming, TimingSummary } from './timing.js';
import { serverIdentity } from './server-identity.js';
import { isAccepted } from './verdict.js';

export interface MatrixColumn {
  /** The file the run was read from, as given on the command line. */
  source: string;
  /** --label of the run, when it had one. */
  label?: string;
  /** The run's index.html, relative to the matrix page, when it sits beside its results.json. */
  report?: string;
  server: string;
  fhirVersion: string;
  software?: string;
  verdict: RunResults['verdict'];
  level: RunResults['level'];
  startedAt: string;
  summary: RunResults['summary'];
  suiteHash?: string;
}

export interface MatrixCell {
  outcome: Outcome | 'not-run';
  accepted?: boolean;
  reason?: string;
  /** This run's scenario definition differs from the first run that has it (definitionHash). */
  definitionDiffers?: boolean;
}

export interface MatrixRow {
  id: string;
  title: string;
  level?: string;
  cells: MatrixCell[];
  /** Not every run agrees on the outcome: the interesting rows. */
  differs: boolean;
}

export interface Matrix {
  columns: MatrixColumn[];
  chapters: Array<{ chapter: string; rows: MatrixRow[] }>;
  requirements: MatrixRow[];
  /** The server's choices (the security-only facts are in `security`). */
  profile: Array<{ key: string; values: unknown[] }>;
  /** security-facts.ts per run, as index.html's "Security observations" shows them. */
  security: Array<{ label: string; values: string[] }>;
  /** results.json `timing` per run: the same measurement side by side. */
  timing: Array<{ key: keyof RunTiming; values: Array<TimingSummary | undefined> }>;
  /** Sentences the reader needs before trusting a comparison (different suites, levels). */
  warnings: string[];
}

export interface MatrixInput {
  source: string;
  results: RunResults;
  /** Link to the run's own report (relative to the matrix page), when the caller found one. */
  report?: string;
}

export function buildMatrix(runs: readonly MatrixInput[]): Matrix {
  const results = runs.map((r) => r.results);
  return {
    columns: runs.map(column),
    chapters: scenarioRows(results),
    requirements: requirementRows(results),
    profile: profileRows(results),
    security: securityRows(results),
    timing: TIMING_KEYS.filter((key) => results.some((run) => run.timing?.[key])).map((key) => ({ key, values: results.map((run) => run.timing?.[key]) })),
    warnings: warningsFor(runs),
  };
}

function column({ source, results, report }: MatrixInput): MatrixColumn {
  return {
    source,
    ...(results.label ? { label: results.label } : {}),
    ...(report ? { report } : {}),
    server: serverIdentity(results.server),
    fhirVersion: String(results.server.fhirVersion),
    ...(results.server.software ? { software: `${results.server.software}${results.server.softwareVersion ? ` ${results.server.softwareVersion}` : ''}` } : {}),
    verdict: results.verdict,
    level: results.level,
    startedAt: results.startedAt,
    summary: results.summary,
    ...(results.provenance ? { suiteHash: results.provenance.suite.hash } : {}),
  };
}

/** Every scenario any run has, grouped by chapter in catalogue order. */
function scenarioRows(results: readonly RunResults[]): Matrix['chapters'] {
  const union = new Map<string, ScenarioResult>();
  for (const run of results) for (const scenario of run.scenarios) if (!union.has(scenario.id)) union.set(scenario.id, scenario);
  const byRun = results.map((run) => new Map(run.scenarios.map((s) => [s.id, s])));
  const chapters = groupByChapter([...union.values()].sort(catalogueOrder));
  return [...chapters].map(([chapter, scenarios]) => ({
    chapter,
    rows: scenarios.map((scenario) => scenarioRow(scenario, byRun)),
  }));
}

function scenarioRow(scenario: ScenarioResult, byRun: ReadonlyArray<Map<string, ScenarioResult>>): MatrixRow {
  const firstHash = byRun.map((run) => run.get(scenario.id)?.definitionHash).find((h) => h !== undefined);
  const cells = byRun.map((run): MatrixCell => {
    const found = run.get(scenario.id);
    if (!found) return { outcome: 'not-run' };
    return {
      outcome: found.outcome,
      ...(isAccepted(found) ? { accepted: true } : {}),
      ...(found.reason ? { reason: found.reason } : {}),
      ...(found.definitionHash && firstHash && found.definitionHash !== firstHash ? { definitionDiffers: true } : {}),
    };
  });
  return { id: scenario.id, title: scenario.title, level: scenario.level, cells, differs: disagree(cells) };
}

/** As the suite reads: by chapter file (01-discovery.yaml …), then by line; ids when those are missing. */
function catalogueOrder(a: ScenarioResult, b: ScenarioResult): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.id.localeCompare(b.id);
}

function requirementRows(results: readonly RunResults[]): MatrixRow[] {
  const ids = new Map<string, { level: string; statement: string }>();
  for (const run of results) for (const r of run.requirements ?? []) if (r.tested && !ids.has(r.id)) ids.set(r.id, { level: r.level, statement: r.statement });
  return [...ids].map(([id, { level, statement }]) => {
    const cells = results.map((run): MatrixCell => ({ outcome: run.requirements?.find((r) => r.id === id)?.outcome ?? 'not-run' }));
    return { id, title: statement, level, cells, differs: disagree(cells) };
  });
}

function profileRows(results: readonly RunResults[]): Matrix['profile'] {
  const keys = [...new Set(results.flatMap((run) => Object.keys(run.profile)))].filter((key) => !SECURITY_ONLY.has(key)).sort();
  return keys.map((key) => ({ key, values: results.map((run) => run.profile[key]) }));
}

/** Security facts that are no choice of the server's: shown once, under security. */
const SECURITY_ONLY: ReadonlySet<string> = new Set(SECURITY_FIELDS.map(([key]) => key).filter((key) => !PROFILE_FIELDS.some(([k]) => k === key)));

function securityRows(results: readonly RunResults[]): Matrix['security'] {
  const perRun = results.map(securityFacts);
  return (perRun[0] ?? []).map(({ label }, row) => ({ label, values: perRun.map((facts) => facts[row]!.value) }));
}

const TIMING_KEYS: Array<keyof RunTiming> = ['handshakeMs', 'eventNotificationMs', 'heartbeatIntervalMs'];

function disagree(cells: readonly MatrixCell[]): boolean {
  return new Set(cells.map((c) => `${c.outcome}${c.accepted ? '+accepted' : ''}`)).size > 1;
}

function warningsFor(runs: readonly MatrixInput[]): string[] {
  const warnings: string[] = [];
  const hashes = new Set(runs.map((r) => r.results.provenance?.suite.hash ?? 'unrecorded'));
  if (hashes.size > 1) warnings.push(`The runs used different suites (${[...hashes].join(', ')}): a cell marked ≠ ran a different definition of its scenario than the first run.`);
  const levels = new Set(runs.map((r) => r.results.level));
  if (levels.size > 1) warnings.push(`The runs judged at different levels (${[...levels].join(', ')}): their verdicts are not directly comparable.`);
  return warnings;
}
