/** The few FHIR primitive rules the server needs: ids, and instants/dateTimes it writes. */

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export function isFhirId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** An instant in UTC with a Z, whole seconds: 2030-01-01T10:00:00Z (milliseconds only when non-zero). */
export function formatInstant(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** The same instant written with a fixed offset such as +05:00 (what the local time there reads). */
export function formatWithOffset(epochMs: number, offsetMinutes: number): string {
  const shifted = formatInstant(epochMs + offsetMinutes * 60_000).slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${shifted}${sign}${hh}:${mm}`;
}
