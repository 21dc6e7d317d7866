/**
 * Renders any JSON-ish value for the "but received Y" half of a message: short, one line, and never
 * throwing (the value may be junk from a misbehaving server, cyclic, or a megabyte long).
 */

const MAX_SHOWN_CHARACTERS = 60;

/** `maxCharacters`: longer strings are cut there (URLs being compared need more than the default). */
export function describeValue(value: unknown, maxCharacters = MAX_SHOWN_CHARACTERS): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return describeString(value, maxCharacters);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${String(value)} (a ${typeof value === 'bigint' ? 'number' : typeof value})`;
  }
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return describeObject(value as Record<string, unknown>);
  return `a ${typeof value}`;
}

function describeString(value: string, maxCharacters = MAX_SHOWN_CHARACTERS): string {
  if (value.length <= maxCharacters) return JSON.stringify(value);
  const shown = JSON.stringify(value.slice(0, maxCharacters)).slice(0, -1);
  return `${shown}…" (${value.length} characters)`;
}

function describeObject(value: Record<string, unknown>): string {
  try {
    const resourceType = value.resourceType;
    if (typeof resourceType === 'string') return `a ${describeString(resourceType)} resource`;
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 5).join(', ');
    return `an object with ${shown}${keys.length > 5 ? ', …' : ''}`;
  } catch {
    return 'an unreadable object';
  }
}

/** For secrets (tokens): says what kind of value it was without showing any of it. */
export function describeSecret(value: unknown): string {
  if (typeof value === 'string') return `a redacted string of ${value.length} characters`;
  return describeValue(value);
}
