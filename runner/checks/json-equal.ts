/**
 * Structural equality of JSON values: what `equals`, `oneOf`, `contains` and query filters mean
 * by "the same". Strict about types ('1' is not 1); object key order does not matter.
 */
import { MAX_WALK_DEPTH } from './json-depth.js';

/** Values nested deeper than MAX_WALK_DEPTH are never equal (json-depth.ts): no walk recurses past it. */
export function jsonEqual(left: unknown, right: unknown, depth = 0): boolean {
  if (Object.is(left, right)) return true;
  if (depth > MAX_WALK_DEPTH) return false;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return typeof left === 'number' && typeof right === 'number' && left === right; // 0 and -0
  }
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => jsonEqual(item, right[index], depth + 1));
  }
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const keys = Object.keys(leftRecord);
  if (keys.length !== Object.keys(rightRecord).length) return false;
  return keys.every(
    (key) => Object.prototype.hasOwnProperty.call(rightRecord, key) && jsonEqual(leftRecord[key], rightRecord[key], depth + 1),
  );
}
