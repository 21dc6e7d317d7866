/**
 * Validates a Parameters resource (request or response body) against an OperationDefinition: the
 * FHIR Parameters structure (inv-1, choice naming), each value's datatype, each declared parameter's
 * cardinality, and undeclared or legacy names. Returns issues; never throws, whatever the input.
 *
 * `scope` (R5) is deliberately not used: it says at which invocation level an input applies, and an
 * `id` sent at instance level is to be ignored by the server, not rejected, so it is no body defect.
 */
import { declaredParametersFor, isRecord, type DeclaredParameter } from './declared-parameters.js';
import { describeSecret, describeValue } from './describe-value.js';
import { checkPrimitiveFindings, isPrimitiveType, valueKeyForType } from './fhir-datatypes.js';
import { typeKind } from './fhir-type-kinds.js';
import { defaultProfileFor, type OperationProfile } from './get-ws-binding-token-profile.js';
import type { ParameterUse } from './operation-definition-types.js';
import { makeIssue, type IssueDetails, type ParameterIssue } from './parameter-issue.js';

export interface ValidateParametersOptions {
  /** Operation-specific knowledge; defaults to the $get-ws-binding-token profile when the code matches. */
  profile?: OperationProfile;
  /** Stop collecting after this many issues (a final limits.issues issue says so). Default 200. */
  maxIssues?: number;
}

const DEFAULT_MAX_ISSUES = 200;
const MAX_PART_DEPTH = 8;

const PARAMETERS_ELEMENTS = new Set(['resourceType', 'id', 'meta', 'implicitRules', 'language', 'parameter']);
const ENTRY_ELEMENTS = new Set(['name', '_name', 'id', 'extension', 'modifierExtension', 'resource', 'part']);
const VALUE_KEY = /^value[A-Z][A-Za-z0-9]*$/;
const VALUE_EXTENSION_KEY = /^_value[A-Z][A-Za-z0-9]*$/;

/** Requirement ids (suites/requirements.csv) that a datatype violation breaks, by type. */
const DATATYPE_REQUIREMENTS: Readonly<Record<string, string>> = {
  id: 'DT-01',
  dateTime: 'DT-02',
  instant: 'DT-03',
  string: 'DT-04',
  markdown: 'DT-04',
  uri: 'DT-05',
  url: 'DT-05',
  canonical: 'DT-05',
  integer64: 'DT-06',
};

interface Context {
  use: ParameterUse;
  profile: OperationProfile;
  declaredTopLevel: DeclaredParameter[];
  otherUseNames: Set<string>;
  issues: ParameterIssue[];
  maxIssues: number;
}

/** What an entry holds, once its shape has been checked. */
interface EntryShape {
  name?: string;
  valueKeys: string[];
  hasResource: boolean;
  hasPart: boolean;
}

