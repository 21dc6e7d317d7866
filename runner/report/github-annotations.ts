/**
 * GitHub Actions workflow commands (GITHUB_ACTIONS=true): each failure becomes an `::error` and each
 * warning a `::warning` annotation on the scenario's YAML line, so a pull request shows the finding
 * where the scenario is written. Values are escaped as the runner requires (%, CR, LF; and , : in
 * properties), and server text is escaped for the terminal first.
 */
import type { RunResults } from './results-types.js';
import { decisiveCheck } from '../outcome/decisive-check.js';
import { failureLine } from './failure-line.js';
import { terminalLine } from '../cli/terminal-text.js';

export function renderGithubAnnotations(results: RunResults): string[] {
  const lines: string[] = [];
  for (const scenario of results.scenarios) {
    const command = scenario.outcome === 'failed' || scenario.outcome === 'error' ? 'error' : scenario.outcome === 'warning' ? 'warning' : undefined;
    if (!command) continue;
    const check = decisiveCheck(scenario.checks, scenario.outcome);
    const requirement = check?.requirement ?? scenario.requirements.join(', ');
    const message = check ? failureLine(check) : (scenario.reason ?? scenario.outcome);
    const properties = [`file=${property(scenario.file)}`, ...(scenario.line ? [`line=${scenario.line}`] : []), `title=${property(`${scenario.id} [${requirement}]`)}`];
    lines.push(`::${command} ${properties.join(',')}::${data(terminalLine(message).slice(0, 4000))}`);
  }
  return lines;
}

function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
