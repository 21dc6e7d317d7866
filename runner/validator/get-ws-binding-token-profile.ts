/**
 * What validateParameters knows about $get-ws-binding-token in particular: which requirement id
 * (suites/requirements.csv) each parameter's cardinality verifies, and the parameter names of pre-release drafts
 * that old clients and servers still use. Other operations pass their own profile.
 */

export interface OperationProfile {
  /** Requirement id per parameter name, put on cardinality issues. */
  parameterRequirements: Readonly<Record<string, string>>;
  /** Names from older drafts: reported as legacy rather than merely unknown. */
  legacyNames: Readonly<Record<string, string>>;
  /** Requirement id put on legacy-name issues. */
  legacyRequirement?: string;
  /** Parameters whose values are secrets: their values never appear in messages. */
  secretParameters: readonly string[];
}

export const GET_WS_BINDING_TOKEN_PROFILE: OperationProfile = Object.freeze({
  parameterRequirements: Object.freeze({
    token: 'OP-11',
    expiration: 'OP-12',
    'websocket-url': 'OP-13',
    subscription: 'OP-14',
    id: 'OP-08',
  }),
  legacyNames: Object.freeze({
    ids: 'the 4.5.0 / backport 0.1.0 draft input (comma-delimited ids), replaced by repeated "id"',
    return: 'the 4.5.0 / backport 0.1.0 draft single output, replaced by token, expiration, subscription and websocket-url',
    subscriptions: 'the 4.5.0 / backport 0.1.0 draft comma-delimited list, replaced by repeated "subscription"',
  }),
  legacyRequirement: 'OP-15',
  secretParameters: Object.freeze(['token']),
});

/** No operation-specific knowledge: for definitions other than $get-ws-binding-token. */
export const EMPTY_PROFILE: OperationProfile = Object.freeze({
  parameterRequirements: Object.freeze({}),
  legacyNames: Object.freeze({}),
  secretParameters: Object.freeze([]),
});

export function defaultProfileFor(code: unknown): OperationProfile {
  return code === 'get-ws-binding-token' ? GET_WS_BINDING_TOKEN_PROFILE : EMPTY_PROFILE;
}
