/**
 * The OperationDefinition for $get-ws-binding-token this server serves: the canonical JSON for its
 * version (runner/validator/definitions, shared with the validator so both use the same text), or,
 * with fault opdef-differs or opdef-token-repeats, a changed copy.
 */
import fs from 'node:fs';
import type { ActiveFaults } from './faults.js';
import { isBackport, type FhirVersion } from './fhir-version.js';
import type { FhirResource } from './store.js';

export const OPERATION_CODE = 'get-ws-binding-token';

export const OPERATION_CANONICAL = Object.freeze({
  R5: 'http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token',
  backport: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-get-ws-binding-token',
});

const DEFINITION_FILES = {
  R5: new URL('../../runner/validator/definitions/r5-get-ws-binding-token.json', import.meta.url),
  backport: new URL('../../runner/validator/definitions/backport-get-ws-binding-token.json', import.meta.url),
};

export function operationCanonical(version: FhirVersion): string {
  return isBackport(version) ? OPERATION_CANONICAL.backport : OPERATION_CANONICAL.R5;
}

/** The canonical of the other family: what a confused server would advertise. */
export function otherFamilyCanonical(version: FhirVersion): string {
  return isBackport(version) ? OPERATION_CANONICAL.R5 : OPERATION_CANONICAL.backport;
}

export function servedOperationDefinition(version: FhirVersion, faults: ActiveFaults): FhirResource & { id: string } {
  const file = isBackport(version) ? DEFINITION_FILES.backport : DEFINITION_FILES.R5;
  const definition = JSON.parse(fs.readFileSync(file, 'utf8')) as FhirResource & { id: string };
  const served = faults.has('opdef-differs') ? differingCopy(definition) : definition;
  return faults.has('opdef-token-repeats') ? tokenRepeatingCopy(served) : served;
}

/** One drift that a check of hand-picked fields misses: only `max` of a required output changes. */
function tokenRepeatingCopy(definition: FhirResource & { id: string }): FhirResource & { id: string } {
  const copy = structuredClone(definition);
  const parameters = Array.isArray(copy.parameter) ? (copy.parameter as Array<Record<string, unknown>>) : [];
  for (const parameter of parameters) {
    if (parameter.name === 'token' && parameter.use === 'out') parameter.max = '*';
  }
  return copy;
}

/** Two realistic drifts: the old valueString typing of websocket-url, and affectsState flipped. */
function differingCopy(definition: FhirResource & { id: string }): FhirResource & { id: string } {
  const copy = structuredClone(definition);
  copy.affectsState = !copy.affectsState;
  const parameters = Array.isArray(copy.parameter) ? (copy.parameter as Array<Record<string, unknown>>) : [];
  for (const parameter of parameters) {
    if (parameter.name === 'websocket-url') parameter.type = 'string';
  }
  return copy;
}
