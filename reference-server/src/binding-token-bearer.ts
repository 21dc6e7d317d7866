/**
 * Variant binding-token-as-bearer (Medplum): the binding token is a full access token.
 * Each issued binding token is remembered with the Authorization header that obtained it; a REST
 * request that presents a live binding token as its bearer is authenticated as that header would
 * be (so a binding token obtained with a binding token leads back to the same identity). Bounded:
 * the oldest entries are forgotten first.
 */
const LIMIT = 10_000;

interface Remembered {
  authorization: string | undefined;
  expiresAtMs: number;
}

export class BindingTokenBearers {
  private readonly issued = new Map<string, Remembered>();

  remember(token: string, authorization: string | undefined, expiresAtMs: number): void {
    this.issued.set(token, { authorization, expiresAtMs });
    if (this.issued.size > LIMIT) this.issued.delete(this.issued.keys().next().value!);
  }

  /**
   * The Authorization header to authenticate the request with: the one that obtained the binding
   * token presented as bearer (while it lives), else the request's own.
   */
  effectiveAuthorization(authorization: string | undefined, nowMs: number): string | undefined {
    const presented = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    const remembered = presented === undefined ? undefined : this.issued.get(presented);
    return remembered && nowMs < remembered.expiresAtMs ? remembered.authorization : authorization;
  }
}

/** The token and expiration of a successful $get-ws-binding-token answer, if it has them. */
export function issuedTokenOf(body: Record<string, unknown> | undefined): { token: string; expiresAtMs: number } | undefined {
  const parameters = Array.isArray(body?.parameter) ? (body.parameter as Array<Record<string, unknown>>) : [];
  const token = parameters.find((p) => p.name === 'token')?.valueString;
  const expiresAtMs = Date.parse(String(parameters.find((p) => p.name === 'expiration')?.valueDateTime));
  return typeof token === 'string' && !Number.isNaN(expiresAtMs) ? { token, expiresAtMs } : undefined;
}
