/**
 * One scenario in the HTML report: a <details> whose summary line says id, title, level, outcome and
 * duration, and whose body holds the checks, the reproduction commands and (rendered lazily, from a
 * <template>, when the scenario is first opened) the evidence timeline.
 */
import { describeFailure, type CheckRecord } from '../checks/check-record.js';
import { checkStatus, type RunLevel } from '../outcome/check-status.js';
import { chapterOf } from './chapters.js';
import { anchorId, html, type SafeHtml } from './html-escape.js';
import { renderTimeline } from './html-timeline.js';
import { outcomeText } from './outcomes.js';
import type { Outcome, ScenarioResult } from './results-types.js';
import { isAccepted } from './verdict.js';

export function scenarioAnchor(id: string): string {
  return anchorId('scenario', id);
}

export function outcomeBadge(outcome: Outcome | 'not-run', accepted = false): SafeHtml {
  if (outcome === 'not-run') return html`<span class="badge outcome-not-run">– Not run</span>`;
  if (outcome === 'blocked') return html`<span class="badge outcome-blocked" title="not judged: a prerequisite did not hold">${outcomeText(outcome)}</span>`;
  const acceptedMark = accepted ? html` <span class="badge accepted">☑ Accepted</span>` : '';
  return html`<span class="${`badge outcome-${outcome}`}">${outcomeText(outcome)}</span>${acceptedMark}`;
}

export function renderScenario(scenario: ScenarioResult, index: number, level: RunLevel = 'shall'): SafeHtml {
  const accepted = isAccepted(scenario);
  const failedChecks = scenario.checks.filter((c) => !c.passed).length;
  return html`<details class="${`scenario outcome-${scenario.outcome}`}" id="${scenarioAnchor(scenario.id)}"
 data-id="${scenario.id}" data-outcome="${scenario.outcome}" data-level="${scenario.level}" data-chapter="${chapterOf(scenario)}" data-accepted="${accepted ? 'yes' : 'no'}">
<summary>${outcomeBadge(scenario.outcome, accepted)}${scenario.flaky ? html` <span class="badge outcome-warning flaky">↻ Flaky</span>` : ''} <code class="scenario-id">${scenario.id}</code> <span class="title">${scenario.title}</span>
 <span class="level">${scenario.level}</span> <span class="muted">${formatDuration(scenario.durationMs)}${failedChecks > 0 ? `, ${failedChecks} of ${scenario.checks.length} checks failed` : ''}</span></summary>
<div class="scenario-body">
${scenario.description ? html`<p class="description">${scenario.description}</p>` : ''}
${renderFacts(scenario)}
${renderSteps(scenario)}
${renderChecks(scenario.checks, level)}
${renderReproduction(scenario, index)}
<h4>Timeline <span class="muted">(${scenario.transcript.length} ${scenario.transcript.length === 1 ? 'entry' : 'entries'})</span></h4>
<div class="timeline-slot" data-template="${`timeline-${index}`}"><p class="muted">The timeline appears when the scenario is opened (it needs JavaScript).</p></div>
<template id="${`timeline-${index}`}">${renderTimeline(scenario.transcript)}</template>
</div>
</details>`;
}

function renderFacts(scenario: ScenarioResult): SafeHtml {
  const location = scenario.line !== undefined ? `${scenario.file}:${scenario.line}` : scenario.file;
  const requirementLinks = scenario.requirements.map(
    (id, i) => html`${i > 0 ? ', ' : ''}<a href="${`#${anchorId('requirement', id)}`}">${id}</a>`,
  );
  return html`<dl class="facts">
<dt>Outcome</dt><dd>${outcomeBadge(scenario.outcome)}${scenario.reason ? html` — <span class="reason">${scenario.reason}</span>` : ''}</dd>
${scenario.accepted ? html`<dt>Accepted by baseline</dt><dd>${scenario.accepted.reason}${scenario.accepted.owner ? ` (owner: ${scenario.accepted.owner})` : ''}${scenario.accepted.expires ? `, until ${scenario.accepted.expires}` : ''}</dd>` : ''}
${scenario.attempts ? html`<dt>Attempts</dt><dd>${String(scenario.attempts)} (--retries; the last one decided the outcome)${scenario.flaky ? html`<ul class="plain">${scenario.flaky.earlier.map((a, i) => html`<li>earlier attempt ${String(i + 1)}: ${outcomeText(a.outcome)}${a.reason ? ` — ${a.reason}` : ''}</li>`)}</ul>` : ''}</dd>` : ''}
<dt>Level</dt><dd>${scenario.level}</dd>
<dt>Requirements</dt><dd>${requirementLinks.length > 0 ? requirementLinks : 'none named'}</dd>
<dt>Defined in</dt><dd><code>${location}</code>${scenario.definitionHash ? html` (definition <code>${scenario.definitionHash}</code>)` : ''}</dd>
</dl>`;
}

/** The steps as data: each with its status (not run after a step that stopped the scenario) and YAML location. */
function renderSteps(scenario: ScenarioResult): SafeHtml {
  const steps = scenario.steps ?? [];
  if (steps.length === 0) return html``;
  return html`<h4>Steps</h4><ol class="steps plain">${steps.map(
    (step) => html`<li class="${`step step-${step.status}`}">${outcomeBadge(step.status)} ${step.name} <code class="muted">${step.location.file}:${String(step.location.line)}</code></li>`,
  )}</ol>`;
}

function renderChecks(checks: readonly CheckRecord[], level: RunLevel): SafeHtml {
  if (checks.length === 0) return html`<h4>Checks</h4><p class="muted">No check was evaluated.</p>`;
  const failures = checks.filter((c) => !c.passed);
  return html`<h4>Checks <span class="muted">(${checks.length}, ${failures.length} failed)</span></h4>
${failures.length > 0 ? html`<ul class="failure-messages">${failures.map((c) => html`<li>${describeFailure(c)}</li>`)}</ul>` : ''}
<table class="checks"><caption class="visually-hidden">Every check of this scenario</caption>
<thead><tr><th scope="col">Result</th><th scope="col">Check</th><th scope="col">Level</th><th scope="col">Requirement</th><th scope="col">Expected</th><th scope="col">Observed</th></tr></thead>
<tbody>${checks.map((c) => renderCheck(c, level))}</tbody></table>`;
}

function renderCheck(check: CheckRecord, level: RunLevel): SafeHtml {
  const result = checkStatus(check, level);
  return html`<tr class="${`check check-${result}`}">
<td>${outcomeBadge(result)}</td><td>${check.label}<br><code class="muted">${check.id}${check.location ? ` · ${check.location.file}:${check.location.line}:${check.location.column}` : ''}</code></td><td>${check.level}</td>
<td>${check.requirement ?? ''}</td><td><pre class="value">${check.expected}</pre></td><td><pre class="value">${check.actual}</pre></td></tr>`;
}

function renderReproduction(scenario: ScenarioResult, index: number): SafeHtml {
  const lines = scenario.reproduction ?? [];
  if (lines.length === 0) return html`<h4>Reproduction</h4><p class="muted">No reproduction commands were recorded.</p>`;
  const id = `repro-${index}`;
  return html`<h4>Reproduction <span class="muted">(secrets masked: substitute your own token)</span></h4>
<div class="repro"><pre id="${id}" class="copyable">${lines.join('\n')}</pre>
<button type="button" class="copy" data-copy-target="${id}">Copy</button></div>`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
