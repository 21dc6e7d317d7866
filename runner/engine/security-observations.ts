/**
 * What a binding token grants (issue 13): observations recorded as server-profile facts, never
 * failures — the spec leaves token security to the implementation. Runs once per run,
 * after discovery, on a Subscription of its own; no token value is recorded, only what was seen:
 * - bindingTokenRestBearer: is the binding token accepted as a REST bearer (read the probe's
 *   Subscription with only the binding token)? Only probed when the run has credentials of its own:
 *   a server without authentication accepts any bearer, so the answer would say nothing;
 * - bindingTokenSelfRenewal: can the binding token obtain a new binding token by itself?
 * - tokenInUrl: does websocket-url carry the token (or anything) in its query string?
 * - tokenEntropy: for opaque tokens, an upper bound from the tokens seen (token-entropy.ts).
 * The stated lifetime, reuse across sockets and whether a deleted Subscription's token still binds
 * are recorded elsewhere (tokenLifetimeSeconds, tokenReuse, scope.revoked-on-delete) and shown beside these.
 */
import type { HttpResult } from '../net/http-client.js';
import { isCredentialHeader } from '../net/credential-headers.js';
import { invocationRequest, operationRequest, type Invocation } from '../protocol/invocation.js';
import { readIssuedToken } from '../protocol/issued-token.js';
import { warmUpFoundNoInvocation, withProbeSubscription } from './probe-subscription.js';
import type { IssuedToken, ScenarioContext } from './scenario-context.js';
import { obtainToken } from './steps/token-steps.js';
import type { LearningTarget, Target } from './target.js';
import { estimateTokenEntropy } from './token-entropy.js';

/** Tokens asked for, to see what repeats between them. */
const SAMPLES = 3;
const MAX_LISTED_NAMES = 5;

export type SecurityFacts = Record<string, string>;

export async function observeTokenSecurity(target: LearningTarget): Promise<void> {
  if (target.unresponsive || target.learned.legacyProtocol || warmUpFoundNoInvocation(target)) return;
  const facts = await withProbeSubscription(target, 'probe.token-security', async (ctx, id) => {
    const issued = await sampleTokens(ctx, id);
    if (issued.length === 0) return undefined;
    return {
      ...(await bearerFacts(ctx, id, issued[0]!)),
      tokenInUrl: tokenInUrl(issued[0]!),
      tokenEntropy: estimateTokenEntropy(issued.map((t) => t.token)).description,
    };
  });
  if (facts) target.learned.security = facts;
}

async function sampleTokens(ctx: ScenarioContext, id: string): Promise<IssuedToken[]> {
  const issued: IssuedToken[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const obtained = await obtainToken(ctx, [id]);
    if (!('token' in obtained)) break;
    issued.push(obtained.issued);
  }
  return issued;
}

/** The run's headers without its credentials, and the binding token as the bearer. */
function bindingTokenHeaders(target: Target, token: string): Record<string, string> {
  const shared = Object.entries(target.authHeaders).filter(([name]) => !isCredentialHeader(name));
  return { ...Object.fromEntries(shared), authorization: `Bearer ${token}` };
}

function hasOwnCredentials(target: Target): boolean {
  return Object.keys(target.authHeaders).some((name) => isCredentialHeader(name));
}

async function bearerFacts(ctx: ScenarioContext, id: string, issued: IssuedToken): Promise<SecurityFacts> {
  if (!hasOwnCredentials(ctx.target)) {
    const why = 'not probed: the run has no credentials of its own (a server that needs none accepts any bearer)';
    return { bindingTokenRestBearer: why, bindingTokenSelfRenewal: why };
  }
  const defaultHeaders = bindingTokenHeaders(ctx.target, issued.token);
  const read = await ctx.http.request({ method: 'GET', path: `Subscription/${encodeURIComponent(id)}`, defaultHeaders });
  const asked = `GET Subscription/${id} with only the binding token as bearer`;
  const invocation = (ctx.target.learned.invocation ?? issued.invocation) as Invocation;
  const renewal = await ctx.http.request({ ...operationRequest(invocationRequest(invocation, [id])), defaultHeaders });
  const renewed = readIssuedToken(renewal, invocation, [id]);
  if (renewed) ctx.addSecret(renewed.token);
  return {
    bindingTokenRestBearer: `${isSuccess(read) ? 'accepted' : 'refused'}: ${asked} → ${describe(read)}`,
    bindingTokenSelfRenewal: `${renewed ? 'yes' : 'no'}: ${invocation} with only the binding token as bearer → ${describe(renewal)}${renewed ? ' with a new token' : ''}`,
  };
}

function isSuccess(result: HttpResult): boolean {
  return result.ok && result.status !== undefined && result.status < 300;
}

function describe(result: HttpResult): string {
  return result.ok ? String(result.status) : 'no answer';
}

/** A token in a URL ends up in server, proxy and browser logs. */
function tokenInUrl(issued: IssuedToken): string {
  let url: URL;
  try {
    url = new URL(issued.websocketUrl ?? '');
  } catch {
    return 'unknown: websocket-url is not an absolute URL';
  }
  if (!url.search) return 'no: websocket-url has no query string (the token travels only inside the socket)';
  const names = [...new Set(url.searchParams.keys())].slice(0, MAX_LISTED_NAMES).map((name) => JSON.stringify(name.slice(0, 40))).join(', ');
  const carriesToken = [...url.searchParams.values()].includes(issued.token) || url.search.includes(encodeURIComponent(issued.token));
  return carriesToken ? `yes: websocket-url carries the token in its query string (${names})` : `no token, but websocket-url has a query string (${names})`;
}
