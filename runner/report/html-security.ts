/**
 * The "Security observations" section of index.html: what a binding token grants on this server,
 * recorded and never judged — the spec leaves the token's security to the implementation.
 * The facts come from the server profile (runner/engine/security-observations.ts and the
 * scenarios that record reuse and lifetime) and from scope.revoked-on-delete's outcome.
 */
import { html, type SafeHtml } from './html-escape.js';
import { profileValue } from './html-run-sections.js';
import type { RunResults } from './results-types.js';

const PROFILE_ROWS: Array<[string, string]> = [
  ['bindingTokenRestBearer', 'Binding token accepted as a REST bearer'],
  ['bindingTokenSelfRenewal', 'Binding token obtains a new binding token'],
  ['tokenInUrl', 'Token in a URL (query string of websocket-url)'],
  ['tokenLifetimeSeconds', 'Stated lifetime'],
  ['tokenEntropy', 'Randomness of opaque tokens (estimate)'],
  ['tokenReuse', 'Reuse across sockets'],
];

const REVOKED_ON_DELETE = 'scope.revoked-on-delete';

export function renderSecurityObservations(results: RunResults): SafeHtml {
  return html`<section id="security" aria-labelledby="security-title"><h2 id="security-title">Security observations</h2>
<p>What a binding token grants on this server. Recorded with evidence, never part of the verdict: the specification leaves the security of the token to the implementation.</p>
<dl class="profile">
${PROFILE_ROWS.map(([key, label]) => html`<dt>${label}</dt><dd>${profileValue(key, results.profile[key])}</dd>`)}
<dt>Token of a deleted Subscription</dt><dd>${deletedSubscriptionToken(results)}</dd>
</dl></section>`;
}

function deletedSubscriptionToken(results: RunResults): string {
  const scenario = results.scenarios.find((s) => s.id === REVOKED_ON_DELETE);
  if (scenario?.outcome === 'passed') return `no longer binds after the delete (${REVOKED_ON_DELETE} passed)`;
  if (scenario?.outcome === 'warning') return `still binds after the delete (${REVOKED_ON_DELETE} warns: ${scenario.reason ?? 'see the scenario'})`;
  return scenario ? `not observed (${REVOKED_ON_DELETE} ${scenario.outcome})` : 'not observed';
}
