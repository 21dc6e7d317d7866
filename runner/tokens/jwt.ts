/**
 * Reading and re-assembling JWTs (JWS compact form) for tampering. Segments that are not changed
 * are kept byte for byte, so a forged token differs from the issued one only where intended.
 */

export interface JwtParts {
  header: Record<string, unknown>;
  /** undefined when the payload is not a JSON object (a JWS over other content). */
  claims?: Record<string, unknown>;
  segments: [header: string, payload: string, signature: string];
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

/** A JWT here: three base64url segments, the first a JSON object header. */
export function parseJwt(token: string): JwtParts | undefined {
  const segments = token.split('.');
  if (segments.length !== 3 || segments[0] === '' || !segments.every((segment) => SEGMENT.test(segment))) return undefined;
  const header = decodeJsonObject(segments[0]);
  if (!header) return undefined;
  const claims = decodeJsonObject(segments[1]);
  return { header, ...(claims ? { claims } : {}), segments: segments as [string, string, string] };
}

export function encodeSegment(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function joinJwt(header: string, payload: string, signature: string): string {
  return `${header}.${payload}.${signature}`;
}

function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
