/**
 * Defaults ← config file ← environment (FHIR_SERVER) ← CLI flags: the one place the run's
 * configuration is merged. Bad combinations fail here with a message that states the rule.
 */
import { checkCredentials, checkServerUrl } from '../config/check-credentials.js';
import { readConfigFile } from '../config/config-file.js';
import { defaultRunConfig, type RunConfig } from '../config/run-config.js';
import { harnessError } from '../errors.js';
import type { RunArgs } from './args.js';

export function resolveRunConfig(args: RunArgs, env: NodeJS.ProcessEnv = process.env): RunConfig {
  const config = defaultRunConfig();
  if (args.config) mergeFileValues(config, readConfigFile(args.config, env).values);
  const server = args.server ?? config.server ?? (env.FHIR_SERVER ? env.FHIR_SERVER.replace(/\/+$/, '') : undefined);
  checkServerUrl(server, args.server ? '--server' : config.server ? 'server (config file)' : 'FHIR_SERVER');
  config.server = server;
  if (args.level) config.level = args.level;
  if (args.maxWaitMs !== undefined) config.maxWaitMs = args.maxWaitMs;
  if (args.soakMs !== undefined) config.soakMs = args.soakMs;
  if (args.fhirVersion) {
    config.fhirVersion = args.fhirVersion;
    config.reference.fhirVersion = args.fhirVersion;
  }
  config.redact = args.redact;
  const embeddedOnly = [args.faults.length > 0 && '--fault', args.tokenTtlSeconds !== undefined && '--token-ttl', args.tokenFormat && '--token-format', args.tls && '--tls'].filter(Boolean);
  if (server && embeddedOnly.length > 0) {
    throw harnessError('FWC_ERR_CONFIG', `${embeddedOnly.join(', ')}: only for the bundled reference server; drop them or drop --server/FHIR_SERVER`);
  }
  config.reference.faults = args.faults;
  if (args.tokenTtlSeconds !== undefined) config.reference.tokenTtlSeconds = args.tokenTtlSeconds;
  if (args.tokenFormat) config.reference.tokenFormat = args.tokenFormat;
  if (args.tls) config.reference.tls = true;
  if (!config.subscriptions.create && config.subscriptions.existing.websocket.length === 0) {
    throw harnessError('FWC_ERR_CONFIG', 'subscriptions.create is false, so subscriptions.existing.websocket must list at least one Subscription id');
  }
  checkCredentials(config);
  return config;
}

function mergeFileValues(config: RunConfig, values: Partial<RunConfig>): void {
  const { timeouts, auth, subscriptions, ...rest } = values;
  Object.assign(config, rest);
  if (timeouts) {
    for (const [key, value] of Object.entries(timeouts)) {
      if (value !== undefined) (config.timeouts as unknown as Record<string, number>)[key] = value;
    }
  }
  if (auth) config.auth = { ...config.auth, ...auth, headers: { ...config.auth.headers, ...auth.headers } };
  if (subscriptions) config.subscriptions = { ...config.subscriptions, ...subscriptions };
}
