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

/**
 * The longest delay a Node timer honours (2^31 − 1 ms, about 24.8 days): setTimeout fires a longer
 * one after 1 ms, so "36000m" would make every wait time out at once. Longer durations are refused.
 */
export const MAX_DURATION_MS = 2_147_483_647;

/** "… longer than the longest wait this tool can time (2147483647 ms, about 24.8 days)". */
export function describeTooLong(millis: number): string {
  return `is ${millis} ms, longer than the longest wait this tool can time (${MAX_DURATION_MS} ms, about 24.8 days)`;
}

/** Milliseconds, or undefined when the value is not a duration literal. */
export function tryParseDuration(value: unknown, allowNegative = false): Millis | undefined {
  const millis = toMillis(value);
  if (millis === undefined || !Number.isFinite(millis)) return undefined;
  if (millis < 0 && !allowNegative) return undefined;
  if (Math.abs(millis) > MAX_DURATION_MS) return undefined;
  return Math.round(millis);
}

/** Milliseconds; throws HarnessError FWC_ERR_SCENARIO_SCHEMA for anything else. */
export function parseDuration(value: unknown, allowNegative = false): Millis {
  const millis = tryParseDuration(value, allowNegative);
  if (millis === undefined) {
    const raw = toMillis(value);
    const why = raw !== undefined && Math.abs(raw) > MAX_DURATION_MS ? describeTooLong(raw) : `expected ${DURATION_HINT}`;
    throw new HarnessError('FWC_ERR_SCENARIO_SCHEMA', `bad duration ${JSON.stringify(value)}: ${why}`);
  }
  return millis;
}

/**
 * Why a config-file duration is refused, or undefined when it is good. Stricter than the scenario
 * format: a bare number is refused, because `timeouts: { http: 10 }` meant 10 s far more often than
 * the 10 ms it would be.
 */
export function configDurationProblem(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return `${value} has no unit: ${value}s or ${value}ms? (write the unit: ms, s or m)`;
  }
  const millis = toMillis(value);
  if (millis === undefined || !Number.isFinite(millis) || millis < 0) return `must be ${CONFIG_DURATION_HINT}, not ${JSON.stringify(value)}`;
  if (millis > MAX_DURATION_MS) return `${JSON.stringify(value)} ${describeTooLong(millis)}`;
  return undefined;
}

export const CONFIG_DURATION_HINT = 'a duration with its unit, like "500ms", "10s", "1.5s" or "2m"';

function toMillis(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2];
  return Number(value.trim().slice(0, -unit.length)) * UNIT_MILLIS[unit];
}
