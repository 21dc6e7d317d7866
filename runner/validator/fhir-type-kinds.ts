/**
 * What JSON shape a declared OperationDefinition.parameter.type takes inside Parameters.parameter:
 * a primitive or complex datatype goes in value[x]; a resource type goes in `resource`.
 */
import { isPrimitiveType } from './fhir-datatypes.js';

export type TypeKind = 'primitive' | 'datatype' | 'resource' | 'any';

/** R5 complex datatypes (datatypes.html and metadatatypes.html): these are carried in value[x]. */
const COMPLEX_DATATYPES = new Set([
  'Address', 'Age', 'Annotation', 'Attachment', 'Availability', 'CodeableConcept', 'CodeableReference',
  'Coding', 'ContactDetail', 'ContactPoint', 'Contributor', 'Count', 'DataRequirement', 'Distance',
  'Dosage', 'Duration', 'Expression', 'ExtendedContactDetail', 'Extension', 'HumanName', 'Identifier',
  'Meta', 'MonetaryComponent', 'Money', 'ParameterDefinition', 'Period', 'Quantity', 'Range', 'Ratio',
  'RatioRange', 'Reference', 'RelatedArtifact', 'SampledData', 'Signature', 'Timing', 'TriggerDefinition',
  'UsageContext', 'VirtualServiceDetail',
]);

/** Abstract types that allow a value of any datatype (R5 uses them with allowedType). */
const ANY_DATATYPE = new Set(['Element', 'DataType', 'PrimitiveType', 'BackboneType', 'Any', '*']);

export function typeKind(type: string | undefined): TypeKind {
  if (type === undefined || ANY_DATATYPE.has(type)) return 'any';
  if (isPrimitiveType(type)) return 'primitive';
  if (COMPLEX_DATATYPES.has(type)) return 'datatype';
  return 'resource';
}
