/**
 * The canonical OperationDefinitions for $get-ws-binding-token, one per FHIR version family:
 * R5 core (converted from HL7's XML by scripts/convert-operation-definition.ts) and the
 * Subscriptions R5 Backport IG 1.1.0 for R4 and R4B (written by hand from the IG's published OperationDefinition; it carries
 * no narrative or parameter documentation because only the computable content was checked).
 *
 * Loaded once, deep-frozen: callers share the objects, so nobody may change them.
 */
import fs from 'node:fs';
import type { FhirVersion } from '../scenario/model.js';
import type { OperationDefinition } from './operation-definition-types.js';

export const CANONICAL_URLS = Object.freeze({
  R5: 'http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token',
  backport:
    'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-get-ws-binding-token',
} as const);

export const CANONICAL_IDS = Object.freeze({
  R5: 'Subscription-get-ws-binding-token',
  backport: 'backport-subscription-get-ws-binding-token',
} as const);

const DEFINITION_FILES = {
  R5: new URL('./definitions/r5-get-ws-binding-token.json', import.meta.url),
  backport: new URL('./definitions/backport-get-ws-binding-token.json', import.meta.url),
} as const;

type DefinitionFamily = keyof typeof DEFINITION_FILES;

const loaded = new Map<DefinitionFamily, OperationDefinition>();

/** R4 and R4B use the backport definition; R5 uses the core one. */
export function definitionFamily(version: FhirVersion): DefinitionFamily {
  return version === 'R5' ? 'R5' : 'backport';
}

export function canonicalOperationDefinition(version: FhirVersion): OperationDefinition {
  const family = definitionFamily(version);
  let definition = loaded.get(family);
  if (!definition) {
    definition = deepFreeze(JSON.parse(fs.readFileSync(DEFINITION_FILES[family], 'utf8')) as OperationDefinition);
    loaded.set(family, definition);
  }
  return definition;
}

export function canonicalUrl(version: FhirVersion): string {
  return CANONICAL_URLS[definitionFamily(version)];
}

export function canonicalId(version: FhirVersion): string {
  return CANONICAL_IDS[definitionFamily(version)];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
