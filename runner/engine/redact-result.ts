/**
 * The last line of defence: every string in a scenario result goes through the scenario's
 * redactor once more, after all secrets are known. A token arrives in an HTTP response before the
 * engine can register it, so the exchange that issued it is masked here, not on the way in.
 */
import { MAX_WALK_DEPTH } from '../checks/json-depth.js';
import type { Redactor } from '../evidence/redact.js';

/** Past MAX_WALK_DEPTH a value is replaced by a marker: nothing unwalked (so unredacted) is kept. */
export function redactDeep<T>(value: T, redactor: Redactor, depth = 0): T {
  if (typeof value === 'string') return redactor.redactText(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_WALK_DEPTH) return `[nested deeper than ${MAX_WALK_DEPTH} levels: not kept]` as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redactor, depth + 1)])) as T;
}
