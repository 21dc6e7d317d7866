/**
 * TLS for the reference server (https:// and wss://), so the passing baseline can serve what the
 * spec recommends (WS-03: wss). The bundled pair in reference-server/tls/ is for local testing only:
 * its private key is public, and it is trusted only by clients told to trust test-ca.pem.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

export interface TlsMaterial {
  cert: string;
  key: string;
}

const BUNDLED = new URL('../tls/', import.meta.url);

/** The bundled localhost / 127.0.0.1 / ::1 certificate and key (valid to 2126). */
export function bundledTls(): TlsMaterial {
  return { cert: readFileSync(new URL('server-cert.pem', BUNDLED), 'utf8'), key: readFileSync(new URL('server-key.pem', BUNDLED), 'utf8') };
}

/** The CA that signed the bundled certificate: what a client trusts to talk to a --tls server. */
export const BUNDLED_TEST_CA_FILE = new URL('test-ca.pem', BUNDLED);

/** Why the pair cannot be used, or undefined when it loads (checked before listening: a clear option error). */
export function tlsProblem(material: TlsMaterial): string | undefined {
  try {
    createSecureContext({ cert: material.cert, key: material.key });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
