/**
 * Redirects during discovery. A redirect within the origin of --server is followed (credentials may
 * go there) and reported; a redirect to another origin is not followed: the run stops (exit 2) with
 * one line naming both origins, because following it would either hand the credentials to a server
 * nobody configured or silently test a different server than the one named.
 */
import { harnessError, type HarnessError } from '../errors.js';
import { displayOrigin, sameOrigin } from './origin-policy.js';

/** Enough for a trailing-slash or http→https hop on the same origin; more is a loop. */
export const MAX_SAME_ORIGIN_REDIRECTS = 5;

export interface Redirect {
  status: number;
  from: string;
  /** Absolute, resolved against `from`; undefined when the Location header is missing or not a URL. */
  to?: string;
}

export function isRedirectStatus(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

export function redirectOf(status: number, location: string | null | undefined, from: string): Redirect {
  return { status, from, ...(location ? { to: URL.parse(location, from)?.href } : {}) };
}

/** Followable: it names a URL on the same origin as the server under test. */
export function staysWithinOrigin(redirect: Redirect, server: string): redirect is Redirect & { to: string } {
  return redirect.to !== undefined && sameOrigin(redirect.to, server);
}

/** It names a URL on another origin (a 3xx without a usable Location names none: the suite judges that answer). */
export function leavesOrigin(redirect: Redirect, server: string): boolean {
  return redirect.to !== undefined && !sameOrigin(redirect.to, server);
}

/** The one-line diagnosis for a redirect that is not followed. */
export function redirectRefused(server: string, redirect: Redirect, what: string): HarnessError {
  const to = displayOrigin(redirect.to ?? '');
  return harnessError(
    'FWC_ERR_CONFIG',
    `${what} on ${displayOrigin(server)} answered ${redirect.status}, redirecting to another origin (${to}): not followed, credentials go only to the origin of --server; if ${to} is the server to test, give it as --server`,
  );
}

/** For the terminal: what a followed redirect did. */
export function describeRedirect(redirect: Redirect): string {
  return `${redirect.status} ${pathOf(redirect.from)} → ${redirect.to ? pathOf(redirect.to) : '(no Location)'}`;
}

function pathOf(url: string): string {
  const parsed = URL.parse(url);
  return parsed ? `${parsed.pathname}${parsed.search}` : url;
}
