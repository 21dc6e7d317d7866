/** Durations as people write them: "500ms", "2s", "1.5s", "2m", or a bare number of milliseconds. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`a duration must be a non-negative number, not ${value}`);
    return value;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value);
  if (!match) throw new Error(`"${value}" is not a duration (write e.g. 500ms, 10s or 2m)`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!);
}
