/**
 * matrix.html: several runs side by side (matrix.ts), one self-contained file like index.html
 * (html-page.ts: inline CSS allowed by hash), with no script at all and no network. Rows where the
 * runs disagree are marked in words, not only in colour.
 */
import { html, trustedHtml, type SafeHtml } from './html-escape.js';
import { pageHead, reportAssets } from './html-page.js';
import { PROFILE_FIELDS, profileValue } from './profile-fields.js';
import { outcomeBadge } from './html-badge.js';
import type { Matrix, MatrixCell, MatrixColumn, MatrixRow } from './matrix.js';
import type { RunTiming } from './timing.js';

const MATRIX_CSS = `
table.runs-matrix td, table.runs-matrix th { vertical-align: top; }
table.runs-matrix tbody th { font-weight: normal; }
tr.differs > th::before { content: "◆ "; color: var(--warning); }
.definition-differs { font-size: .8rem; }
`;

export function renderMatrixHtml(matrix: Matrix): string {
  const css = `${reportAssets().css}\n${MATRIX_CSS}`;
  const disagreeing = matrix.chapters.reduce((n, c) => n + c.rows.filter((r) => r.differs).length, 0);
  const document = html`<!doctype html>
<html lang="en">
${pageHead(`${matrix.columns.length} runs · FHIR websocket conformance matrix`, css)}
<body>
<header class="run-header">
<h1>FHIR websocket conformance matrix</h1>
<p>${String(matrix.columns.length)} runs side by side; the runs disagree on <strong>${String(disagreeing)}</strong> scenario${disagreeing === 1 ? '' : 's'} (marked ◆).</p>
${matrix.warnings.length > 0 ? html`<ul class="verdict-reasons">${matrix.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
</header>
<main>
${renderRuns(matrix.columns)}
${renderDisagreements(matrix)}
${renderScenarioTables(matrix)}
${renderRequirementTable(matrix)}
${renderProfileTable(matrix)}
${renderSecurityTable(matrix)}
</main>
<footer><p>Secrets never appear here: each run's results.json was redacted when it was written.</p></footer>
</body>
</html>
`;
  return document.value;
}

function renderRuns(columns: readonly MatrixColumn[]): SafeHtml {
  return html`<section id="runs" aria-labelledby="runs-title"><h2 id="runs-title">Runs</h2>
<table class="matrix runs-matrix"><caption class="visually-hidden">The runs compared, one per column below</caption>
<thead><tr><th scope="col">Run</th><th scope="col">Server</th><th scope="col">FHIR</th><th scope="col">Software</th><th scope="col">Verdict</th><th scope="col">Passed / failed / blocked / warnings / skipped / errors</th><th scope="col">Suite</th><th scope="col">Results file</th></tr></thead>
<tbody>${columns.map((c, i) => html`<tr><th scope="row">${runHeading(c, i)}</th><td><code>${c.server}</code></td><td>${c.fhirVersion}</td><td>${c.software ?? 'not reported'}</td>
<td>${c.verdict} (${c.level.toUpperCase()})</td><td>${`${c.summary.passed} / ${c.summary.failed} / ${c.summary.blocked ?? 0} / ${c.summary.warnings} / ${c.summary.skipped} / ${c.summary.errors}`}</td>
<td>${c.suiteHash ? html`<code>${c.suiteHash}</code>` : 'not recorded'}</td><td><code>${c.source}</code></td></tr>`)}</tbody></table></section>`;
}

/** The rows worth reading first: scenarios whose outcome is not the same in every run. */
function renderDisagreements(matrix: Matrix): SafeHtml {
  const rows = matrix.chapters.flatMap((c) => c.rows).filter((r) => r.differs);
  return html`<section id="disagreements" aria-labelledby="disagreements-title"><h2 id="disagreements-title">Where the runs disagree (${String(rows.length)})</h2>
${rows.length === 0 ? html`<p>Every scenario has the same outcome in every run.</p>` : html`<table class="matrix runs-matrix"><caption class="visually-hidden">Scenarios whose outcome differs between runs</caption>
${columnHead(matrix.columns, 'Scenario')}
<tbody>${rows.map((row) => renderRow(row, html`<code>${row.id}</code><br>${row.title}`))}</tbody></table>`}
</section>`;
}

function renderScenarioTables(matrix: Matrix): SafeHtml {
  return html`<section id="scenarios" aria-labelledby="scenarios-title"><h2 id="scenarios-title">All scenarios</h2>
${matrix.chapters.map(({ chapter, rows }) => html`<table class="matrix runs-matrix"><caption>Chapter <code>${chapter}</code></caption>
${columnHead(matrix.columns, 'Scenario')}
<tbody>${rows.map((row) => renderRow(row, html`<code>${row.id}</code><br>${row.title}`))}</tbody></table>`)}
</section>`;
}

function renderRequirementTable(matrix: Matrix): SafeHtml {
  if (matrix.requirements.length === 0) return html``;
  return html`<section id="requirements" aria-labelledby="requirements-title"><h2 id="requirements-title">Requirements</h2>
<table class="matrix runs-matrix"><caption class="visually-hidden">Each tested requirement's outcome per run</caption>
${columnHead(matrix.columns, 'Requirement')}
<tbody>${matrix.requirements.map((row) => renderRow(row, html`<code>${row.id}</code> ${row.level ?? ''}<br>${row.title}`))}</tbody></table></section>`;
}

function renderProfileTable(matrix: Matrix): SafeHtml {
  const labels = new Map<string, string>(PROFILE_FIELDS);
  return html`<section id="profile" aria-labelledby="profile-title"><h2 id="profile-title">Server profiles</h2>
<p>Where the specification leaves a choice, what each server chose (all listed choices are allowed).</p>
<table class="matrix runs-matrix"><caption class="visually-hidden">Server profile facts per run</caption>
${columnHead(matrix.columns, 'Behaviour')}
<tbody>${matrix.profile.map(({ key, values }) => html`<tr><th scope="row">${labels.get(key) ?? key}</th>${values.map((v) => html`<td>${profileValue(key, v)}</td>`)}</tr>`)}
${matrix.timing.map(({ key, values }) => html`<tr><th scope="row">${TIMING_LABELS[key]} (ms, p50 / p95, samples)</th>${values.map((t) => html`<td>${t ? `${t.p50} / ${t.p95} (${t.n})` : 'not measured'}</td>`)}</tr>`)}</tbody></table></section>`;
}

/** index.html's "Security observations", one column per server: recorded, never judged. */
function renderSecurityTable(matrix: Matrix): SafeHtml {
  return html`<section id="security" aria-labelledby="security-title"><h2 id="security-title">Security observations</h2>
<p>What a binding token grants on each server. Recorded with evidence, never part of a verdict: the specification leaves the security of the token to the implementation.</p>
<table class="matrix runs-matrix"><caption class="visually-hidden">Security observations per run</caption>
${columnHead(matrix.columns, 'Observation')}
<tbody>${matrix.security.map(({ label, values }) => html`<tr><th scope="row">${label}</th>${values.map((v) => html`<td>${v}</td>`)}</tr>`)}</tbody></table></section>`;
}

const TIMING_LABELS: Record<keyof RunTiming, string> = {
  handshakeMs: 'Bind → handshake',
  eventNotificationMs: 'Triggering create → event notification',
  heartbeatIntervalMs: 'Between heartbeats',
};

function columnHead(columns: readonly MatrixColumn[], first: string): SafeHtml {
  return html`<thead><tr><th scope="col">${first}</th>${columns.map((c, i) => html`<th scope="col">${runHeading(c, i)}<br><code>${c.server}</code></th>`)}</tr></thead>`;
}

function renderRow(row: MatrixRow, heading: SafeHtml): SafeHtml {
  return html`<tr class="${row.differs ? 'differs' : 'agrees'}"${row.differs ? trustedHtml(' title="the runs disagree"') : ''}><th scope="row">${heading}</th>${row.cells.map(renderCell)}</tr>`;
}

function renderCell(cell: MatrixCell): SafeHtml {
  return html`<td>${outcomeBadge(cell.outcome, cell.accepted)}${cell.definitionDiffers ? html` <span class="definition-differs" title="this run's scenario definition differs from the first run's">≠ definition</span>` : ''}${cell.reason ? html`<br><span class="muted">${cell.reason}</span>` : ''}</td>`;
}

function runLabel(index: number): string {
  return `Run ${index + 1}`;
}

/** "Run 2 · staging", a link to that run's own report when it was found beside its results.json. */
function runHeading(column: MatrixColumn, index: number): SafeHtml {
  const text = column.label ? `${runLabel(index)} · ${column.label}` : runLabel(index);
  return column.report ? html`<a href="${column.report}" title="this run's report">${text}</a>` : html`${text}`;
}
