/**
 * The "Security observations" section of index.html: what a binding token grants on this server,
 * recorded and never judged — the spec leaves the token's security to the implementation. The rows
 * are security-facts.ts's, the same as matrix.html's.
 */
import { html, type SafeHtml } from './html-escape.js';
import type { RunResults } from './results-types.js';
import { securityFacts } from './security-facts.js';

export function renderSecurityObservations(results: RunResults): SafeHtml {
  return html`<section id="security" aria-labelledby="security-title"><h2 id="security-title">Security observations</h2>
<p>What a binding token grants on this server. Recorded with evidence, never part of the verdict: the specification leaves the security of the token to the implementation.</p>
<dl class="profile">
${securityFacts(results).map(({ label, value }) => html`<dt>${label}</dt><dd>${value}</dd>`)}
</dl></section>`;
}
