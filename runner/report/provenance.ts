/**
 * The run's provenance (results.json `provenance`): runtime versions, the suite's content hash and
 * the OperationDefinition outputs were validated against — FIELD.md's "self-describing runs", so
 * two results files can be told apart by what ran, not only by when.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FhirVersion } from '../scenario/model.js';
import type { ScenarioFile } from '../scenario/model.js';
import { shortHash, suiteDefinitionHash } from '../suite/definition-hash.js';
import { canonicalOperationDefinition, definitionFamily } from '../validator/definitions.js';
import type { Provenance } from './results-types.js';

export interface ProvenanceInput {
  suite: readonly ScenarioFile[];
  requirementsFile: string;
  /** The version the run tested; undefined when discovery never learned it. */
  fhirVersion?: FhirVersion;
}

export function buildProvenance(input: ProvenanceInput): Provenance {
  const requirementsText = readFileSync(input.requirementsFile, 'utf8');
  return {
    node: process.version,
    playwright: playwrightVersion(),
    suite: {
      hash: suiteDefinitionHash(input.suite, requirementsText),
      scenarios: input.suite.reduce((n, f) => n + f.scenarios.length, 0),
      requirementsHash: shortHash(requirementsText.replace(/\r\n/g, '\n')),
    },
    ...(input.fhirVersion ? { operationDefinition: operationDefinitionOf(input.fhirVersion) } : {}),
  };
}

function operationDefinitionOf(version: FhirVersion): Provenance['operationDefinition'] {
  const definition = canonicalOperationDefinition(version) as unknown as { url: string; version?: string };
  const source = definitionFamily(version) === 'R5' ? 'FHIR R5 (5.0.0) core specification' : 'Subscriptions R5 Backport IG (hl7.fhir.uv.subscriptions-backport)';
  return { url: definition.url, ...(definition.version ? { version: definition.version } : {}), source };
}

function playwrightVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve('@playwright/test/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
