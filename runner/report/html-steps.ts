/**
 * A scenario's steps in the HTML report, as a tree: each step with its status and YAML line and,
 * beneath it, the checks it made (expected beside observed, the note under the observation). The
 * step tree is the one place a check is shown: the scenario's one-line reason above it summarises the
 * deciding check, and no flat list repeats them.
 *
 * Rendered from the step tree (step-groups.ts), which JUnit renders too.
 */
import type { CheckRecord } from '../checks/check-record.js';
import { checkStatus, type RunLevel } from '../outcome/check-status.js';
import { html, type SafeHtml } from './html-escape.js';
import { outcomeBadge } from './html-badge.js';
import { plural } from '../plural.js';
import type { ScenarioResult } from './results-types.js';
import { stepGroups, type StepGroup } from './step-groups.js';

export function renderStepTree(scenario: ScenarioResult, level: RunLevel): SafeHtml {
  const groups = stepGroups(scenario, level);
  if (groups.length === 0) return html`<h4>Steps</h4><p class="muted">No step ran and no check was evaluated.</p>`;
  const failed = scenario.checks.filter((c) => !c.passed).length;
  return html`<h4>Steps <span class="muted">(${plural(groups.length, 'step')}, ${plural(scenario.checks.length, 'check')}, ${String(failed)} not passed)</span></h4>
<ol class="steps plain">${groups.map((group) => renderGroup(group, level))}</ol>`;
}

function renderGroup(group: StepGroup, level: RunLevel): SafeHtml {
  return html`<li class="${`step step-${group.status}`}">${outcomeBadge(group.status)} ${group.name}${group.where ? html` <code class="muted">${group.where}</code>` : ''}
${group.checks.length > 0 ? renderChecks(group.checks, level) : ''}</li>`;
}

function renderChecks(checks: readonly CheckRecord[], level: RunLevel): SafeHtml {
  return html`<table class="checks"><caption class="visually-hidden">The checks of this step</caption>
<thead><tr><th scope="col">Result</th><th scope="col">Check</th><th scope="col">Level</th><th scope="col">Requirement</th><th scope="col">Expected</th><th scope="col">Observed</th></tr></thead>
<tbody>${checks.map((c) => renderCheck(c, level))}</tbody></table>`;
}

function renderCheck(check: CheckRecord, level: RunLevel): SafeHtml {
  const result = checkStatus(check, level);
  const where = check.location ? ` · ${check.location.file}:${check.location.line}:${check.location.column}` : '';
  return html`<tr class="${`check check-${result}`}">
<td>${outcomeBadge(result)}</td><td>${check.label}<br><code class="muted">${check.id}${where}</code></td><td>${check.level}</td>
<td>${check.requirement ?? ''}</td><td><pre class="value">${check.expected}</pre></td><td><pre class="value">${check.actual}</pre>${check.note ? html`<p class="note">${check.note}</p>` : ''}</td></tr>`;
}
