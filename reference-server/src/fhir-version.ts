/** The FHIR versions the reference server speaks, and the facts that differ between them. */
export const FHIR_VERSIONS = ['R4', 'R4B', 'R5'] as const;
export type FhirVersion = (typeof FHIR_VERSIONS)[number];

/** CapabilityStatement.fhirVersion per version. */
export const FHIR_RELEASE: Readonly<Record<FhirVersion, string>> = { R4: '4.0.1', R4B: '4.3.0', R5: '5.0.0' };

/** R4 and R4B use the Subscriptions R5 Backport IG; R5 has subscriptions in core. */
export function isBackport(version: FhirVersion): boolean {
  return version !== 'R5';
}

export function isFhirVersion(value: string): value is FhirVersion {
  return (FHIR_VERSIONS as readonly string[]).includes(value);
}
