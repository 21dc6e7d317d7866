/**
 * Compact one-line renderings of JSON values for a check record's `expected` and `actual`:
 * JSON as written (strings quoted), never longer than MAX_RENDERED_CHARACTERS, never throwing
 * (the value may be junk from a misbehaving server, cyclic, or a megabyte long).
 */
import { MAX_WALK_DEPTH } from './json-depth.js';

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
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') return String(value);
  try {
    return JSON.stringify(value, cycleAndDepthBreaker(value)) ?? 'nothing';
  } catch {
    // not String(value): on a deeply nested array it recurses as deep as stringify did
    return `[${Array.isArray(value) ? 'array' : typeof value} that cannot be shown]`;
  }
}

/** Replaces cycles, and anything nested deeper than MAX_WALK_DEPTH, by a marker. */
function cycleAndDepthBreaker(root: unknown): (this: unknown, key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  const depthOf = new WeakMap<object, number>();
  if (typeof root === 'object' && root !== null) depthOf.set(root, 0);
  return function replace(this: unknown, _key, value) {
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[cycle]';
    const depth = (depthOf.get(this as object) ?? -1) + 1;
    if (depth > MAX_WALK_DEPTH) return `[nested deeper than ${MAX_WALK_DEPTH} levels]`;
    seen.add(value);
    depthOf.set(value, depth);
    return value;
  };
}
