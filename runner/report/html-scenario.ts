/**
 * One scenario in the HTML report: a <details> whose summary line says id, title, level, outcome and
 * duration, and whose body holds its facts (the one-line reason, the request that failed), the step
 * tree with each step's checks (html-steps.ts), the reproduction commands and (rendered lazily, from a
 * <template>, when the scenario is first opened) the evidence timeline.
 */
import type { RunLevel } from '../outcome/check-status.js';
import { decisiveCheck } from '../outcome/decisive-check.js';
import { HARNESS } from '../outcome/scenario-outcome.js';
import { chapterOf } from './chapters.js';
import { failedRequest } from './failure-line.js';
import { outcomeBadge } from './html-badge.js';
import { anchorId, html, type SafeHtml } from './html-escape.js';
import { renderStepTree } from './html-steps.js';
import { renderTimeline } from './html-timeline.js';
import { outcomeText } from './outcomes.js';
import type { ScenarioResult } from './results-types.js';
import { isAccepted } from './verdict.js';

export function scenarioAnchor(id: string): string {
  return anchorId('scenario', id);
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
${renderStepTree(scenario, level)}
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
<dt>Outcome</dt><dd>${outcomeBadge(scenario.outcome)}${renderReason(scenario)}</dd>
${renderFailedRequest(scenario)}
${scenario.accepted ? html`<dt>Accepted by baseline</dt><dd>${scenario.accepted.reason}${scenario.accepted.owner ? ` (owner: ${scenario.accepted.owner})` : ''}${scenario.accepted.expires ? `, until ${scenario.accepted.expires}` : ''}</dd>` : ''}
${scenario.attempts ? html`<dt>Attempts</dt><dd>${String(scenario.attempts)} (--retries; the last one decided the outcome)${scenario.flaky ? html`<ul class="plain">${scenario.flaky.earlier.map((a, i) => html`<li>earlier attempt ${String(i + 1)}: ${outcomeText(a.outcome)}${a.reason ? ` — ${a.reason}` : ''}</li>`)}</ul>` : ''}</dd>` : ''}
<dt>Level</dt><dd>${scenario.level}</dd>
<dt>Requirements</dt><dd>${requirementLinks.length > 0 ? requirementLinks : 'none named'}</dd>
<dt>Defined in</dt><dd><code>${location}</code>${scenario.definitionHash ? html` (definition <code>${scenario.definitionHash}</code>)` : ''}</dd>
</dl>`;
}

/**
 * Why: for an outcome a check decided, that check named by its label and step (its expected and
 * observed values are in its row of the step tree below, shown once); else the reason sentence.
 */
function renderReason(scenario: ScenarioResult): SafeHtml {
  const check = decisiveCheck(scenario.checks, scenario.outcome);
  if (!check) return scenario.reason ? html` — <span class="reason">${scenario.reason}</span>` : html``;
  const judge = scenario.outcome === 'blocked' ? scenario.blockedBy : undefined;
  const by = judge === HARNESS ? 'blocked by the harness (timing or setup of the run, not the server): ' : judge ? html`blocked by <a href="${`#${scenarioAnchor(judge)}`}"><code>${judge}</code></a>: ` : '';
  const tag = check.requirement ? `${check.requirement} ${check.level}` : check.level;
  return html` — <span class="reason">${by}${check.label} [${tag}]${check.step ? `, step ${check.step}` : ''} (expected and observed in the step below)</span>`;
}

/** The request the deciding check's step made: "POST http://…/$get-ws-binding-token" or the socket's URL. */
function renderFailedRequest(scenario: ScenarioResult): SafeHtml {
  const check = decisiveCheck(scenario.checks, scenario.outcome);
  const request = check ? failedRequest(scenario, check) : undefined;
  return request ? html`<dt>Request</dt><dd><code class="request">${request}</code></dd>` : html``;
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
