/**
 * The security observations of one run as labelled sentences: the server-profile facts
 * (profile-fields.ts SECURITY_FIELDS) and whether a deleted Subscription's token still binds, read
 * from scope.revoked-on-delete's outcome. Recorded, never judged: the spec leaves the token's
 * security to the implementation (DIGEST §5). index.html and matrix.html both show these rows.
 */
import { profileValue, SECURITY_FIELDS } from './profile-fields.js';
import type { RunResults } from './results-types.js';

export interface SecurityFact {
  label: string;
  value: string;
}

const REVOKED_ON_DELETE = 'scope.revoked-on-delete';
export const DELETED_SUBSCRIPTION_LABEL = 'Token of a deleted Subscription';

export function securityFacts(results: RunResults): SecurityFact[] {
  return [
    ...SECURITY_FIELDS.map(([key, label]) => ({ label, value: profileValue(key, results.profile[key]) })),
    { label: DELETED_SUBSCRIPTION_LABEL, value: deletedSubscriptionToken(results) },
  ];
}

function deletedSubscriptionToken(results: RunResults): string {
  const scenario = results.scenarios.find((s) => s.id === REVOKED_ON_DELETE);
  if (scenario?.outcome === 'passed') return `no longer binds after the delete (${REVOKED_ON_DELETE} passed)`;
  if (scenario?.outcome === 'warning') return `still binds after the delete (${REVOKED_ON_DELETE} warns: ${scenario.reason ?? 'see the scenario'})`;
  return scenario ? `not observed (${REVOKED_ON_DELETE} ${scenario.outcome})` : 'not observed';
}
