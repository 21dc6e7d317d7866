/**
 * Reads OperationDefinition.parameter defensively: a definition may come from a server (junk is
 * possible), so entries without a string name are dropped rather than trusted.
 */
import type { ParameterUse } from './operation-definition-types.js';

export interface DeclaredParameter {
  name: string;
  use?: ParameterUse;
  min: number;
  /** Infinity for "*". */
  max: number;
  /** The max as written, for messages ("1", "*"). */
  maxText: string;
  type?: string;
  parts: DeclaredParameter[];
}

/** The declared parameters for one use ('in' or 'out'); parts are read whatever their use. */
export function declaredParametersFor(definition: unknown, use: ParameterUse): DeclaredParameter[] {
  const list = isRecord(definition) ? definition.parameter : undefined;
  return readDeclaredParameters(list).filter((parameter) => parameter.use === use);
}

export function readDeclaredParameters(list: unknown, depth = 0): DeclaredParameter[] {
  if (!Array.isArray(list) || depth > 16) return [];
  const result: DeclaredParameter[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.name !== 'string') continue;
    const maxText = typeof entry.max === 'string' ? entry.max : '*';
    result.push({
      name: entry.name,
      use: entry.use === 'in' || entry.use === 'out' ? entry.use : undefined,
      min: typeof entry.min === 'number' && Number.isFinite(entry.min) ? entry.min : 0,
      max: /^[0-9]+$/.test(maxText) ? Number(maxText) : Infinity,
      maxText,
      type: typeof entry.type === 'string' ? entry.type : undefined,
      parts: readDeclaredParameters(entry.part, depth + 1),
    });
  }
  return result;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
