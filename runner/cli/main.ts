/**
 * fhir-ws-conformance: resolve the configuration, validate the suite, make sure the target is
 * reachable (or start the bundled reference server), run the Playwright suite, and exit with the
 * verdict: 0 conformant, 1 non-conformant, 2 could not run. Harness problems print one line.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { harnessError, HarnessError } from '../errors.js';
import { toolInfo } from '../tool-info.js';
import { parseArgs, renderHelp, type CompareArgs, type MatrixArgs, type MergeArgs, type RunArgs } from './args.js';
import { renderFaultList } from './faults.js';
import { redactInvocation } from './invocation.js';
import { claimReportDir } from './report-dir.js';
import { terminalLine, terminalLines } from './terminal-text.js';
import { loadBaseline } from '../report/baseline.js';
import { LABEL_ENV } from '../report/label.js';
import { resolveRunConfig } from './resolve-config.js';
import { relaunchTrusting } from './trust-ca.js';
import { listScenarios } from './list.js';
import { loadProjectSuite, SUITE_DIR_ENV } from '../suite/project-suite.js';
import { SUITE_CACHE_ENV, writeSuiteCache, type SuiteCache } from '../suite/suite-cache.js';
import { checkTarget } from './preflight.js';
import { runPlaywright } from './run-playwright.js';
import { compareRuns, hasRegressions, renderComparison, renderComparisonMarkdown } from '../report/compare.js';
import { readResultsFile } from '../report/results-file.js';
import type { RunResults } from '../report/results-types.js';
import { renderClosingSummary } from '../report/terminal-summary.js';
import { renderGithubAnnotations } from '../report/github-annotations.js';
import { summaryText } from '../report/outcomes.js';
import { assessVerdict } from '../report/verdict.js';
import type { RunConfig } from '../config/run-config.js';
import { embeddedFhirVersion, startEmbeddedTarget, type EmbeddedTarget } from '../engine/embedded-target.js';

export const EXIT = { conformant: 0, nonConformant: 1, couldNotRun: 2 } as const;

async function main(argv: string[]): Promise<number> {
  const relaunched = relaunchTrusting(argv);
  if (relaunched !== undefined) return relaunched;
  const args = parseArgs(argv);
  if (args.command === 'help') return print(renderHelp(toolInfo().version));
  if (args.command === 'version') return print(toolInfo().version);
  if (args.command === 'list-faults') return print(renderFaultList());
  if (args.command === 'merge') return merge(args);
  if (args.command === 'compare') return compare(args);
  if (args.command === 'matrix') return matrix(args);
  return run(args);
}

async function run(args: RunArgs): Promise<number> {
  const config = resolveRunConfig(args);
  // validated now, not after the suite has run: a bad baseline must not cost the run's evidence
  if (args.baseline) loadBaseline(args.baseline);
  if (args.suite) process.env[SUITE_DIR_ENV] = path.resolve(args.suite);
  const files = loadProjectSuite();
  if (args.list) return print(listScenarios(files, args.grep));
  const reportDir = path.resolve(args.reportDir);
  claimReportDir(reportDir);
  if (args.label) process.env[LABEL_ENV] = args.label;
  let server: EmbeddedTarget | undefined;
  if (config.server) await checkTarget({ ...config, server: config.server });
  else server = await startEmbeddedServer(config);
  const target = config.server ?? server!.url;
  let cache: SuiteCache | undefined;
  try {
    cache = writeSuiteCache(files);
    process.env[SUITE_CACHE_ENV] = cache.file;
    await runPlaywright({ config, args, reportDir, invocation: redactInvocation(process.argv.slice(2)) });
    if (args.load) await (await import('./add-load.js')).addLoadResult({ ...config, server: target }, args.load, reportDir);
  } finally {
    delete process.env[SUITE_CACHE_ENV];
    cache?.remove();
    await server?.close();
  }
  return verdictExitCode(reportDir);
}

/** The bundled reference server, as the target when no --server is given. */
async function startEmbeddedServer(config: RunConfig): Promise<EmbeddedTarget> {
  const embedded = await startEmbeddedTarget(config).catch((error: unknown) => {
    // a combination of faults the reference server refuses (two that contradict each other, …)
    if ((error as Error)?.name === 'ReferenceServerOptionError') throw harnessError('FWC_ERR_CONFIG', `--fault: ${(error as Error).message}`);
    throw error;
  });
  const faults = config.reference.faults;
  const withFaults = faults.length > 0 ? ` with faults: ${faults.join(', ')}` : '';
  process.stderr.write(`fhir-ws-conformance: testing the bundled reference server (${embeddedFhirVersion(config)}) at ${embedded.url}${withFaults}\n`);
  return embedded;
}

