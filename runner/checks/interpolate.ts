/**
 * Run-time substitution of `${…}` placeholders (syntax: template.ts).
 *
 * In a string, a value renders as: strings as they are, numbers and booleans as written, null,
 * arrays and objects as JSON. interpolateValue walks objects and arrays and, where a string is
 * exactly one placeholder ("${tok.subscriptions}"), keeps the value's type (an array stays an
 * array), so YAML like `ids: "${tok.subscriptions}"` or `equals: "${count}"` works as meant.
 *
 * A variable that is not defined, or a member that is not there, is a HarnessError with code
 * FWC_ERR_SCENARIO_UNDEFINED_VARIABLE (class UndefinedVariableError, whose `missing` says which).
 * The loader has already proved every variable is defined before use, so a missing *variable*
 * means a harness bug; a missing *member* (say tok.expiration when the server sent none) may be
 * the server's doing, and the engine can tell the two apart.
 */
import { HarnessError, type SourceLocation } from '../errors.js';
import { parseTemplate, wholeReference, type VariableReference } from './template.js';
import type { VariableScope } from './variable-scope.js';

export { VariableScope } from './variable-scope.js';

export class UndefinedVariableError extends HarnessError {
  constructor(
    readonly reference: string,
    readonly missing: 'variable' | 'member',
    message: string,
    location?: SourceLocation,
  ) {
    super('FWC_ERR_SCENARIO_UNDEFINED_VARIABLE', message, location);
    this.name = 'UndefinedVariableError';
  }
}

export function interpolate(template: string, vars: VariableScope, location?: SourceLocation): string {
  return relocated(location, () =>
    parseTemplate(template)
      .map((part) => (part.kind === 'text' ? part.text : renderInline(resolveReference(part, vars, location))))
      .join(''),
  );
}

/** Interpolates every string inside a value; a string that is one whole placeholder keeps the value's type. */
export function interpolateValue(value: unknown, vars: VariableScope, location?: SourceLocation): unknown {
  if (typeof value === 'string') {
    const whole = relocated(location, () => wholeReference(value));
    return whole ? resolveReference(whole, vars, location) : interpolate(value, vars, location);
  }
  if (Array.isArray(value)) return value.map((item) => interpolateValue(item, vars, location));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateValue(item, vars, location)]),
    );
  }
  return value;
}

/** The value a reference points at; throws UndefinedVariableError when it is not there. */
export function resolveReference(reference: VariableReference, vars: VariableScope, location?: SourceLocation): unknown {
  if (!vars.has(reference.name)) {
    throw new UndefinedVariableError(reference.reference, 'variable', `undefined variable "${reference.name}"`, location);
  }
  let value = vars.get(reference.name);
  let walked = reference.name;
  for (const member of reference.path) {
    value = memberOf(value, member);
    walked += `.${member}`;
    if (value === undefined) {
      const message = `"\${${reference.reference}}" has no value: ${walked} is not defined`;
      throw new UndefinedVariableError(reference.reference, 'member', message, location);
    }
  }
  return value;
}

function memberOf(value: unknown, member: string): unknown {
  if (Array.isArray(value)) return /^[0-9]+$/.test(member) ? value[Number(member)] : undefined;
  if (typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, member)) {
    return (value as Record<string, unknown>)[member];
  }
  return undefined;
}

function renderInline(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? String(value);
}

/** Template syntax errors carry no location of their own; give them the caller's. */
function relocated<T>(location: SourceLocation | undefined, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (location && error instanceof HarnessError && !error.location) {
      throw new HarnessError(error.code, error.message, location);
    }
    throw error;
  }
}
