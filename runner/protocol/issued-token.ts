/**
 * Reading a token out of a $get-ws-binding-token answer. Lenient on purpose: any value[x] counts,
 * so type defects surface in the outputs chapter only, not in every scenario that needs a token.
 */
import type { HttpResult } from '../net/http-client.js';

export interface IssuedTokenAnswer {
  token: string;
  expiration?: string;
  websocketUrl?: string;
  /** The Subscriptions the answer names, else the ones asked for. */
  subscriptions: string[];
  /** How it was obtained (an Invocation, or 'forged'). */
  invocation: string;
  /** A forged token: what was changed from the issued one ("the case of character 5 of 43 flipped"). */
  forgery?: string;
  /** Stated expiration minus the time of reading (undefined without a readable expiration). */
  lifetimeMs?: number;
}

export type TokenKind = 'jwt' | 'opaque';

export function tokenKind(token: string): TokenKind {
  return token.split('.').length === 3 ? 'jwt' : 'opaque';
}

export function readIssuedToken(result: HttpResult, invocation: string, requested: readonly string[]): IssuedTokenAnswer | undefined {
  if (!result.ok || result.status === undefined || result.status >= 300) return undefined;
  const parameters = (result.json as { parameter?: unknown })?.parameter;
  if (!Array.isArray(parameters)) return undefined;
  const values = (name: string) =>
    parameters.filter((p) => p && typeof p === 'object' && (p as { name?: unknown }).name === name).map(anyValue).filter((v): v is string => typeof v === 'string');
  const token = values('token')[0];
  const websocketUrl = values('websocket-url')[0];
  if (!token || !websocketUrl) return undefined;
  const expiration = values('expiration')[0];
  const listed = values('subscription').map((s) => s.replace(/^.*Subscription\//, ''));
  const expiresAt = expiration ? Date.parse(expiration) : NaN;
  return {
    token,
    expiration,
    websocketUrl,
    subscriptions: listed.length > 0 ? listed : [...requested],
    invocation,
    lifetimeMs: Number.isNaN(expiresAt) ? undefined : expiresAt - Date.now(),
  };
}

function anyValue(parameter: Record<string, unknown>): unknown {
  const key = Object.keys(parameter).find((k) => k.startsWith('value'));
  return key ? parameter[key] : undefined;
}

/** Why an answer gave no token, in a few words ("405", "200 without a usable token and websocket-url"). */
export function describeTokenFailure(result: HttpResult): string {
  if (!result.ok) return result.error ?? 'no response';
  return result.status !== undefined && result.status < 300 ? `${result.status} without a usable token and websocket-url` : `${result.status}`;
}
