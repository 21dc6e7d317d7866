/**
 * The run-level sections of the HTML report: header (who was tested, with what, verdict and why),
 * legend, summary counts, baseline bookkeeping, requirement matrix and server profile.
 */
import { anchorId, html, safeHref, type SafeHtml } from './html-escape.js';
import { outcomeBadge } from './html-badge.js';
import { formatDuration, scenarioAnchor } from './html-scenario.js';
import { LABELLED_KEYS, PROFILE_FIELDS, profileValue } from './profile-fields.js';
import { OUTCOME_LABEL, OUTCOME_MEANING, outcomeRank } from './outcomes.js';
import { requirementMatrix } from './requirement-matrix.js';
import type { RunTiming } from './timing.js';
import { plural } from '../plural.js';
import type { LoadSummary, RequirementCoverage, RunResults, ScenarioResult, ServerProfile, Verdict } from './results-types.js';
import { HARNESS } from '../outcome/scenario-outcome.js';
import { assessVerdict, isAccepted } from './verdict.js';

const VERDICT_LABEL: Record<Verdict, string> = {
  conformant: '✔ Conformant',
  'non-conformant': '✖ Non-conformant',
  error: '⊗ Error: conformance could not be established',
};

export function renderHeader(results: RunResults): SafeHtml {
  const { server, tool } = results;
  // Reasons are only shown when they explain the verdict the run recorded (a results.json written by
  // another tool version may have decided differently).
  const assessment = assessVerdict(results);
  const reasons = assessment.verdict === results.verdict ? assessment.reasons : [];
  const software = server.software ? `${server.software}${server.softwareVersion ? ` ${server.softwareVersion}` : ''}` : 'not reported';
  const elapsed = Date.parse(results.finishedAt) - Date.parse(results.startedAt);
  return html`<header class="run-header">
<h1>FHIR websocket conformance report</h1>
<p class="${`verdict verdict-${results.verdict}`}" data-verdict="${results.verdict}">Verdict: <strong>${VERDICT_LABEL[results.verdict]}</strong> at level ${results.level.toUpperCase()}</p>
${reasons.length > 0 ? html`<ul class="verdict-reasons">${reasons.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
${results.profile.legacyProtocol ? html`<p class="legacy-protocol">The server ${results.profile.legacyProtocol}.</p>` : ''}
<dl class="run-facts">
${results.label ? html`<dt>Label</dt><dd class="run-label">${results.label}</dd>` : ''}
<dt>Server</dt><dd><code>${server.url}</code>${server.embedded ? ` (the bundled reference server${server.embedded.faults.length > 0 ? ` with faults ${server.embedded.faults.join(', ')}` : ''})` : ''}</dd>
<dt>FHIR version</dt><dd>${server.fhirVersion}</dd>
<dt>Server software</dt><dd>${software}</dd>
<dt>Run</dt><dd><time datetime="${results.startedAt}">${results.startedAt}</time> to <time datetime="${results.finishedAt}">${results.finishedAt}</time> (${formatDuration(elapsed)})</dd>
<dt>Tool</dt><dd>${tool.name} ${tool.version}${results.provenance ? ` (Playwright ${results.provenance.playwright}, Node ${results.provenance.node})` : ''}</dd>
${results.provenance ? renderProvenance(results.provenance) : ''}
<dt>Level</dt><dd>${results.level === 'shall' ? 'shall: SHALL/DEF failures decide the verdict; SHOULD failures warn' : 'should: SHOULD failures also make the run non-conformant'}</dd>
<dt>Invocation</dt><dd>${results.invocation ? html`<div class="repro"><pre id="invocation" class="copyable">${results.invocation}</pre><button type="button" class="copy" data-copy-target="invocation">Copy</button></div>` : 'not recorded'}</dd>
</dl>
</header>`;
}

/** The suite and definition this run checked against: equal suite hashes, same checks. */
function renderProvenance(provenance: NonNullable<RunResults['provenance']>): SafeHtml {
  const { suite, operationDefinition: od } = provenance;
  return html`<dt>Suite</dt><dd><code class="suite-hash">${suite.hash}</code> (${String(suite.scenarios)} scenarios; requirements <code>${suite.requirementsHash}</code>)</dd>
${od ? html`<dt>Outputs validated against</dt><dd><code>${od.url}${od.version ? `|${od.version}` : ''}</code> (${od.source})</dd>` : ''}`;
}

const LEGEND_ORDER = ['passed', 'failed', 'blocked', 'warning', 'skipped', 'error'] as const;

export function renderLegend(): SafeHtml {
  return html`<section id="legend" aria-labelledby="legend-title"><h2 id="legend-title">How to read this report</h2>
<dl class="legend">${LEGEND_ORDER.map((o) => html`<dt>${outcomeBadge(o)}</dt><dd>${OUTCOME_MEANING[o]}</dd>`)}
<dt><span class="badge accepted">☑ Accepted</span></dt><dd>a failure or warning listed in the baseline file with a reason: still shown, no longer decides the verdict.</dd>
</dl>
<p>Levels: SHALL, SHALL NOT and DEF (follows from a cardinality, type or definition) decide the verdict; SHOULD warns; MAY is informational and never fails a run.</p>
</section>`;
}

export function renderSummary(results: RunResults): SafeHtml {
  const { summary } = results;
  const tiles: [string, string, number][] = [
    ['passed', `${OUTCOME_LABEL.passed.symbol} Passed`, summary.passed],
    ['failed', `${OUTCOME_LABEL.failed.symbol} Failed`, summary.failed],
    ['blocked', `${OUTCOME_LABEL.blocked.symbol} Blocked`, summary.blocked ?? 0],
    ['warning', `${OUTCOME_LABEL.warning.symbol} Warnings`, summary.warnings],
    ['skipped', `${OUTCOME_LABEL.skipped.symbol} Skipped`, summary.skipped],
    ['error', `${OUTCOME_LABEL.error.symbol} Errors`, summary.errors],
  ];
  if (results.baseline || (summary.accepted ?? 0) > 0) tiles.push(['accepted', '☑ Accepted', summary.accepted ?? 0]);
  return html`<section id="summary" aria-labelledby="summary-title"><h2 id="summary-title">Summary</h2>
<dl class="summary">
<div class="tile" data-summary="total"><dt>Scenarios</dt><dd>${results.scenarios.length}</dd></div>
${tiles.map(([key, label, count]) => html`<div class="${`tile outcome-${key}`}" data-summary="${key}"><dt>${label}</dt><dd>${count}</dd></div>`)}
</dl>
${renderAttentionList(results)}
</section>`;
}

/** Failed, errored, unjudged (blocked) and warning scenarios as links, so nobody scrolls to find them. */
function renderAttentionList(results: RunResults): SafeHtml {
  const attention = results.scenarios
    .filter((s) => s.outcome !== 'passed' && s.outcome !== 'skipped')
    .sort((a, b) => outcomeRank(a.outcome) - outcomeRank(b.outcome));
  if (attention.length === 0) return html``;
  return html`<h3>Needs attention</h3><ul class="attention">${attention.map(
    (s) => html`<li>${outcomeBadge(s.outcome, isAccepted(s))} <a href="${`#${scenarioAnchor(s.id)}`}"><code>${s.id}</code></a> ${attentionReason(s)}</li>`,
  )}</ul>`;
}

/** A scenario blocked by another links to its judge: the judge's failure is listed once, on its own line. */
function attentionReason(scenario: ScenarioResult): SafeHtml | string {
  const judge = scenario.outcome === 'blocked' ? scenario.blockedBy : undefined;
  if (judge && judge !== HARNESS) return html`blocked by <a href="${`#${scenarioAnchor(judge)}`}"><code>${judge}</code></a> (not judged)`;
  return scenario.reason ?? scenario.title;
}

export function renderBaseline(results: RunResults): SafeHtml {
  const baseline = results.baseline;
  if (!baseline) return html``;
  const list = (title: string, ids: readonly string[] | undefined, note: string) =>
    ids && ids.length > 0
      ? html`<h3>${title} (${ids.length})</h3><p>${note}</p><ul>${ids.map((id) => html`<li><a href="${`#${scenarioAnchor(id)}`}"><code>${id}</code></a></li>`)}</ul>`
      : '';
  return html`<section id="baseline" aria-labelledby="baseline-title"><h2 id="baseline-title">Baseline</h2>
<p>Accepted deviations read from <code>${baseline.file}</code>.</p>
${list('Accepted', baseline.accepted, 'These scenarios still fail; the baseline accepts them, so they do not decide the verdict.')}
${list('Stale', baseline.stale, 'These entries no longer fail: remove them from the baseline. They make the run non-conformant.')}
${list('Expired', baseline.expired, 'These entries are past their expiry date: fix the deviation or renew the entry. They make the run non-conformant.')}
${list('Not run', baseline.notRun, 'These entries name scenarios this run did not execute (a shard or a filter); they were not checked.')}
</section>`;
}

export function renderRequirements(results: RunResults): SafeHtml {
  const matrix = requirementMatrix(results);
  const tested = matrix.filter((r) => r.tested);
  const untested = matrix.filter((r) => !r.tested);
  return html`<section id="requirements" aria-labelledby="requirements-title"><h2 id="requirements-title">Requirement coverage</h2>
<p>${tested.length} requirements tested, ${untested.length} not tested.</p>
${tested.length > 0 ? html`<table class="matrix"><caption>Requirement → level → scenarios → outcome</caption>
<thead><tr><th scope="col">Requirement</th><th scope="col">Level</th><th scope="col">Statement</th><th scope="col">Scenarios</th><th scope="col">Outcome</th></tr></thead>
<tbody>${tested.map(renderRequirementRow)}</tbody></table>` : ''}
${untested.length > 0 ? html`<table class="matrix untested"><caption>Requirements not tested, and why</caption>
<thead><tr><th scope="col">Requirement</th><th scope="col">Level</th><th scope="col">Statement</th><th scope="col">Why not tested</th></tr></thead>
<tbody>${untested.map((r) => html`<tr id="${anchorId('requirement', r.id)}"><th scope="row">${requirementLink(r)}</th><td>${r.level}</td><td>${r.statement}</td><td>${r.notTestedReason ?? 'no reason recorded'}</td></tr>`)}</tbody></table>` : ''}
</section>`;
}

function renderRequirementRow(requirement: RequirementCoverage): SafeHtml {
  const links = requirement.scenarios.map(
    (id) => html`<li><a href="${`#${scenarioAnchor(id)}`}"><code>${id}</code></a></li>`,
  );
  return html`<tr id="${anchorId('requirement', requirement.id)}"><th scope="row">${requirementLink(requirement)}</th><td>${requirement.level}</td>
<td>${requirement.statement}</td><td><ul class="plain">${links}</ul></td><td>${outcomeBadge(requirement.outcome ?? 'not-run')}</td></tr>`;
}

function requirementLink(requirement: RequirementCoverage): SafeHtml {
  const href = safeHref(requirement.url);
  return href ? html`<a href="${href}" rel="noreferrer">${requirement.id}</a>` : html`${requirement.id}`;
}

const TIMING_ROWS: Array<[keyof RunTiming, string]> = [
  ['handshakeMs', 'Bind → handshake'],
  ['eventNotificationMs', 'Triggering create → event notification'],
  ['heartbeatIntervalMs', 'Between heartbeats on one socket'],
];

/** Measured, not judged: what the transcripts say about the server's speed and rhythm. */
export function renderTiming(timing: RunTiming | undefined): SafeHtml {
  const rows = TIMING_ROWS.filter(([key]) => timing?.[key]);
  return html`<section id="timing" aria-labelledby="timing-title"><h2 id="timing-title">Timing</h2>
<p>Measured from the recorded frames and exchanges of every scenario (milliseconds); informative, never part of the verdict.</p>
${rows.length === 0 ? html`<p class="muted">Nothing to measure: no handshake, event or heartbeat was recorded.</p>` : html`<table class="matrix"><caption class="visually-hidden">Latencies and intervals</caption>
<thead><tr><th scope="col">Measured</th><th scope="col">Samples</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col">max</th></tr></thead>
<tbody>${rows.map(([key, label]) => {
    const t = timing![key]!;
    return html`<tr><th scope="row">${label}</th><td>${String(t.n)}</td><td>${String(t.p50)}</td><td>${String(t.p95)}</td><td>${String(t.max)}</td></tr>`;
  })}</tbody></table>`}
</section>`;
}

export function renderProfile(profile: ServerProfile): SafeHtml {
  // the security facts have their own section (html-security.ts)
  const extra = Object.keys(profile).filter((key) => !LABELLED_KEYS.has(key)).sort();
  return html`<section id="profile" aria-labelledby="profile-title"><h2 id="profile-title">Server profile</h2>
<p>How this server behaves where the specification leaves a choice (all choices listed are allowed).</p>
<dl class="profile">
${PROFILE_FIELDS.map(([key, label]) => html`<dt>${label}</dt><dd>${profileValue(key, profile[key])}</dd>`)}
${extra.map((key) => html`<dt title="${key}">${inWords(key)}</dt><dd>${profileValue(key, profile[key])}</dd>`)}
</dl></section>`;
}

/** "restHookTokenBehaviour" → "Rest hook token behaviour": a profile fact without a label still reads as words. */
export function inWords(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_.]+/g, ' ').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** --load: how the server held N concurrent clients binding at once. */
export function renderLoad(load: LoadSummary | undefined): SafeHtml {
  if (!load) return html``;
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${Math.round(v)} ms`);
  const errors = Object.entries(load.errors).sort((a, b) => b[1] - a[1]);
  return html`<section id="load" aria-labelledby="load-title"><h2 id="load-title">Load</h2>
<p>${String(load.clients)} concurrent clients each obtained a token and bound it.</p>
<dl class="profile">
<dt>Succeeded</dt><dd>${String(load.succeeded)} of ${String(load.clients)} (${(load.successRate * 100).toFixed(1)} %)</dd>
<dt>Handshake latency p50</dt><dd>${ms(load.handshakeLatencyMs.p50)}</dd>
<dt>Handshake latency p99</dt><dd>${ms(load.handshakeLatencyMs.p99)}</dd>
<dt>Duration</dt><dd>${ms(load.durationMs)}</dd>
${errors.map(([reason, count]) => html`<dt>Error × ${String(count)}</dt><dd>${reason}</dd>`)}
</dl>${renderFanOut(load.fanOut, ms)}</section>`;
}

/** One create with every socket bound: how long until each socket had its notification. */
function renderFanOut(fanOut: LoadSummary['fanOut'], ms: (v: number | null | undefined) => string): SafeHtml {
  if (!fanOut) return html``;
  return html`<h3>Fan-out</h3>
<p>One ${fanOut.trigger.resourceType} create with ${String(fanOut.sockets)} sockets bound to ${plural(fanOut.subscriptions, 'Subscription')}; time from sending it to each socket's event notification.</p>
<dl class="profile">
${fanOut.trigger.error ? html`<dt>Trigger</dt><dd>${fanOut.trigger.error} (nothing measured)</dd>` : html``}
<dt>Notified</dt><dd>${String(fanOut.notified)} of ${String(fanOut.sockets)}</dd>
<dt>Lost (none within ${ms(fanOut.windowMs)})</dt><dd>${String(fanOut.lost)}${fanOut.closed > 0 ? ` (${String(fanOut.closed)} closed by the server)` : ''}</dd>
<dt>Fan-out p50</dt><dd>${ms(fanOut.latencyMs.p50)}</dd>
<dt>Fan-out p95</dt><dd>${ms(fanOut.latencyMs.p95)}</dd>
<dt>Fan-out max</dt><dd>${ms(fanOut.latencyMs.max)}</dd>
<dt>Create answered after</dt><dd>${ms(fanOut.trigger.answeredMs)}</dd>
</dl>`;
}
