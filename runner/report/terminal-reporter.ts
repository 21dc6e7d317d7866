/**
 * The CLI's terminal reporter: one line per scenario as it ends (outcome symbol, id, and for
 * anything but a pass a one-line reason), and progress while a long wait runs. It prints no code
 * frames of the tool's own source: a server's failure is a fact about the server, and its evidence
 * is in the report. The closing section (failures, blocked, counts, verdict) is printed by the CLI
 * from results.json (terminal-summary.ts), so the terminal and the files can never disagree.
 * Playwright's own reporters stay available: `fhir-ws-conformance -- --reporter=list`.
 */
import type { FullConfig, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { OUTCOME_LABEL } from './outcomes.js';
import type { ScenarioResult } from './results-types.js';
import { terminalLines, terminalShort } from '../cli/terminal-text.js';
import { PROGRESS_MARKER } from './progress.js';
import { scenarioReason } from './failure-line.js';

const RESULT_ATTACHMENT = 'fwc-scenario-result';
const COLOURS: Record<string, string> = { passed: '32', failed: '31', blocked: '36', warning: '33', skipped: '90', error: '35' };

export default class TerminalReporter implements Reporter {
  private readonly color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  private readonly width = Math.max(80, process.stdout.columns ?? 160);
  private total = 0;
  private done = 0;

  onBegin(config: FullConfig, suite: Suite): void {
    this.total = suite.allTests().length;
    this.write(`Running ${this.total} scenario${this.total === 1 ? '' : 's'} with ${config.workers} worker${config.workers === 1 ? '' : 's'}\n`);
  }

  /** Workers announce long waits on stdout with a marker; anything else a worker prints is shown escaped. */
  onStdOut(chunk: string | Buffer, test?: TestCase): void {
    const text = chunk.toString();
    for (const line of text.split('\n').filter(Boolean)) {
      if (line.startsWith(PROGRESS_MARKER)) this.write(this.dim(`    … ${scenarioIdOf(test)}: ${terminalShort(line.slice(PROGRESS_MARKER.length), this.width)}\n`));
      else this.write(`${terminalLines(line)}\n`);
    }
  }

  onStdErr(chunk: string | Buffer): void {
    process.stderr.write(terminalLines(chunk.toString()));
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const willRetry = (result.status === 'failed' || result.status === 'timedOut') && result.retry < test.retries;
    const scenario = readScenario(result);
    const id = scenario?.id ?? scenarioIdOf(test);
    if (willRetry) {
      this.write(this.dim(`  ↻ ${id}: ${terminalShort(scenario?.reason ?? 'failed', this.width)} — retrying\n`));
      return;
    }
    this.done++;
    const outcome = scenario?.outcome ?? (result.status === 'skipped' ? 'skipped' : 'error');
    const symbol = (OUTCOME_LABEL as Record<string, { symbol: string } | undefined>)[outcome]?.symbol ?? '?';
    const flaky = scenario?.flaky || result.retry > 0 ? ' (passed on a retry: flaky)' : '';
    const head = `  ${this.paint(outcome, symbol)} ${id}${flaky}`;
    const tail = outcome === 'passed' ? this.dim(` ${formatMs(result.duration)}`) : ` — ${oneLineReason(scenario, outcome, result, this.width - head.length - 3)}`;
    this.write(`${head}${tail}\n`);
  }

  onError(error: { message?: string }): void {
    this.write(`${this.paint('error', 'error')}: ${terminalShort(error.message ?? 'unknown error', this.width)}\n`);
  }

  printsToStdio(): boolean {
    return true;
  }

  private write(text: string): void {
    process.stdout.write(text);
  }

  private paint(outcome: string, text: string): string {
    return this.color && COLOURS[outcome] ? `\u001b[${COLOURS[outcome]}m${text}\u001b[0m` : text;
  }

  private dim(text: string): string {
    return this.color ? `\u001b[2m${text}\u001b[0m` : text;
  }
}

function readScenario(result: TestResult): ScenarioResult | undefined {
  const body = result.attachments.find((a) => a.name === RESULT_ATTACHMENT)?.body;
  if (!body) return undefined;
  try {
    return (JSON.parse(body.toString('utf8')) as { result: ScenarioResult }).result;
  } catch {
    return undefined;
  }
}

/** A scenario's one-line reason; without a result attachment, the first line of Playwright's error. */
function oneLineReason(scenario: ScenarioResult | undefined, outcome: string, result: TestResult, width: number): string {
  if (scenario) return scenarioReason(scenario, width);
  return terminalShort((outcome === 'error' ? result.error?.message?.split('\n')[0] : undefined) ?? outcome, width);
}

function scenarioIdOf(test?: TestCase): string {
  return test?.annotations.find((a) => a.type === 'scenario')?.description ?? test?.title ?? 'run';
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
