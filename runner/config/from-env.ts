/**
 * The run configuration as Playwright workers see it: the CLI serialises its resolved RunConfig
 * into FWC_RUN_CONFIG; a plain `npx playwright test` falls back to FHIR_SERVER and defaults.
 */
import { decodeRunConfig, defaultRunConfig, RUN_CONFIG_ENV, type RunConfig } from './run-config.js';

export function runConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RunConfig {
  const config = env[RUN_CONFIG_ENV] ? decodeRunConfig(env[RUN_CONFIG_ENV]!) : defaultRunConfig();
  if (!config.server && env.FHIR_SERVER) config.server = env.FHIR_SERVER.replace(/\/+$/, '');
  if (env.FWC_LEVEL === 'should' || env.FWC_LEVEL === 'shall') config.level = env.FWC_LEVEL;
  return config;
}

export function reportDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.FWC_REPORT_DIR ?? 'reports';
}
