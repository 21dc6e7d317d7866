/**
 * One scenario's evidence as a single timeline: HTTP exchanges, websocket events and notes in time
 * order, each with its time since the first entry and since the previous one. Bodies and frames
 * are collapsible; everything the server sent is escaped (html``).
 */
import type { HttpExchangeEntry, NoteEntry, TranscriptEntry, WsEventEntry } from '../evidence/transcript-types.js';
import { html, type SafeHtml } from './html-escape.js';

const PREVIEW_CHARS = 120;
/** Pretty-printing megabytes of JSON costs more than it helps; larger bodies are shown as sent. */
const PRETTY_PRINT_LIMIT = 256 * 1024;

export function renderTimeline(entries: readonly TranscriptEntry[]): SafeHtml {
  if (entries.length === 0) return html`<p class="empty">No HTTP or websocket traffic was recorded.</p>`;
  // Time order, ties by seq: an HTTP exchange is recorded when it ends but belongs where it started.
  const ordered = [...entries].sort((a, b) => (entryTime(a) || 0) - (entryTime(b) || 0) || a.seq - b.seq);
  const times = ordered.map(entryTime);
  const start = Math.min(...times.filter((t) => !Number.isNaN(t)));
  const rows = ordered.map((entry, i) => renderRow(entry, times[i]!, start, i > 0 ? times[i - 1]! : NaN));
  return html`<table class="timeline">
<caption class="visually-hidden">HTTP exchanges and websocket events in the order seen</caption>
<thead><tr><th scope="col">#</th><th scope="col">Since start</th><th scope="col">Since previous</th><th scope="col">Step</th><th scope="col">Channel</th><th scope="col">Event</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function renderRow(entry: TranscriptEntry, time: number, start: number, previous: number): SafeHtml {
  return html`<tr class="${`tl-${entry.kind}`}">
<td>${entry.seq}</td><td class="num">${formatOffset(time - start, '+')}</td><td class="num">${formatOffset(time - previous, 'Δ ')}</td>
<td>${entry.step ?? ''}</td><td>${channel(entry)}</td><td>${renderEvent(entry)}</td></tr>`;
}

function entryTime(entry: TranscriptEntry): number {
  return Date.parse(entry.kind === 'http' ? entry.startedAt : entry.at);
}

function formatOffset(ms: number, prefix: string): string {
  if (!Number.isFinite(ms)) return '—';
  return `${prefix}${Math.round(ms)} ms`;
}

function channel(entry: TranscriptEntry): string {
  if (entry.kind === 'http') return 'HTTP';
  if (entry.kind === 'ws') return `WS ${entry.socket}`;
  return 'note';
}

function renderEvent(entry: TranscriptEntry): SafeHtml {
  if (entry.kind === 'http') return renderHttp(entry);
  if (entry.kind === 'ws') return renderWs(entry);
  return renderNote(entry);
}

function renderHttp(entry: HttpExchangeEntry): SafeHtml {
  const { request, response } = entry;
  const outcome = response
    ? html`<span class="http-status">→ ${response.status}</span>`
    : html`<span class="http-status no-response">→ no response${entry.error ? `: ${entry.error}` : ''}</span>`;
  return html`<div class="tl-line"><strong>${request.method}</strong> <code class="url">${request.url}</code> ${outcome} <span class="muted">(${Math.round(entry.durationMs)} ms)</span></div>
${renderMessage('Request', request.headers, request.body, false)}
${response ? renderMessage(`Response ${response.status}`, response.headers, response.body, response.bodyTruncated === true) : ''}
${response && entry.error ? html`<p class="tl-error">${entry.error}</p>` : ''}`;
}

function renderMessage(title: string, headers: Record<string, string>, body: string | undefined, truncated: boolean): SafeHtml {
  const headerLines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  const size = body === undefined ? 'no body' : `body ${formatBytes(body)}${truncated ? ', truncated' : ''}`;
  return html`<details class="body"><summary>${title} <span class="muted">(${headerLines.length} headers, ${size})</span></summary>
<pre class="headers">${headerLines.join('\n')}</pre>${body === undefined ? '' : html`<pre class="payload">${prettyBody(body)}</pre>`}</details>`;
}

function renderWs(entry: WsEventEntry): SafeHtml {
  switch (entry.event) {
    case 'open':
      return html`<div class="tl-line">opened <code class="url">${entry.url ?? ''}</code></div>`;
    case 'frame':
      return renderFrame(entry);
    case 'close':
      return html`<div class="tl-line">closed${entry.closeCode !== undefined ? ` with code ${entry.closeCode}` : ''}${entry.closeReason ? html` <q>${entry.closeReason}</q>` : ''}</div>`;
    case 'error':
      return html`<div class="tl-line tl-error">socket error: ${entry.error ?? 'unknown'}</div>`;
    case 'connect-failed':
      return html`<div class="tl-line tl-error">could not connect to <code class="url">${entry.url ?? ''}</code>: ${entry.error ?? 'unknown'}</div>`;
  }
}

function renderFrame(entry: WsEventEntry): SafeHtml {
  const arrow = entry.direction === 'sent' ? '⇢ sent' : '⇠ received';
  const data = entry.data ?? '';
  if (entry.binary) return html`<div class="tl-line">${arrow} <span class="muted">${data}</span></div>`;
  return html`<details class="body frame"><summary>${arrow} <span class="muted">(${formatBytes(data)})</span> <code>${preview(data)}</code></summary>
<pre class="payload">${prettyBody(data)}</pre></details>`;
}

function renderNote(entry: NoteEntry): SafeHtml {
  return html`<div class="tl-line note">${entry.text}</div>`;
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > PREVIEW_CHARS ? `${oneLine.slice(0, PREVIEW_CHARS)}…` : oneLine;
}

/** JSON bodies indented for reading; anything else exactly as recorded. */
export function prettyBody(body: string): string {
  const trimmed = body.trim();
  if (body.length > PRETTY_PRINT_LIMIT || !(trimmed.startsWith('{') || trimmed.startsWith('['))) return body;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return body;
  }
}

function formatBytes(text: string): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}
