/**
 * Playwright global setup: when no target is given, start the bundled reference server on an
 * ephemeral 127.0.0.1 port and hand its URL to the workers through FHIR_SERVER.
 */
import { runConfigFromEnv } from '../config/from-env.js';
import { startReferenceServer } from '../../reference-server/src/server.js';

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const config = runConfigFromEnv();
  if (config.server) return undefined;
  const server = await startReferenceServer({
    fhirVersion: config.fhirVersion === 'auto' ? config.reference.fhirVersion : config.fhirVersion,
    tokenTtlSeconds: config.reference.tokenTtlSeconds,
    tokenFormat: config.reference.tokenFormat,
    faults: config.reference.faults,
  });
  process.env.FHIR_SERVER = server.url;
  process.env.FWC_EMBEDDED_SERVER = '1';
  return async () => {
    await server.close();
  };
}
