/**
 * Playwright global setup: when no target is given, start the bundled reference server on an
 * ephemeral 127.0.0.1 port (embedded-target.ts); then discover the target once for the whole run (FHIR version, topic,
 * bind form) and hand it to the workers as a JSON file (target-handoff.ts) — a hanging server costs one discovery, not one
 * per worker restart.
 */
import { runConfigFromEnv } from '../config/from-env.js';
import { encodeRunConfig, RUN_CONFIG_ENV } from '../config/run-config.js';
import { checkTarget } from '../cli/preflight.js';
import { discoverTarget } from '../engine/discover-target.js';
import { handTargetToWorkers } from '../engine/target-handoff.js';
import { startEmbeddedTarget } from '../engine/embedded-target.js';

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const config = runConfigFromEnv();
  // Plain `FHIR_SERVER=… npx playwright test`: the CLI's preflight diagnosis did not run, so run it here.
  if (config.server && !process.env[RUN_CONFIG_ENV]) await checkTarget({ ...config, server: config.server });
  let close: (() => Promise<void>) | undefined;
  if (!config.server) {
    const server = await startEmbeddedTarget(config);
    process.env.FHIR_SERVER = server.url;
    // the reporter (this process) and the workers read the configuration from here: with it they
    // know the embedded server's generated credentials as secrets too
    process.env[RUN_CONFIG_ENV] = encodeRunConfig(config);
    close = () => server.close();
  }
  const target = await discoverTarget({ ...config, server: config.server! });
  const removeHandoff = handTargetToWorkers(target);
  return async () => {
    removeHandoff();
    await close?.();
  };
}
