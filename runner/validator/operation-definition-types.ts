/**
 * The part of the FHIR OperationDefinition resource the validator reads. Fields stay optional where
 * FHIR makes them optional, and the index signatures keep every other element a served resource may
 * carry, so a definition round-trips without loss.
 */

export type ParameterUse = 'in' | 'out';

export interface OperationDefinitionParameter {
  name: string;
  use: ParameterUse;
  /** R5 only (0..*): instance | type | system. Absent means "all levels". */
  scope?: string[];
  min: number;
  /** A number as a string, or "*". */
  max: string;
  /** A FHIR type name (id, string, dateTime, url, …, or a resource type); absent for tuple parameters. */
  type?: string;
  documentation?: string;
  part?: OperationDefinitionParameter[];
  [element: string]: unknown;
}

export interface OperationDefinition {
  resourceType: 'OperationDefinition';
  id?: string;
  url?: string;
  version?: string;
  name: string;
  status: string;
  kind: string;
  affectsState?: boolean;
  code: string;
  resource?: string[];
  system: boolean;
  type: boolean;
  instance: boolean;
  parameter?: OperationDefinitionParameter[];
  [element: string]: unknown;
}
