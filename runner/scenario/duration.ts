/**
 * Duration literals of the scenario format: "500ms", "2s", "1.5s", "1m", or a bare YAML number
 * meaning milliseconds. A leading "-" is allowed only where a field says so (wait.offset).
 * Fractions of a millisecond are rounded.
 */
import { HarnessError } from '../errors.js';
import type { Millis } from './model.js';

export const DURATION_PATTERN = '^-?[0-9]+(\\.[0-9]+)?(ms|s|m)$';
const DURATION = new RegExp(DURATION_PATTERN);
const UNIT_MILLIS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

export const DURATION_HINT = 'a duration like "500ms", "2s", "1.5s", "1m" or a number of milliseconds';

/** Milliseconds, or undefined when the value is not a duration literal. */
export function tryParseDuration(value: unknown, allowNegative = false): Millis | undefined {
  const millis = toMillis(value);
  if (millis === undefined || !Number.isFinite(millis)) return undefined;
  if (millis < 0 && !allowNegative) return undefined;
  return Math.round(millis);
}

/** Milliseconds; throws HarnessError FWC_ERR_SCENARIO_SCHEMA for anything else. */
export function parseDuration(value: unknown, allowNegative = false): Millis {
  const millis = tryParseDuration(value, allowNegative);
  if (millis === undefined) {
    throw new HarnessError('FWC_ERR_SCENARIO_SCHEMA', `bad duration ${JSON.stringify(value)}: expected ${DURATION_HINT}`);
  }
  return millis;
}

function toMillis(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2];
  return Number(value.trim().slice(0, -unit.length)) * UNIT_MILLIS[unit];
}
