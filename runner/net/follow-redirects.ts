/**
 * Following redirects by hand, because fetch's own following keeps every custom header (X-Api-Key,
 * Cookie) on a hop to another origin. Each hop gets the headers the origin policy allows for its
 * URL: all of them within the credentials' origin, none of the credentials elsewhere.
 */
import { headersForOrigin } from './origin-policy.js';
import { isRedirectStatus } from './redirect-policy.js';

export const MAX_REDIRECTS = 5;

export interface FollowInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export async function fetchFollowing(url: string, init: FollowInit, credentialOrigin: string): Promise<Response> {
  let current = { url, ...init };
  for (let hop = 0; ; hop++) {
    const response = await fetch(current.url, { method: current.method, headers: headersForOrigin(current.url, credentialOrigin, current.headers), body: current.body, signal: init.signal, redirect: 'manual' });
    const location = response.headers.get('location');
    const next = location ? URL.parse(location, current.url)?.href : undefined;
    if (!isRedirectStatus(response.status) || !next || hop === MAX_REDIRECTS) return response;
    await response.body?.cancel();
    // 303, and 301/302 after a POST, turn into a GET without a body (as browsers and fetch do)
    const asGet = response.status === 303 || ((response.status === 301 || response.status === 302) && current.method === 'POST');
    current = asGet ? { ...current, url: next, method: 'GET', body: undefined, headers: withoutBodyHeaders(current.headers) } : { ...current, url: next };
  }
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(type|length)$/i.test(name)));
}
