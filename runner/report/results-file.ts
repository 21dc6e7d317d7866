/**
 * Reading and validating results.json against runner/report/results.schema.json: the comparison
 * (compare.ts) reads results of earlier runs, possibly written by another version of the tool.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { readInputFile } from '../read-input-file.js';
import { harnessError } from '../errors.js';
import type { RunResults } from './results-types.js';

let validator: ValidateFunction | undefined;

export function resultsSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('./results.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

function compiled(): ValidateFunction {
  if (!validator) validator = new Ajv({ allErrors: true, strict: true }).compile(resultsSchema());
  return validator;
}

/** Problems as "/scenarios/3/outcome must be equal to one of the allowed values"; empty when valid. */
export function validateResults(value: unknown): string[] {
  const validate = compiled();
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describeSchemaError);
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const extra = error.keyword === 'additionalProperties'
    ? ` ("${String((error.params as { additionalProperty?: string }).additionalProperty)}")`
    : error.keyword === 'enum'
      ? `: ${JSON.stringify((error.params as { allowedValues?: unknown[] }).allowedValues)}`
      : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}

/** Reads and validates a results.json; a missing, unparsable or invalid file is FWC_ERR_CONFIG. */
export function readResultsFile(file: string): RunResults {
  const text = readInputFile(file, 'results file');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw harnessError('FWC_ERR_CONFIG', `${file} is not JSON: ${(error as Error).message}`);
  }
  const problems = validateResults(value);
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((p) => `  ${p}`).join('\n');
    const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : '';
    throw harnessError('FWC_ERR_CONFIG', `${file} is not a valid results.json:\n${shown}${more}`);
  }
  return value as RunResults;
}
