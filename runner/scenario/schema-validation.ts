/**
 * Validates a parsed scenario file against the schema (schema.ts) with Ajv and turns Ajv's
 * errors into problems a suite writer can act on: "unknown key "expectt" (did you mean
 * "expect"?)", "missing required field "title"", "bad level: expected one of …, but got "SHAL"".
 *
 * Step-level key problems (no kind, two kinds, unknown kind) are left to step-shape.ts, which
 * can say more than "must match exactly one schema in oneOf".
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { renderValue } from '../checks/render.js';
import type { PathProblem, ValuePath } from './problems.js';
import { buildScenarioSchema } from './schema.js';
import { didYouMean } from './suggest.js';

let validator: ValidateFunction | undefined;

function compiledValidator(): ValidateFunction {
  if (validator) return validator;
  // The named export: ajv is CommonJS, and its default import differs between Node and bundlers.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
  ajv.addVocabulary(['errorMessage']); // an annotation for editors and for our messages
  validator = ajv.compile(buildScenarioSchema());
  return validator;
}

export function schemaProblems(value: unknown): PathProblem[] {
  const validate = compiledValidator();
  if (validate(value)) return [];
  return (validate.errors ?? []).filter(isReported).map(toProblem);
}

const STEP_PATH = /^\/scenarios\/\d+\/steps\/\d+$/;
// The branches of "exactly one of these keys" / "one of these keys" constructions: only `required`.
const KEY_CHOICE_BRANCH = /\/(oneOf|anyOf)\/\d+\/required$/;

function isReported(error: ErrorObject): boolean {
  if (error.keyword === 'if' || error.keyword === 'propertyNames') return false; // the inner error says it
  if (KEY_CHOICE_BRANCH.test(error.schemaPath)) return false; // the oneOf/anyOf error says it
  const stepLevel = STEP_PATH.test(error.instancePath);
  return !(stepLevel && (error.keyword === 'additionalProperties' || error.keyword === 'oneOf'));
}

function toProblem(error: ErrorObject): PathProblem {
  const path = parsePointer(error.instancePath);
  if (error.propertyName !== undefined) {
    return schemaProblem([...path, error.propertyName], `${customMessage(error) ?? 'bad key'}, but got ${JSON.stringify(error.propertyName)}`, 'key');
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      return schemaProblem([...path, key], `unknown key ${JSON.stringify(key)}${didYouMean(key, known)}${knownKeys(known)}`, 'key');
    }
    case 'required':
      return schemaProblem(path, `missing required field ${JSON.stringify(error.params.missingProperty)}`);
    default:
      return schemaProblem(path, valueMessage(error));
  }
}

function valueMessage(error: ErrorObject): string {
  const got = `but got ${describeGot(error.data)}`;
  const custom = customMessage(error);
  if (error.keyword === 'enum') {
    const suggestion = typeof error.data === 'string' ? didYouMean(error.data, error.params.allowedValues as string[]) : '';
    const expected = custom ?? `expected one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    return `${expected}, ${got}${suggestion}`;
  }
  const choice = keyChoice(error);
  if (custom && choice) return `${custom}, but found ${choice}`;
  if (custom) return `${custom}, ${got}`;
  switch (error.keyword) {
    case 'type':
      return `wrong type: expected ${String(error.params.type).split(',').map(yamlTypeName).join(' or ')}, ${got}`;
    case 'pattern':
      return `expected text matching /${error.params.pattern}/, ${got}`;
    case 'minItems':
      return `expected at least ${error.params.limit} item${error.params.limit === 1 ? '' : 's'}, ${got}`;
    case 'minProperties':
      return `expected at least ${error.params.limit} entr${error.params.limit === 1 ? 'y' : 'ies'}, ${got}`;
    case 'uniqueItems':
      return `duplicate items: items ${error.params.j + 1} and ${error.params.i + 1} are the same`;
    case 'minimum':
    case 'maximum':
      return `expected a number ${error.params.comparison} ${error.params.limit}, ${got}`;
    default:
      return `${error.message ?? 'is not valid'}, ${got}`;
  }
}

/** For "exactly one of these keys" errors: which of the keys the mapping holds ("none of them", "equals and exists"). */
function keyChoice(error: ErrorObject): string | undefined {
  if ((error.keyword !== 'oneOf' && error.keyword !== 'anyOf') || !Array.isArray(error.schema)) return undefined;
  const keys = (error.schema as Array<{ required?: string[] }>).map((branch) => branch.required?.[0]);
  if (keys.some((key) => key === undefined) || typeof error.data !== 'object' || error.data === null) return undefined;
  const present = keys.filter((key) => Object.prototype.hasOwnProperty.call(error.data, key as string));
  return present.length === 0 ? 'none of them' : present.join(' and ');
}

/** The schema's own wording for this error (errorMessage), when it has one. */
function customMessage(error: ErrorObject): string | undefined {
  const message = error.parentSchema?.errorMessage;
  return typeof message === 'string' ? message : undefined;
}

/** JSON Schema type names in the words of a YAML writer. */
function yamlTypeName(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'text', integer: 'a whole number', number: 'a number', boolean: 'true or false' };
  return names[type] ?? type;
}

function knownKeys(known: string[]): string {
  return known.length > 0 && known.length <= 13 ? `; expected one of ${known.join(', ')}` : '';
}

function describeGot(data: unknown): string {
  if (data === null) return 'null (an empty value)';
  if (Array.isArray(data)) return data.length === 0 ? 'an empty list' : `a list: ${renderValue(data, 60)}`;
  if (typeof data === 'object') return `a mapping: ${renderValue(data, 60)}`;
  if (typeof data === 'string') return renderValue(data, 80);
  return `${renderValue(data, 60)} (a ${typeof data})`;
}

function schemaProblem(path: ValuePath, message: string, at: 'key' | 'value' = 'value'): PathProblem {
  return { code: 'FWC_ERR_SCENARIO_SCHEMA', message, path, at };
}

/** "/scenarios/0/steps/2/ws.expect" → ["scenarios", 0, "steps", 2, "ws.expect"] (JSON Pointer, RFC 6901). */
function parsePointer(pointer: string): ValuePath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}
