/** The outcome badge every part of the HTML report uses: a scenario, a step, a check, a requirement. */
import { html, type SafeHtml } from './html-escape.js';
import { outcomeText } from './outcomes.js';
import type { Outcome } from './results-types.js';

export function outcomeBadge(outcome: Outcome | 'not-run', accepted = false): SafeHtml {
  if (outcome === 'not-run') return html`<span class="badge outcome-not-run">– Not run</span>`;
  if (outcome === 'blocked') return html`<span class="badge outcome-blocked" title="not judged: a prerequisite did not hold">${outcomeText(outcome)}</span>`;
  const acceptedMark = accepted ? html` <span class="badge accepted">☑ Accepted</span>` : '';
  return html`<span class="${`badge outcome-${outcome}`}">${outcomeText(outcome)}</span>${acceptedMark}`;
}
