/**
 * Every secret the run knows, for the closing secret scan (secret-guard.ts): the configured bearer
 * token, client secret and second identity, every header credential of both identities (whatever its
 * length), and what discovery obtained (the OAuth access token), carried in the target.
 */
import type { RunConfig } from '../config/run-config.js';
import { headerSecrets } from '../engine/auth.js';
import { targetFromHandoff } from '../engine/target-handoff.js';

export function runSecrets(config: RunConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  const { auth } = config;
  const configured = [auth.bearerToken, auth.oauth2?.clientSecret, auth.otherIdentity?.bearerToken];
  const discovered = targetSecrets(env);
  const all = [...configured, ...headerSecrets(auth.headers), ...headerSecrets(auth.otherIdentity?.headers ?? {}), ...discovered];
  return [...new Set(all.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0))];
}

function targetSecrets(env: NodeJS.ProcessEnv): string[] {
  try {
    return targetFromHandoff(env)?.secrets ?? [];
  } catch {
    return []; // no usable target: nothing was discovered, so nothing was obtained either
  }
}
