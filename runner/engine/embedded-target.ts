/**
 * The bundled reference server as the run's target when no server is given (the CLI without
 * --server, or a plain `npx playwright test`). It is started with two bearer identities, and the run
 * is configured with both — the main one for everything, the other as auth.otherIdentity — so the
 * default run exercises authentication and scope.other-identity-refused (OP-18) too. The
 * credentials are random per run and never printed.
 */
import { randomBytes } from 'node:crypto';
import type { RunConfig } from '../config/run-config.js';

export interface EmbeddedTarget {
  url: string;
  close(): Promise<void>;
}

/** Starts the server and points `config` at it (server URL and the two identities). */
export async function startEmbeddedTarget(config: RunConfig): Promise<EmbeddedTarget> {
  // imported when needed: start-up is part of every run's wall time (BENCHMARKS.md §1)
  const { startReferenceServer } = await import('../../reference-server/src/server.js');
  const { bundledTls } = await import('../../reference-server/src/tls.js');
  const [main, other] = [randomCredential(), randomCredential()];
  const { tokenTtlSeconds, tokenFormat, faults, tls } = config.reference;
  const server = await startReferenceServer({
    fhirVersion: embeddedFhirVersion(config),
    tokenTtlSeconds,
    tokenFormat,
    faults,
    bearerToken: [main, other],
    // trusted through NODE_EXTRA_CA_CERTS, which the CLI sets before anything starts (trust-ca.ts)
    ...(tls ? { tls: bundledTls() } : {}),
  });
  config.server = server.url;
  config.reference.embedded = true;
  config.auth = { ...config.auth, bearerToken: main, otherIdentity: { bearerToken: other } };
  return server;
}

/** --fhir-version names the version to test; the embedded server then speaks it. */
export function embeddedFhirVersion(config: RunConfig): RunConfig['reference']['fhirVersion'] {
  return config.fhirVersion === 'auto' ? config.reference.fhirVersion : config.fhirVersion;
}

function randomCredential(): string {
  return `fwc-${randomBytes(24).toString('base64url')}`;
}