function verdictExitCode(reportDir: string): number {
  const file = path.join(reportDir, 'results.json');
  if (!existsSync(file)) throw new HarnessError('FWC_ERR_INTERNAL', `the run wrote no ${file}`);
  const results = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  printClosing(results, reportDir);
  if (results.verdict === 'conformant') return EXIT.conformant;
  return results.verdict === 'non-conformant' ? EXIT.nonConformant : EXIT.couldNotRun;
}

/** Failures with their rerun commands, the counts, the verdict and the report path (stdout), and CI annotations. */
function printClosing(results: RunResults, reportDir: string): void {
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  process.stdout.write(`${renderClosingSummary(results, { color, width: Math.max(80, process.stdout.columns ?? 160) })}\n`);
  if (process.env.GITHUB_ACTIONS === 'true') process.stdout.write(renderGithubAnnotations(results).map((line) => `${line}\n`).join(''));
  const flaky = results.scenarios.filter((scenario) => scenario.flaky).map((scenario) => scenario.id);
  const verdict = `fhir-ws-conformance: ${results.verdict} (${results.level.toUpperCase()} level) — ${summaryText(results.summary)}` +
    `${flaky.length > 0 ? `; flaky (passed only on a retry): ${flaky.join(', ')}` : ''}. ` +
    `${results.profile.legacyProtocol ? `The server ${results.profile.legacyProtocol}. ` : ''}Report: ${path.join(reportDir, 'index.html')}`;
  process.stderr.write(`${terminalLine(verdict)}\n`);
  // Why the run could not conclude (errors, unjudged blocked scenarios, a vacuous run), in one line each.
  if (results.verdict === 'error') {
    for (const reason of assessVerdict(results).reasons) process.stderr.write(`fhir-ws-conformance: ${terminalLine(reason)}\n`);
  }
}

function compare(args: CompareArgs): number {
  const diff = compareRuns(readResultsFile(args.oldFile), readResultsFile(args.newFile));
  process.stdout.write(`${terminalLines(renderComparison(diff))}\n`);
  if (args.out) writeFileSync(args.out, renderComparisonMarkdown(diff));
  return hasRegressions(diff) ? EXIT.nonConformant : EXIT.conformant;
}

/** Several runs side by side: matrix.html, and the disagreements on the terminal. Exit 0 once written. */
async function matrix(args: MatrixArgs): Promise<number> {
  const { buildMatrix } = await import('../report/matrix.js');
  const { renderMatrixHtml } = await import('../report/html-matrix.js');
  const { renderMatrixText } = await import('../report/matrix-text.js');
  const { runReportLink } = await import('../report/run-report-link.js');
  const out = path.resolve(args.out);
  const built = buildMatrix(args.files.map((file) => ({ source: file, results: readResultsFile(file), report: runReportLink(file, out) })));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, renderMatrixHtml(built));
  process.stdout.write(terminalLines(`${renderMatrixText(built)}Matrix: ${out}\n`));
  return EXIT.conformant;
}

/** The shards of a --shard run as one run: every report, one verdict, the exit code a whole run would give. */
async function merge(args: MergeArgs): Promise<number> {
  const { mergeShards } = await import('../report/merge-shards.js');
  const { writeReports } = await import('../report/write-reports.js');
  const merged = mergeShards(args.files.map((file) => ({ source: file, results: readResultsFile(file) })), { label: args.label });
  const reportDir = path.resolve(args.reportDir);
  claimReportDir(reportDir);
  writeReports(merged, reportDir);
  return verdictExitCode(reportDir);
}

function print(text: string): number {
  process.stdout.write(`${terminalLines(text)}\n`);
  return EXIT.conformant;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof HarnessError) {
      process.stderr.write(`fhir-ws-conformance: ${error.code}: ${terminalLines(error.message)}\n`);
    } else {
      process.stderr.write(`fhir-ws-conformance: FWC_ERR_INTERNAL: ${terminalLines((error as Error)?.stack ?? String(error))}\n`);
    }
    process.exitCode = EXIT.couldNotRun;
  },
);
