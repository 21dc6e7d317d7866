/**
 * fhir-ws-conformance: resolve the configuration, validate the suite, make sure the target is
 * reachable (or start the bundled reference server), run the Playwright suite, and exit with the
 * verdict: 0 conformant, 1 non-conformant, 2 could not run. Harness problems print one line.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import { toolInfo } from '../tool-info.js';
import { parseArgs, renderHelp, type CompareArgs, type MatrixArgs, type RunArgs } from './args.js';
import { resolveRunConfig } from './resolve-config.js';
import { relaunchTrusting } from './trust-ca.js';
import { listScenarios } from './list.js';
import { loadProjectSuite, SUITE_DIR_ENV } from '../suite/project-suite.js';
import { SUITE_CACHE_ENV, writeSuiteCache, type SuiteCache } from '../suite/suite-cache.js';
import { checkReachable } from './preflight.js';
import { runPlaywright } from './run-playwright.js';
import { compareRuns, hasRegressions, renderComparison, renderComparisonMarkdown } from '../report/compare.js';
import { readResultsFile } from '../report/results-file.js';
import type { RunResults } from '../report/results-types.js';
import type { RunConfig } from '../config/run-config.js';
import { embeddedFhirVersion, startEmbeddedTarget, type EmbeddedTarget } from '../engine/embedded-target.js';

export const EXIT = { conformant: 0, nonConformant: 1, couldNotRun: 2 } as const;

async function main(argv: string[]): Promise<number> {
  const relaunched = relaunchTrusting(argv);
  if (relaunched !== undefined) return relaunched;
  const args = parseArgs(argv);
  if (args.command === 'help') return print(renderHelp(toolInfo().version));
  if (args.command === 'version') return print(toolInfo().version);
  if (args.command === 'compare') return compare(args);
  if (args.command === 'matrix') return matrix(args);
  return run(args);
}

async function run(args: RunArgs): Promise<number> {
  const config = resolveRunConfig(args);
  if (args.suite) process.env[SUITE_DIR_ENV] = path.resolve(args.suite);
  const files = loadProjectSuite();
  if (args.list) return print(listScenarios(files, args.grep));
  const reportDir = path.resolve(args.reportDir);
  let server: EmbeddedTarget | undefined;
  if (config.server) await checkReachable(config.server, config.auth.headers);
  else server = await startEmbeddedServer(config);
  const target = config.server ?? server!.url;
  let cache: SuiteCache | undefined;
  try {
    cache = writeSuiteCache(files);
    process.env[SUITE_CACHE_ENV] = cache.file;
    await runPlaywright({ config, args, reportDir, invocation: redactedInvocation() });
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
  const embedded = await startEmbeddedTarget(config);
  const faults = config.reference.faults;
  const withFaults = faults.length > 0 ? ` with faults: ${faults.join(', ')}` : '';
  process.stderr.write(`fhir-ws-conformance: testing the bundled reference server (${embeddedFhirVersion(config)}) at ${embedded.url}${withFaults}\n`);
  return embedded;
}

function verdictExitCode(reportDir: string): number {
  const file = path.join(reportDir, 'results.json');
  if (!existsSync(file)) throw new HarnessError('FWC_ERR_INTERNAL', `the run wrote no ${file}`);
  const results = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  const s = results.summary;
  const flaky = results.scenarios.filter((scenario) => scenario.flaky).map((scenario) => scenario.id);
  process.stderr.write(
    `fhir-ws-conformance: ${results.verdict} (${results.level.toUpperCase()} level) — ${s.passed} passed, ${s.failed} failed, ` +
      `${s.warnings} warnings, ${s.skipped} skipped, ${s.errors} errors${flaky.length > 0 ? `; flaky (passed only on a retry): ${flaky.join(', ')}` : ''}. ` +
      `${results.profile.legacyProtocol ? `The server ${results.profile.legacyProtocol}. ` : ''}Report: ${path.join(reportDir, 'index.html')}\n`,
  );
  if (results.verdict === 'conformant') return EXIT.conformant;
  return results.verdict === 'non-conformant' ? EXIT.nonConformant : EXIT.couldNotRun;
}

function compare(args: CompareArgs): number {
  const diff = compareRuns(readResultsFile(args.oldFile), readResultsFile(args.newFile));
  process.stdout.write(`${renderComparison(diff)}\n`);
  if (args.out) writeFileSync(args.out, renderComparisonMarkdown(diff));
  return hasRegressions(diff) ? EXIT.nonConformant : EXIT.conformant;
}

/** Several runs side by side: matrix.html, and the disagreements on the terminal. Exit 0 once written. */
async function matrix(args: MatrixArgs): Promise<number> {
  const { buildMatrix } = await import('../report/matrix.js');
  const { renderMatrixHtml } = await import('../report/html-matrix.js');
  const { renderMatrixText } = await import('../report/matrix-text.js');
  const built = buildMatrix(args.files.map((file) => ({ source: file, results: readResultsFile(file) })));
  const out = path.resolve(args.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, renderMatrixHtml(built));
  process.stdout.write(`${renderMatrixText(built)}Matrix: ${out}\n`);
  return EXIT.conformant;
}

/** The command line as typed, with values of secret-bearing flags masked. */
function redactedInvocation(): string {
  return ['fhir-ws-conformance', ...process.argv.slice(2)].map((a) => (/token|secret|password/i.test(a) ? '***' : a)).join(' ');
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return EXIT.conformant;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof HarnessError) {
      process.stderr.write(`fhir-ws-conformance: ${error.code}: ${error.message}\n`);
    } else {
      process.stderr.write(`fhir-ws-conformance: FWC_ERR_INTERNAL: ${(error as Error)?.stack ?? String(error)}\n`);
    }
    process.exitCode = EXIT.couldNotRun;
  },
);