export function validateParameters(
  operationDefinition: unknown,
  parameters: unknown,
  use: ParameterUse,
  options: ValidateParametersOptions = {},
): ParameterIssue[] {
  const context = createContext(operationDefinition, use, options);
  try {
    if (!checkBodyIsParameters(context, parameters)) return context.issues;
    checkResourceElements(context, parameters);
    const entries = checkList(context, parameters.parameter, 'Parameters.parameter');
    validateEntries(context, context.declaredTopLevel, entries, 'Parameters.parameter', 0);
  } catch (error) {
    report(context, {
      rule: 'internal',
      path: 'Parameters',
      expected: 'a body the validator can read',
      actual: `one that made it fail (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  return context.issues;
}

function createContext(definition: unknown, use: ParameterUse, options: ValidateParametersOptions): Context {
  const code = isRecord(definition) ? definition.code : undefined;
  const otherUse: ParameterUse = use === 'in' ? 'out' : 'in';
  return {
    use,
    profile: options.profile ?? defaultProfileFor(code),
    declaredTopLevel: declaredParametersFor(definition, use),
    otherUseNames: new Set(declaredParametersFor(definition, otherUse).map((parameter) => parameter.name)),
    issues: [],
    maxIssues: options.maxIssues ?? DEFAULT_MAX_ISSUES,
  };
}

function report(context: Context, details: IssueDetails): void {
  if (context.issues.length < context.maxIssues) {
    context.issues.push(makeIssue(details));
  } else if (context.issues.length === context.maxIssues) {
    context.issues.push(
      makeIssue({
        rule: 'limits.issues',
        path: 'Parameters',
        expected: `at most ${context.maxIssues} issues`,
        actual: 'more; the rest are not listed',
      }),
    );
  }
}

// --- the body ------------------------------------------------------------------------------------

function checkBodyIsParameters(context: Context, body: unknown): body is Record<string, unknown> {
  if (isRecord(body) && body.resourceType === 'Parameters') return true;
  const actual = isRecord(body) && body.resourceType === undefined ? 'a JSON object without resourceType' : describeValue(body);
  report(context, {
    rule: 'body.resource-type',
    path: 'Parameters',
    expected: 'a Parameters resource (a JSON object with "resourceType": "Parameters")',
    actual,
    requirement: context.use === 'out' ? 'OP-10' : 'OP-03',
  });
  return false;
}

function checkResourceElements(context: Context, body: Record<string, unknown>): void {
  for (const key of Object.keys(body)) {
    if (PARAMETERS_ELEMENTS.has(key) || key.startsWith('_')) continue;
    report(context, {
      rule: 'body.element',
      path: `Parameters.${key}`,
      expected: `only the elements of Parameters (${[...PARAMETERS_ELEMENTS].join(', ')})`,
      actual: `an unknown element "${key}"`,
    });
  }
}

/** `parameter` and `part` lists: absent is fine (cardinality speaks for it); FHIR JSON forbids empty arrays. */
function checkList(context: Context, list: unknown, path: string): unknown[] {
  if (list === undefined) return [];
  if (Array.isArray(list) && list.length > 0) return list;
  report(context, {
    rule: 'list.array',
    path,
    expected: 'a non-empty JSON array, or no element at all',
    actual: describeValue(list),
  });
  return [];
}

// --- entries -------------------------------------------------------------------------------------

function validateEntries(context: Context, declared: DeclaredParameter[], entries: unknown[], listPath: string, depth: number): void {
  const counts = new Map<string, number>();
  entries.forEach((entry, index) => {
    const path = `${listPath}[${index}]`;
    const shape = checkEntryShape(context, entry, path);
    if (!shape || !isRecord(entry)) return;
    const exactlyOne = checkInvariantOne(context, shape, path);
    if (shape.name === undefined) return;
    const parameter = declared.find((candidate) => candidate.name === shape.name);
    if (!parameter) {
      checkUndeclaredName(context, shape.name, declared, path, depth);
      return;
    }
    counts.set(parameter.name, (counts.get(parameter.name) ?? 0) + 1);
    if (exactlyOne) validateContent(context, parameter, entry, shape, path, depth);
  });
  for (const parameter of declared) {
    checkCardinality(context, parameter, counts.get(parameter.name) ?? 0, listPath);
  }
}

function checkEntryShape(context: Context, entry: unknown, path: string): EntryShape | undefined {
  if (!isRecord(entry)) {
    report(context, { rule: 'entry.object', path, expected: 'a JSON object', actual: describeValue(entry) });
    return undefined;
  }
  const name = typeof entry.name === 'string' && entry.name.length > 0 ? entry.name : undefined;
  if (name === undefined) {
    report(context, {
      rule: 'entry.name',
      path: `${path}.name`,
      expected: 'a non-empty string name',
      actual: describeValue(entry.name),
    });
  }
  const keys = Object.keys(entry);
  for (const key of keys) {
    if (ENTRY_ELEMENTS.has(key) || VALUE_KEY.test(key) || VALUE_EXTENSION_KEY.test(key)) continue;
    report(context, {
      rule: 'entry.element',
      path: `${path}.${key}`,
      expected: 'only name, value[x], resource, part, id, extension or modifierExtension',
      actual: `an unknown element "${key}"`,
      parameter: name,
    });
  }
  return {
    name,
    valueKeys: keys.filter((key) => VALUE_KEY.test(key)),
    hasResource: entry.resource !== undefined,
    hasPart: entry.part !== undefined,
  };
}

/** inv-1: (part and no value and no resource) or (no part and (value xor resource)). */
function checkInvariantOne(context: Context, shape: EntryShape, path: string): boolean {
  const present = [...shape.valueKeys, ...(shape.hasResource ? ['resource'] : []), ...(shape.hasPart ? ['part'] : [])];
  if (present.length === 1) return true;
  report(context, {
    rule: 'inv-1',
    path,
    expected: 'exactly one of value[x], resource or part (inv-1)',
    actual: present.length === 0 ? 'none of them' : present.join(' and '),
    parameter: shape.name,
    requirement: 'FW-01',
  });
  return false;
}

function checkUndeclaredName(context: Context, name: string, declared: DeclaredParameter[], path: string, depth: number): void {
  const isLegacy = depth === 0 && Object.hasOwn(context.profile.legacyNames, name);
  const declaredNames = declared.map((parameter) => parameter.name).join(', ') || 'none';
  const where = depth === 0 ? `the declared ${context.use} parameters` : 'the declared parts';
  if (isLegacy) {
    report(context, {
      rule: 'name.legacy',
      path: `${path}.name`,
      expected: `one of ${where} (${declaredNames})`,
      actual: `the legacy name "${name}" (${context.profile.legacyNames[name]})`,
      parameter: name,
      requirement: context.profile.legacyRequirement,
    });
    return;
  }
  const otherUse = depth === 0 && context.otherUseNames.has(name) ? ` (declared as an ${context.use === 'in' ? 'out' : 'in'} parameter)` : '';
  report(context, {
    rule: 'name.unknown',
    path: `${path}.name`,
    expected: `one of ${where} (${declaredNames})`,
    actual: `"${name}"${otherUse}`,
    parameter: name,
  });
}

function checkCardinality(context: Context, parameter: DeclaredParameter, count: number, listPath: string): void {
  const path = `${listPath}.where(name='${parameter.name}')`;
  const requirement = context.profile.parameterRequirements[parameter.name];
  const range = `${parameter.min}..${parameter.maxText}`;
  if (count < parameter.min) {
    report(context, {
      rule: 'cardinality.min',
      path,
      expected: `at least ${parameter.min} "${parameter.name}" (cardinality ${range})`,
      actual: count === 0 ? 'none' : String(count),
      parameter: parameter.name,
      requirement,
    });
  }
  if (count > parameter.max) {
    report(context, {
      rule: 'cardinality.max',
      path,
      expected: `at most ${parameter.maxText} "${parameter.name}" (cardinality ${range})`,
      actual: String(count),
      parameter: parameter.name,
      requirement,
    });
  }
}

// --- content -------------------------------------------------------------------------------------

/** The entry holds exactly one of value[x], resource or part; check it is the declared one, then check it. */
function validateContent(
  context: Context,
  parameter: DeclaredParameter,
  entry: Record<string, unknown>,
  shape: EntryShape,
  path: string,
  depth: number,
): void {
  if (!checkChoiceKey(context, parameter, shape, path)) return;
  if (shape.hasPart) {
    validateParts(context, parameter, entry.part, `${path}.part`, depth);
  } else if (shape.hasResource) {
    checkResource(context, parameter, entry.resource, `${path}.resource`);
  } else {
    const key = shape.valueKeys[0] as string;
    checkValue(context, parameter, key.slice('value'.length), entry[key], `${path}.${key}`);
  }
}

/** FW-02: the JSON key follows from the declared type (string → valueString, url → valueUrl, a resource → resource). */
function checkChoiceKey(context: Context, parameter: DeclaredParameter, shape: EntryShape, path: string): boolean {
  const actualKey = shape.hasPart ? 'part' : shape.hasResource ? 'resource' : (shape.valueKeys[0] as string);
  const expectedKey = expectedKeyFor(parameter);
  if (expectedKey === undefined || expectedKey === actualKey) return true;
  if (expectedKey === 'value[x]' && actualKey !== 'part') return true;
  report(context, {
    rule: 'value.choice-key',
    path,
    expected: parameter.type ? `${expectedKey} ("${parameter.name}" is declared as ${parameter.type})` : expectedKey,
    actual: actualKey,
    parameter: parameter.name,
    requirement: 'FW-02',
  });
  return false;
}

function expectedKeyFor(parameter: DeclaredParameter): string | undefined {
  if (parameter.parts.length > 0) return 'part';
  const kind = typeKind(parameter.type);
  if (kind === 'resource') return 'resource';
  if (kind === 'any') return parameter.type === undefined ? undefined : 'value[x]';
  return valueKeyForType(parameter.type as string);
}

function checkValue(context: Context, parameter: DeclaredParameter, valueType: string, value: unknown, path: string): void {
  const type = parameter.type && typeKind(parameter.type) !== 'any' ? parameter.type : typeOfValueKey(valueType);
  if (typeKind(type) !== 'primitive') {
    checkComplexValue(context, parameter, type, value, path);
    return;
  }
  const secret = context.profile.secretParameters.includes(parameter.name);
  const findings = checkPrimitiveFindings(type, value, { describe: secret ? describeSecret : describeValue });
  const requirement = DATATYPE_REQUIREMENTS[type];
  for (const [severity, list] of [['error', findings.errors], ['warning', findings.warnings]] as const) {
    for (const finding of list) {
      report(context, { rule: 'value.datatype', path, severity, ...finding, parameter: parameter.name, requirement });
    }
  }
}

function checkComplexValue(context: Context, parameter: DeclaredParameter, type: string, value: unknown, path: string): void {
  if (isRecord(value) && Object.keys(value).length > 0) return;
  report(context, {
    rule: 'value.datatype',
    path,
    expected: `a non-empty JSON object for a ${type}`,
    actual: describeValue(value),
    parameter: parameter.name,
  });
}

function checkResource(context: Context, parameter: DeclaredParameter, resource: unknown, path: string): void {
  const wanted = parameter.type && parameter.type !== 'Resource' && parameter.type !== 'DomainResource' ? parameter.type : undefined;
  const resourceType = isRecord(resource) ? resource.resourceType : undefined;
  if (typeof resourceType === 'string' && (wanted === undefined || resourceType === wanted)) return;
  report(context, {
    rule: 'value.resource',
    path,
    expected: wanted ? `a ${wanted} resource` : 'a resource (a JSON object with a resourceType)',
    actual: describeValue(resource),
    parameter: parameter.name,
  });
}

function validateParts(context: Context, parameter: DeclaredParameter, part: unknown, path: string, depth: number): void {
  if (depth + 1 > MAX_PART_DEPTH) {
    report(context, {
      rule: 'limits.depth',
      path,
      expected: `parts nested at most ${MAX_PART_DEPTH} deep`,
      actual: 'deeper nesting; it was not checked',
      parameter: parameter.name,
    });
    return;
  }
  validateEntries(context, parameter.parts, checkList(context, part, path), path, depth + 1);
}

/** 'DateTime' (from valueDateTime) → 'dateTime'; 'Coding' stays 'Coding'. */
function typeOfValueKey(suffix: string): string {
  const primitive = suffix.charAt(0).toLowerCase() + suffix.slice(1);
  return isPrimitiveType(primitive) ? primitive : suffix;
}
