/**
 * The validator library: FHIR primitive datatypes, Parameters vs OperationDefinition, and
 * OperationDefinition vs canonical. Nothing here does I/O beyond loading the bundled definitions,
 * and nothing throws on bad input: problems come back as data.
 */
export {
  CANONICAL_IDS,
  CANONICAL_URLS,
  canonicalId,
  canonicalOperationDefinition,
  canonicalUrl,
  definitionFamily,
} from './definitions.js';
export type { OperationDefinition, OperationDefinitionParameter, ParameterUse } from './operation-definition-types.js';
export {
  MAX_STRING_BYTES,
  PRIMITIVE_TYPES,
  checkPrimitive,
  checkPrimitiveDetailed,
  checkPrimitiveFindings,
  formatFinding,
  isPrimitiveType,
  valueKeyForType,
} from './fhir-datatypes.js';
export type { Finding, PrimitiveCheck, PrimitiveCheckOptions, PrimitiveFindings } from './fhir-datatypes.js';
export { typeKind, type TypeKind } from './fhir-type-kinds.js';
export { describeSecret, describeValue } from './describe-value.js';
export { validateParameters, type ValidateParametersOptions } from './validate-parameters.js';
export { PARAMETER_RULES, type IssueSeverity, type ParameterIssue, type ParameterRule } from './parameter-issue.js';
export {
  EMPTY_PROFILE,
  GET_WS_BINDING_TOKEN_PROFILE,
  defaultProfileFor,
  type OperationProfile,
} from './get-ws-binding-token-profile.js';
export { compareOperationDefinitions, type CompareOptions, type OpDefDifference } from './compare-operation-definitions.js';
