/**
 * The last line of defence: every string in a scenario result goes through the scenario's
 * redactor once more, after all secrets are known. A token arrives in an HTTP response before the
 * engine can register it, so the exchange that issued it is masked here, not on the way in.
 */
import type { Redactor } from '../evidence/redact.js';

export function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return redactor.redactText(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redactor)])) as T;
  }
  return value;
}
