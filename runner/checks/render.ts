/**
 * Compact one-line renderings of JSON values for a check record's `expected` and `actual`:
 * JSON as written (strings quoted), never longer than MAX_RENDERED_CHARACTERS, never throwing
 * (the value may be junk from a misbehaving server, cyclic, or a megabyte long).
 */
export const MAX_RENDERED_CHARACTERS = 200;

export function renderValue(value: unknown, limit = MAX_RENDERED_CHARACTERS): string {
  return truncate(toJson(value), limit);
}

/** "no value", one value as JSON, or "3 values: [a, b, c]". */
export function renderMatches(matches: unknown[], limit = MAX_RENDERED_CHARACTERS): string {
  if (matches.length === 0) return 'no value (the query matched nothing)';
  if (matches.length === 1) return renderValue(matches[0], limit);
  return truncate(`${matches.length} values: ${toJson(matches)}`, limit);
}

export function truncate(text: string, limit = MAX_RENDERED_CHARACTERS): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, Math.max(0, limit - 1))}…`;
}

function toJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value, cycleBreaker()) ?? String(value);
  } catch {
    return String(value);
  }
}

function cycleBreaker(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[cycle]';
    seen.add(value);
    return value;
  };
}
